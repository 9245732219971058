package io.growthos.platform.pipeline;

import io.growthos.platform.auth.PublicRoute;
import io.growthos.platform.auth.RequiresWriteKey;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;

/**
 * Reads what a handler declares about who may call it. Each service has one (a bean): the Ingest
 * API knows {@link RequiresWriteKey}, the Management API its scope and admin-key annotations. A
 * handler for which this answers empty is refused (deny by default).
 */
public interface AccessDeclarations {

  /** Which API this service is: names the other API in messages about keys of the wrong type. */
  ServiceName service();

  /** The declaration of {@code handler}, or empty when it declares nothing. */
  Optional<Access> of(HandlerMethod handler);

  /**
   * Spring's handler of a plain {@code OPTIONS} request to an existing route (no CORS preflight
   * headers): answers 200 with the route's methods in {@code Allow} and no body. Private to Spring,
   * so named here; it is a handler like any other for the pipeline, which decides on it by this
   * declaration and not on the request's path or method.
   */
  String HTTP_OPTIONS_HANDLER =
      "org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping$HttpOptionsHandler";

  /**
   * The declarations both services share: {@link PublicRoute} on the method or its class, {@link
   * RequiresWriteKey}, and the framework's own handlers (OpenAPI document, error page, the {@code
   * OPTIONS} answer of {@link #HTTP_OPTIONS_HANDLER}), which are public by nature and uncharged.
   * Empty for anything else, the actuator's handlers included: the pipeline asks {@link
   * ActuatorRoutes} about those (health only is public).
   */
  static Optional<Access> common(HandlerMethod handler) {
    if (handler.hasMethodAnnotation(PublicRoute.class)
        || handler.getBeanType().isAnnotationPresent(PublicRoute.class)) {
      return Optional.of(Access.publicRoute());
    }
    if (handler.hasMethodAnnotation(RequiresWriteKey.class)) {
      return Optional.of(Access.writeKeyInHeaderOrBody());
    }
    String type = handler.getBeanType().getName();
    if (type.startsWith("org.springdoc.")
        || (type.startsWith("org.springframework.boot.") && !ActuatorRoutes.owns(handler))
        || type.equals("io.growthos.platform.web.EnvelopeErrorController")
        || type.equals(HTTP_OPTIONS_HANDLER)) {
      return Optional.of(Access.framework());
    }
    return Optional.empty();
  }

  /** The two APIs, as named to a caller who sent a key meant for the other one. */
  enum ServiceName {
    INGEST("Ingest API"),
    MANAGEMENT("Management API");

    private final String label;

    ServiceName(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
