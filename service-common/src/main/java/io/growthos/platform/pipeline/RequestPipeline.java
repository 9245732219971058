package io.growthos.platform.pipeline;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.ApiKeyCredentials;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.ratelimit.RateLimitGate;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.Errors;
import io.growthos.platform.web.RouteMethods;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * The request pipeline of a service: runs once per request, after Spring MVC has matched the
 * handler and before anything of the handler runs (argument resolution, body reading), and decides
 * on that handler's declaration, never on the request's URI. In order:
 *
 * <ol>
 *   <li>the handler's declaration ({@link AccessDeclarations}); a handler without one is refused as
 *       if the route did not exist (deny by default), and a test keeps it from shipping;
 *   <li>the {@code Authorization} header, parsed once ({@link ApiKeyCredentials});
 *   <li>the rate limit, which authenticates the key at the same time ({@link RateLimitGate}): one
 *       authentication per request, and a refused request costs no database work;
 *   <li>on a route that takes the key in the body and a request without a header key: the body is
 *       read, bounded, only once the address has been charged ({@link BodyKeyReader});
 *   <li>the key's type and scopes against the declaration: 401 for the wrong kind of key, 403
 *       naming a missing scope.
 * </ol>
 *
 * The outcome is one {@link AuthenticatedKey} in the request, which handlers take as a parameter.
 * Paths were made canonical before this ran ({@link CanonicalPathFilter}).
 */
public class RequestPipeline implements HandlerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(RequestPipeline.class);

  private final AccessDeclarations declarations;
  private final RateLimitGate gate;
  private final BodyKeyReader bodyKeys;
  private final Map<HandlerMethod, Optional<Access>> cache = new ConcurrentHashMap<>();

  private final ActuatorRoutes actuator;
  private final RouteMethods routes;
  private final ErrorResponses errors;

  /**
   * @param bodyKeys reads keys from bodies, or null when no route of this service accepts one
   */
  RequestPipeline(
      AccessDeclarations declarations,
      RateLimitGate gate,
      BodyKeyReader bodyKeys,
      ActuatorRoutes actuator,
      RouteMethods routes,
      ErrorResponses errors) {
    this.declarations = declarations;
    this.gate = gate;
    this.bodyKeys = bodyKeys;
    this.actuator = actuator;
    this.routes = routes;
    this.errors = errors;
  }

  /**
   * The declaration of {@code handler}: the actuator's decide their own ({@link ActuatorRoutes}).
   */
  private Optional<Access> declaration(HandlerMethod handler) {
    return ActuatorRoutes.owns(handler) ? actuator.of(handler) : declarations.of(handler);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      // An async re-dispatch or the container's error page: decided already.
      gate.reapplyHeaders(request, response);
      return true;
    }
    if (!(handler instanceof HandlerMethod method)) {
      if (CorsUtils.isPreFlightRequest(request)) {
        return preflight(request, response);
      }
      if (handler instanceof ResourceHttpRequestHandler) {
        return true; // static resources (404 for everything here)
      }
      throw Errors.unknownRoute(request);
    }
    HttpOptionsHeaders.correct(method);
    Access access = cache.computeIfAbsent(method, this::declaration).orElse(null);
    if (access == null) {
      if (ActuatorRoutes.owns(method)) {
        log.warn(
            "Refused {}: on the service's port only the actuator's health endpoint is served;"
                + " expose the others on a separate management.server.port",
            request.getRequestURI());
      } else {
        log.error("Refused {}: its handler {} declares no access", request.getRequestURI(), method);
      }
      throw Errors.unknownRoute(request);
    }
    if (access.isPublic()) {
      if (access.charged()) {
        gate.chargeAddress(request, response);
      }
      return true;
    }
    AuthenticatedKey key = authenticate(request, response, access);
    // Every scope the key lacks, one detail each, so one change to the key is enough (until
    // 2026-12-07 only the first was named, and a route needing two took two tries).
    List<String> missing = access.scopes().stream().filter(s -> !key.grants(s)).toList();
    if (!missing.isEmpty()) {
      throw Errors.missingScopes(
          missing.size() == 1
              ? "This key lacks the scope '" + missing.get(0) + "' that this route needs."
              : "This key lacks the scopes '"
                  + String.join("', '", missing)
                  + "' that this route needs.",
          missing);
    }
    request.setAttribute(AuthenticatedKey.ATTRIBUTE, key);
    return true;
  }

  /**
   * A CORS preflight that reached Spring MVC (the Ingest API's CORS filters answer theirs before
   * it): Spring's own CORS answers it and grants nothing without a configuration. To a path no
   * route has it is the unknown route's 404, as a plain {@code OPTIONS} there is; to a route,
   * {@code Allow} lists that route's methods. Both answered 200 with the servlet's seven methods in
   * {@code Allow} (TRACE included) until 2026-12-07. The 404 is written here: Spring's exception
   * handlers take no exception of a handler that is not a controller method (it was a 500).
   *
   * @return whether Spring's CORS goes on to answer it
   */
  private boolean preflight(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Set<String> methods = routes.of(request.getRequestURI());
    if (methods == null) {
      return true; // no route table here: Spring's CORS answers as it would
    }
    if (methods.isEmpty()) {
      errors.write(Errors.unknownRoute(request), request, response);
      return false;
    }
    response.setHeader(HttpHeaders.ALLOW, String.join(", ", methods));
    return true;
  }

  private AuthenticatedKey authenticate(
      HttpServletRequest request, HttpServletResponse response, Access access) {
    Optional<String> header;
    try {
      header =
          ApiKeyCredentials.fromAuthorizationHeaders(
              Collections.list(request.getHeaders(ApiKeyCredentials.HEADER)));
    } catch (ApiException malformed) {
      gate.chargeAddress(request, response);
      throw malformed;
    }
    String field = ApiKeyCredentials.HEADER;
    Optional<String> presented = header;
    // A GET (the widget reads) has no body to carry a key: a missing header key is just missing.
    boolean mayHaveBody = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
    if (header.isEmpty() && access.bodyKey() && bodyKeys != null && mayHaveBody) {
      gate.chargeBeforeBody(request, response);
      presented = bodyKeys.bodyKey(request);
      field = ApiKeyCredentials.BODY_FIELD;
    }
    if (presented.isEmpty()) {
      gate.chargeAddress(request, response);
      throw missing(access);
    }
    Optional<KeyType> claimed = KeyType.ofKey(presented.get());
    if (claimed.isPresent() && claimed.get() != access.keyType()) {
      // Known to be the wrong kind by its prefix: no lookup needed.
      gate.chargeAddress(request, response);
      throw wrongType(access, claimed.get(), field);
    }
    String where = field;
    return gate.authenticate(request, response, presented.get(), access.browser())
        .filter(k -> k.type() == access.keyType())
        .orElseThrow(() -> invalid(access, where));
  }

  private ApiException missing(Access access) {
    String message = "Missing API key. " + howToSend(access);
    return new ApiException(
        ErrorCode.UNAUTHORIZED,
        message,
        List.of(ErrorDetail.of(ApiKeyCredentials.HEADER, "missing", howToSend(access))));
  }

  private ApiException wrongType(Access access, KeyType presented, String field) {
    String why =
        switch (presented) {
          case WRITE -> "Write keys (gos_wk_) belong on the Ingest API.";
          case SECRET ->
              declarations.service() == AccessDeclarations.ServiceName.MANAGEMENT
                  ? "Secret keys (gos_sk_) do not reach operator routes."
                  : "Secret keys (gos_sk_) belong on the Management API.";
          case ADMIN ->
              declarations.service() == AccessDeclarations.ServiceName.MANAGEMENT
                  ? "Admin keys (gos_ak_) reach only the operator routes (/v1/workspaces,"
                      + " /v1/admin-keys)."
                  : "Admin keys (gos_ak_) belong on the Management API.";
        };
    String message = why + " " + howToSend(access);
    return new ApiException(
        ErrorCode.UNAUTHORIZED, message, List.of(ErrorDetail.of(field, "wrong_key_type", message)));
  }

  private ApiException invalid(Access access, String field) {
    String message = "The API key is invalid, revoked or expired. " + howToSend(access);
    return new ApiException(
        ErrorCode.UNAUTHORIZED, message, List.of(ErrorDetail.of(field, "invalid_key", message)));
  }

  private String howToSend(Access access) {
    return switch (access.keyType()) {
      case WRITE ->
          "The "
              + declarations.service().label()
              + " takes write keys (gos_wk_...): send one as the HTTP Basic username"
              + (access.bodyKey()
                  ? ", as 'Authorization: Bearer', or as 'writeKey' in the body."
                  : " or as 'Authorization: Bearer'.");
      case SECRET ->
          "The "
              + declarations.service().label()
              + " takes secret keys: send 'Authorization:"
              + " Bearer gos_sk_…'.";
      case ADMIN -> "Operator routes take an admin key: send 'Authorization: Bearer gos_ak_…'.";
    };
  }
}
