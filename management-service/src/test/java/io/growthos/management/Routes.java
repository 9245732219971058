package io.growthos.management;

import io.growthos.management.auth.RequiresAdminKey;
import io.growthos.management.auth.RequiresScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The live route table of the app: every {@code /v1} handler, one entry per method and path. */
public final class Routes {

  /** One route; {@code scope} is null for operator (admin-key) routes. */
  public record Route(String method, String path, HandlerMethod handler) {

    public String scope() {
      RequiresScope s = handler.getMethodAnnotation(RequiresScope.class);
      return s == null ? null : s.value()[0];
    }

    public boolean adminOnly() {
      return handler.hasMethodAnnotation(RequiresAdminKey.class);
    }

    /** Every scope the route requires (all of them). */
    public List<String> scopes() {
      RequiresScope s = handler.getMethodAnnotation(RequiresScope.class);
      return s == null ? List.of() : List.of(s.value());
    }

    /** Not a GET, and not one of the POSTs that only read (they take a query in the body). */
    public boolean isWrite() {
      return !method.equals("GET") && !READ_ONLY_POSTS.contains(path);
    }

    /** The resource of the route's scope, e.g. {@code contacts}. */
    public String resource() {
      String scope = scope();
      return scope == null ? null : scope.substring(0, scope.indexOf(':'));
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** POST routes that change nothing: the body is a query too large for a URL. */
  static final java.util.Set<String> READ_ONLY_POSTS =
      java.util.Set.of("/v1/segments/preview", "/v1/analytics/query");

  private Routes() {}

  public static List<Route> of(RequestMappingHandlerMapping mapping) {
    List<Route> routes = new ArrayList<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String path : info.getPatternValues()) {
                if (!path.startsWith("/v1/")) {
                  continue;
                }
                for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                  routes.add(new Route(m.name(), path, handler));
                }
              }
            });
    routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
    return routes;
  }
}
