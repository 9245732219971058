package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Rejects query parameters the route does not declare (SPEC §4: they are usually typos, and a
 * silently ignored filter returns the wrong data). The allowed names are the handler's
 * {@code @RequestParam}s, so the route's signature is the single source of truth.
 */
public class StrictQueryParameters implements HandlerInterceptor {

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)
        || request.getDispatcherType() != jakarta.servlet.DispatcherType.REQUEST
        || !method.getBeanType().getName().startsWith("io.growthos.management.")) {
      return true; // the framework's own routes (health, OpenAPI, errors) have their own
    }
    Set<String> allowed = declaredParameters(method);
    List<ErrorDetail> unknown = new ArrayList<>();
    for (String name : new TreeSet<>(Collections.list(request.getParameterNames()))) {
      if (!allowed.contains(name)) {
        unknown.add(
            ErrorDetail.of(
                name,
                "unknown_parameter",
                "Unknown query parameter '"
                    + name
                    + "'"
                    + (allowed.isEmpty()
                        ? "; this route takes none."
                        : "; allowed: " + String.join(", ", new TreeSet<>(allowed)) + ".")));
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.invalid(unknown);
    }
    return true;
  }

  /** The query parameter names a handler declares. */
  public static Set<String> declaredParameters(HandlerMethod method) {
    Set<String> names = new TreeSet<>();
    for (MethodParameter p : method.getMethodParameters()) {
      RequestParam rp = p.getParameterAnnotation(RequestParam.class);
      if (rp != null) {
        String name = !rp.name().isEmpty() ? rp.name() : rp.value();
        names.add(name.isEmpty() ? p.getParameterName() : name);
      }
    }
    return names;
  }
}
