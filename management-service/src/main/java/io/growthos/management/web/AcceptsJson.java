package io.growthos.management.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request whose {@code Accept} admits no JSON with 406 before its handler runs. Spring
 * negotiates the answer after the handler returned it, so a POST with {@code Accept: text/html}
 * created its resource and then answered 406: the client saw a failure for a change that was made
 * (and a retry without an Idempotency-Key made it twice). The Management API answers JSON only; the
 * Ingest API ignores {@code Accept} instead (docs/security.md). Only this API's own handlers: the
 * framework's documents keep their own negotiation.
 */
class AcceptsJson implements HandlerInterceptor {

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws HttpMediaTypeNotAcceptableException {
    if (ManagementHandlers.own(request, handler) == null) {
      return true;
    }
    String accept = request.getHeader("Accept");
    if (accept == null || accept.isBlank()) {
      return true;
    }
    List<MediaType> accepted;
    try {
      accepted = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
    }
    for (MediaType type : accepted) {
      if (type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
        return true;
      }
    }
    throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
  }
}
