package io.growthos.platform.web;

import io.growthos.model.errors.ApiError;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the error envelope. The one place that turns an {@link ApiException} into a response,
 * used by the exception handler, the error controller and filters that reject a request before it
 * reaches a handler.
 */
public class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final JsonMapper json;

  public ErrorResponses(JsonMapper json) {
    this.json = json;
  }

  /** The envelope as a response entity, for handlers. */
  public ResponseEntity<ErrorEnvelope> entity(ApiException e, HttpServletRequest request) {
    logAnswer(e, request);
    HttpHeaders headers = new HttpHeaders();
    e.headers().forEach(headers::set);
    headers.set(RequestIds.HEADER, RequestIds.of(request));
    return ResponseEntity.status(e.status())
        .headers(headers)
        .contentType(MediaType.APPLICATION_JSON)
        .body(envelope(e, request));
  }

  /** Writes the envelope straight to the servlet response, for filters. */
  public void write(ApiException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    logAnswer(e, request);
    response.resetBuffer();
    response.setStatus(e.status());
    e.headers().forEach(response::setHeader);
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    byte[] body = json.writeValueAsBytes(envelope(e, request));
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /**
   * The wire name of a bean-validation path such as {@code anonymousIds[0]}: the Java property
   * names translated by the app's naming strategy (snake_case on the Management API), so that
   * {@code details[].field} names what the client sent.
   */
  public String wireName(String javaPath) {
    PropertyNamingStrategy naming = json.serializationConfig().getPropertyNamingStrategy();
    if (naming == null || javaPath == null) {
      return javaPath;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : javaPath.split("\\.", -1)) {
      int bracket = segment.indexOf('[');
      String name = bracket < 0 ? segment : segment.substring(0, bracket);
      if (!out.isEmpty()) {
        out.append('.');
      }
      out.append(naming.nameForField(null, null, name));
      if (bracket >= 0) {
        out.append(segment.substring(bracket));
      }
    }
    return out.toString();
  }

  /**
   * The log line of an error answer (SPEC §2: its request id, which the log pattern carries, is in
   * the server log line of that request): status, code, method and path, never the message or the
   * details, which may quote what the client sent. 5xx are logged where they happen, with their
   * cause; 429 at debug, as a flood of them is what rate limiting is for.
   */
  private static void logAnswer(ApiException e, HttpServletRequest request) {
    if (e.status() >= 500) {
      return;
    }
    String line = "{} {} answered {} {}";
    Object[] args = {request.getMethod(), request.getRequestURI(), e.status(), e.code().code()};
    if (e.status() == 429) {
      log.debug(line, args);
    } else {
      log.info(line, args);
    }
  }

  public ErrorEnvelope envelope(ApiException e, HttpServletRequest request) {
    ApiError error = e.toApiError();
    return new ErrorEnvelope(error, RequestIds.of(request));
  }
}
