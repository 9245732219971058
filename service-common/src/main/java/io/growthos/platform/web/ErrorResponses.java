package io.growthos.platform.web;

import io.growthos.model.errors.ApiError;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  private final JsonMapper json;

  public ErrorResponses(JsonMapper json) {
    this.json = json;
  }

  /** The envelope as a response entity, for handlers. */
  public ResponseEntity<ErrorEnvelope> entity(ApiException e, HttpServletRequest request) {
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

  public ErrorEnvelope envelope(ApiException e, HttpServletRequest request) {
    ApiError error = e.toApiError();
    return new ErrorEnvelope(error, RequestIds.of(request));
  }
}
