package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A body's {@code Content-Type} is one media type: {@code application/*}, {@code *}{@code /*} or a
 * quoted {@code "application/json"} sent to a route that reads a body is 415 naming {@code
 * Content-Type}, before the handler runs. Spring's body reading throws an IllegalArgumentException
 * for a wildcard (and an unchecked parse error for a malformed type) that is no client error to it,
 * so such a request was a 500 with an ERROR stack trace. Other unsupported types ({@code
 * text/plain}, a form) keep Spring's own 415.
 */
class ConcreteContentType implements HandlerInterceptor {

  /**
   * A type or subtype (RFC 9110 §8.3.1: a token): what Spring's parser lets through must still be
   * one.
   */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    HandlerMethod method = ManagementHandlers.own(request, handler);
    String value = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (method == null || value == null || !ManagementHandlers.readsBody(method)) {
      return true;
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(value);
    } catch (InvalidMediaTypeException | IndexOutOfBoundsException e) {
      // Spring 7.0.8's parser fails a leading quote ("application/json") with an index error.
      throw refused(value, "is not a media type");
    }
    if (type.isWildcardType() || type.isWildcardSubtype()) {
      throw refused(value, "is a wildcard, not the type of a body");
    }
    if (!TOKEN.matcher(type.getType()).matches() || !TOKEN.matcher(type.getSubtype()).matches()) {
      throw refused(value, "is not a media type");
    }
    return true;
  }

  private static ApiException refused(String value, String why) {
    String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
    return new ApiException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type '" + shown + "' " + why + "; send application/json.",
        List.of(ErrorDetail.of("Content-Type", "unsupported", "Supported: application/json")));
  }
}
