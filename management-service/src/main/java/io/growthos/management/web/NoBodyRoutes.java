package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A route that takes no body (an action such as {@code …/approve} or {@code …/rotate-secret})
 * accepts none or an empty object {@code {}}, and refuses anything else with 400 on {@code body}:
 * otherwise {@code {"reason": "…"}} sent to a route that reads no reason, or malformed JSON, would
 * change state while the client believes its fields were read (SPEC §4: unknown fields are 400).
 */
public class NoBodyRoutes implements HandlerInterceptor {

  /** More than an empty object with any whitespace around it needs. */
  private static final int READ_AT_MOST = 1024;

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    HandlerMethod method = ManagementHandlers.own(request, handler);
    if (method == null || ManagementHandlers.readsBody(method)) {
      return true;
    }
    String body = start(request).strip();
    if (!body.isEmpty() && !body.replaceAll("\\s", "").equals("{}")) {
      throw ApiException.invalid(
          "body", "not_allowed", "This route takes no body: send none, or {}.");
    }
    return true;
  }

  private static String start(HttpServletRequest request) {
    if (request.getContentLengthLong() == 0) {
      return "";
    }
    try {
      byte[] head = request.getInputStream().readNBytes(READ_AT_MOST);
      return new String(head, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
