package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.admission.RequestCosts;
import io.growthos.ingest.auth.WriteKeyExtractor;
import io.growthos.ingest.events.IngestJson;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * Runs before every ingest route and before the rate limiter: checks the form of the Authorization
 * header, reads the body once (bounded, gzip-aware) and parses it, so that the limiter can charge a
 * key sent in the body. It does no database work: the key is checked after the limiter, by {@link
 * IngestAuthFilter}. Rejections leave here as the envelope.
 *
 * <p>It also opens the request's share of the {@link InFlightBudget}: the body and its tree are
 * charged before they are allocated (503 {@code overloaded} when the budget is full), the
 * controller charges the events, and everything is given back when the response is complete, also
 * when it completes asynchronously after the events are committed.
 *
 * <p>Content types: {@code application/json} (and {@code +json}), {@code text/plain} (JSON text, as
 * analytics.js and {@code sendBeacon} send it) and none at all; anything else is a 415.
 */
class IngestRequestFilter extends OncePerRequestFilter {

  private final Set<String> paths;
  private final WriteKeyExtractor extractor;
  private final BodyReader bodyReader;
  private final IngestJson json;
  private final ErrorResponses errors;
  private final InFlightBudget budget;

  IngestRequestFilter(
      Set<String> paths,
      WriteKeyExtractor extractor,
      BodyReader bodyReader,
      IngestJson json,
      ErrorResponses errors,
      InFlightBudget budget) {
    this.paths = paths;
    this.extractor = extractor;
    this.bodyReader = bodyReader;
    this.json = json;
    this.errors = errors;
    this.budget = budget;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !paths.contains(request.getRequestURI().substring(request.getContextPath().length()));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Instant receivedAt = Instant.now();
    InFlightBudget.Reservation admission = budget.open();
    boolean releasedLater = false;
    try {
      try {
        // Only the form of the header here: a malformed one is refused before the body is read.
        extractor.fromHeader(request);
        checkContentType(request.getContentType());
        byte[] body = bodyReader.read(request, admission::charge);
        if (body.length == 0 || isBlank(body)) {
          throw ApiException.invalid("body", "required", "The request body is empty; send JSON.");
        }
        admission.charge(RequestCosts.parsedTree(body.length));
        JsonNode tree = json.parse(body);
        request.setAttribute(WriteKeyExtractor.BODY_ATTRIBUTE, tree);
        request.setAttribute(
            IngestRequest.ATTRIBUTE,
            new IngestRequest(null, tree, body.length, receivedAt, admission));
      } catch (ApiException e) {
        errors.write(e, request, response);
        return;
      }
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Release(admission));
        releasedLater = true;
      }
    } finally {
      if (!releasedLater) {
        admission.close();
      }
    }
  }

  /** Gives a request's reservation back however its asynchronous response ends. */
  private record Release(InFlightBudget.Reservation admission) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onError(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // a new async cycle of the same request: still this reservation, released when it ends
    }
  }

  private static void checkContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      if (MediaType.APPLICATION_JSON.includes(type)
          || "json".equals(type.getSubtypeSuffix())
          || MediaType.TEXT_PLAIN.includes(type)) {
        return;
      }
    } catch (InvalidMediaTypeException e) {
      // falls through to the 415
    }
    throw new ApiException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type '" + contentType + "' is not supported; send application/json or text/plain.",
        List.of(
            ErrorDetail.of(
                "Content-Type", "unsupported", "Supported: application/json, text/plain.")));
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
