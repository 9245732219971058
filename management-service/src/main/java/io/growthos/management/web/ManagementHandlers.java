package io.growthos.management.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/** Which handlers the Management API's own request rules apply to. */
final class ManagementHandlers {

  private ManagementHandlers() {}

  /**
   * {@code handler} when it is one of this API's handlers on a request's first dispatch, else null:
   * the framework's own routes (health, OpenAPI, errors) keep their own rules.
   */
  static HandlerMethod own(HttpServletRequest request, Object handler) {
    return request.getDispatcherType() == DispatcherType.REQUEST
            && handler instanceof HandlerMethod method
            && isOwn(method)
        ? method
        : null;
  }

  /** Whether {@code method} is one of this API's handlers (not the framework's). */
  static boolean isOwn(HandlerMethod method) {
    return method.getBeanType().getName().startsWith("io.growthos.management.");
  }

  /** Whether {@code method} reads the request body (a {@code @RequestBody} parameter). */
  static boolean readsBody(HandlerMethod method) {
    for (MethodParameter p : method.getMethodParameters()) {
      if (p.hasParameterAnnotation(RequestBody.class)) {
        return true;
      }
    }
    return false;
  }
}
