package io.growthos.platform.pipeline;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.boot.webmvc.actuate.endpoint.web.AdditionalHealthEndpointPathsWebMvcHandlerMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * The access of Spring Boot's actuator handlers on the service's own port: its health endpoint
 * (with the liveness and readiness groups and any additional health path) is a public framework
 * route, and every other actuator handler — the links page, {@code env}, {@code beans}, {@code
 * metrics}… should an operator widen {@code management.endpoints.web.exposure} — declares nothing,
 * so the pipeline refuses it as an unknown route. Those endpoints belong on a separate {@code
 * management.server.port} that the operator keeps off the internet (docs/deployment.md).
 *
 * <p>Decided on the handler, as every route is: the handler objects that serve health are read once
 * from the actuator's own handler mappings (the operations mapped under the health endpoint's
 * path), and a request's handler is one of them or not.
 */
final class ActuatorRoutes {

  private static final String PACKAGE = "org.springframework.boot.webmvc.actuate.";

  private final ObjectProvider<AbstractWebMvcEndpointHandlerMapping> mappings;
  private final ObjectProvider<PathMappedEndpoints> endpoints;
  private volatile Set<Object> healthHandlers;

  ActuatorRoutes(
      ObjectProvider<AbstractWebMvcEndpointHandlerMapping> mappings,
      ObjectProvider<PathMappedEndpoints> endpoints) {
    this.mappings = mappings;
    this.endpoints = endpoints;
  }

  /** Whether {@code handler} is one of the actuator's, which this class decides on. */
  static boolean owns(HandlerMethod handler) {
    return handler.getBeanType().getName().startsWith(PACKAGE);
  }

  /** Public for the health endpoint's handlers, empty (refused) for any other. */
  Optional<Access> of(HandlerMethod handler) {
    return health().contains(handler.getBean())
        ? Optional.of(Access.framework())
        : Optional.empty();
  }

  private Set<Object> health() {
    Set<Object> known = healthHandlers;
    if (known == null) {
      known = Collections.newSetFromMap(new IdentityHashMap<>());
      PathMappedEndpoints paths = endpoints.getIfAvailable();
      String healthPath = paths == null ? null : paths.getPath(EndpointId.of("health"));
      for (AbstractWebMvcEndpointHandlerMapping mapping : mappings) {
        boolean allHealth = mapping instanceof AdditionalHealthEndpointPathsWebMvcHandlerMapping;
        for (var entry : mapping.getHandlerMethods().entrySet()) {
          boolean underHealth =
              healthPath != null
                  && entry.getKey().getPatternValues().stream()
                      .anyMatch(p -> p.equals(healthPath) || p.startsWith(healthPath + "/"));
          if (allHealth || underHealth) {
            known.add(entry.getValue().getBean());
          }
        }
      }
      healthHandlers = known;
    }
    return known;
  }
}
