package io.growthos.platform.web;

import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The methods the routes at a path take, read from the route table: what {@code Allow} lists and
 * whether a path is a route at all, for the answers Spring MVC gives without a handler of ours (the
 * container's 405, a CORS preflight). The error page is no route.
 */
public final class RouteMethods {

  private final ObjectProvider<RequestMappingHandlerMapping> routes;

  /** {@code routes}: the application's {@code requestMappingHandlerMapping}, read when asked. */
  public RouteMethods(ObjectProvider<RequestMappingHandlerMapping> routes) {
    this.routes = routes;
  }

  /**
   * The methods the routes matching {@code path} take (with HEAD for GET, and OPTIONS), empty when
   * no route matches it, null when the route table is not known here.
   */
  public Set<String> of(String path) {
    RequestMappingHandlerMapping mapping = routes.getIfAvailable();
    if (mapping == null) {
      return null;
    }
    PathContainer container = PathContainer.parsePath(path);
    Set<String> methods = new TreeSet<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              PathPatternsRequestCondition patterns = info.getPathPatternsCondition();
              if (handler.getBeanType() != EnvelopeErrorController.class
                  && patterns != null
                  && patterns.getPatterns().stream().anyMatch(p -> p.matches(container))) {
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
              }
            });
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    if (!methods.isEmpty()) {
      methods.add("OPTIONS");
    }
    return methods;
  }
}
