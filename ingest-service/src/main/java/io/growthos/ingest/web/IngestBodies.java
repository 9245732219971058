package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.admission.RequestCosts;
import io.growthos.ingest.events.IngestJson;
import io.growthos.model.errors.ApiException;
import io.growthos.platform.auth.ApiKeyCredentials;
import io.growthos.platform.pipeline.BodyKeyReader;
import io.growthos.platform.web.RequestText;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import tools.jackson.databind.JsonNode;

/**
 * Reads and parses an ingest body exactly once per request, whoever asks first: the request
 * pipeline, for a request whose write key is in the body (after it has charged the address), or the
 * handler's {@link IngestRequest} parameter. Bounded and gzip-aware ({@link BodyReader}). The body
 * buffers and the parsed tree are charged to the request's share of the {@link InFlightBudget}
 * before they are allocated (503 {@code overloaded} when it is full). The bytes must be strict
 * UTF-8, and a widget body's strings storable text ({@link RequestText}, the rule of both
 * services).
 *
 * <p>Content types: whatever the client puts on the body, which is JSON or a 400. SDKs in use label
 * it {@code application/json}, {@code text/plain} (analytics.js, {@code sendBeacon}) or, as
 * RudderStack's Node SDK 3.0 does for its gzipped batches (axios' default for a Buffer), {@code
 * application/x-www-form-urlencoded}; RudderStack's own server accepts them all. The body is read
 * before anything could parse it as form parameters.
 */
class IngestBodies implements BodyKeyReader, HandlerMethodArgumentResolver {

  private static final String ATTRIBUTE = IngestRequest.class.getName();

  private final BodyReader bodyReader;
  private final IngestJson json;
  private final InFlightBudget budget;

  IngestBodies(BodyReader bodyReader, IngestJson json, InFlightBudget budget) {
    this.bodyReader = bodyReader;
    this.json = json;
    this.budget = budget;
  }

  @Override
  public Optional<String> bodyKey(HttpServletRequest request) {
    return ApiKeyCredentials.fromBody(read(request).body());
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == IngestRequest.class;
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    return read(webRequest.getNativeRequest(HttpServletRequest.class));
  }

  /** The parsed body, read now or earlier in this request. */
  IngestRequest read(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof IngestRequest done) {
      return done;
    }
    Instant receivedAt = Instant.now();
    InFlightBudget.Reservation admission = AdmissionFilter.of(request, budget);
    byte[] body = bodyReader.read(request, admission::charge);
    if (body.length == 0 || isBlank(body)) {
      throw ApiException.invalid("body", "required", "The request body is empty; send JSON.");
    }
    RequestText.requireUtf8(body);
    admission.charge(RequestCosts.parsedTree(body.length));
    JsonNode tree = json.parse(body);
    if (WidgetRoutes.isWidgetPath(request)) {
      // Tracking events name their own fields (EventParser, with the same string rule).
      RequestText.requireStorableText(tree);
    } else {
      // A tracking body's writeKey: a string, and the header's key when there is one (single-event
      // routes and batches alike, before any event is read); each event of a batch may carry it
      // too (analytics.js), by the same rule. Widget bodies take no writeKey. The header is parsed
      // again only when a body key is there to compare (most requests carry none).
      Supplier<Optional<String>> header =
          () ->
              ApiKeyCredentials.fromAuthorizationHeaders(
                  Collections.list(request.getHeaders(ApiKeyCredentials.HEADER)));
      ApiKeyCredentials.requireBodyKeyAgrees(tree, header);
      if (isBatch(request)) {
        ApiKeyCredentials.requireBatchKeysAgree(
            tree.get("batch"), () -> header.get().or(() -> ApiKeyCredentials.fromBody(tree)));
      }
    }
    IngestRequest parsed = new IngestRequest(tree, body.length, receivedAt, admission);
    request.setAttribute(ATTRIBUTE, parsed);
    return parsed;
  }

  private static boolean isBatch(HttpServletRequest request) {
    String path = request.getRequestURI();
    return IngestRoutes.BATCH.equals(path) || IngestRoutes.BATCH_SHORT.equals(path);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
