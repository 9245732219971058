package io.growthos.ingest.web;

import io.growthos.ingest.events.IngestJson;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.auth.ApiKeyCredentials;
import io.growthos.platform.pipeline.BodyKeyReader;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import tools.jackson.databind.JsonNode;

/**
 * Reads and parses an ingest body exactly once per request, whoever asks first: the request
 * pipeline, for a request whose write key is in the body (after it has charged the address), or the
 * handler's {@link IngestRequest} parameter. Bounded and gzip-aware ({@link BodyReader}).
 *
 * <p>Content types: {@code application/json} (and {@code +json}), {@code text/plain} (JSON text, as
 * analytics.js and {@code sendBeacon} send it) and none at all; anything else is a 415.
 */
class IngestBodies implements BodyKeyReader, HandlerMethodArgumentResolver {

  private static final String ATTRIBUTE = IngestRequest.class.getName();

  private final BodyReader bodyReader;
  private final IngestJson json;

  IngestBodies(BodyReader bodyReader, IngestJson json) {
    this.bodyReader = bodyReader;
    this.json = json;
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
    checkContentType(request.getContentType());
    byte[] body = bodyReader.read(request);
    if (body.length == 0 || isBlank(body)) {
      throw ApiException.invalid("body", "required", "The request body is empty; send JSON.");
    }
    JsonNode tree = json.parse(body);
    IngestRequest parsed = new IngestRequest(tree, body.length, receivedAt);
    request.setAttribute(ATTRIBUTE, parsed);
    return parsed;
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
