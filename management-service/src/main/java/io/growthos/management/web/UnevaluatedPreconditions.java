package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A precondition header the matched route does not evaluate is 400 naming it, before anything runs,
 * rather than ignored. {@code If-Match} is evaluated by the routes that declare it (the PATCH
 * routes, SPEC §4: 412 when it does not match); {@code If-Unmodified-Since} by none. A DELETE with
 * a stale {@code If-Match} used to delete (204) although the client asked for "only if it is still
 * at this version" (RFC 9110 §13.1.1: a server must not perform the method when the condition
 * fails), and the SDK's {@code ifMatch} option is accepted on every call.
 */
class UnevaluatedPreconditions implements HandlerInterceptor {

  static final String IF_MATCH = "If-Match";
  static final String IF_UNMODIFIED_SINCE = "If-Unmodified-Since";

  private final Map<HandlerMethod, Boolean> evaluatesIfMatch = new ConcurrentHashMap<>();

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    HandlerMethod method = ManagementHandlers.own(request, handler);
    if (method == null) {
      return true;
    }
    if (request.getHeader(IF_UNMODIFIED_SINCE) != null) {
      throw notSupported(IF_UNMODIFIED_SINCE, "send If-Match with the resource's version instead");
    }
    if (request.getHeader(IF_MATCH) != null
        && !evaluatesIfMatch.computeIfAbsent(method, UnevaluatedPreconditions::takesIfMatch)) {
      throw notSupported(
          IF_MATCH,
          "only PATCH routes evaluate it; read the resource to check its version before this call");
    }
    return true;
  }

  private static boolean takesIfMatch(HandlerMethod method) {
    for (MethodParameter p : method.getMethodParameters()) {
      RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
      if (header != null
          && (IF_MATCH.equalsIgnoreCase(header.name())
              || IF_MATCH.equalsIgnoreCase(header.value()))) {
        return true;
      }
    }
    return false;
  }

  private static ApiException notSupported(String header, String hint) {
    return ApiException.invalid(
        header,
        "not_supported",
        "This route does not evaluate the precondition '" + header + "': " + hint + ".");
  }
}
