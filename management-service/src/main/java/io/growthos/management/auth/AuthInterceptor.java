package io.growthos.management.auth;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.KeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every {@code /v1} request and enforces its route's {@link RequiresScope} or {@link
 * RequiresAdminKey}.
 *
 * <p>The rule: the wrong kind of key for a route (none, a write key, an admin key on a workspace
 * route, a secret key on an operator route, an unknown, revoked or expired key) is 401 with a
 * message naming the key type the route takes; a valid secret key without the route's scope is 403
 * naming the scope in {@code details}. A handler under {@code /v1} without either annotation fails
 * closed.
 */
public class AuthInterceptor implements HandlerInterceptor {

  private static final String SECRET_HINT =
      "The Management API takes secret keys: send 'Authorization: Bearer gos_sk_…'.";

  private final KeyAuthenticator authenticator;

  public AuthInterceptor(KeyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || !request.getRequestURI().startsWith("/v1/")) {
      return true;
    }
    RequiresScope scope = method.getMethodAnnotation(RequiresScope.class);
    boolean adminRoute = method.hasMethodAnnotation(RequiresAdminKey.class);
    if (scope == null && !adminRoute) {
      throw new IllegalStateException("Route without a declared scope: " + method);
    }
    String presented = bearer(request);
    KeyType type = KeyType.ofKey(presented).orElse(null);
    if (adminRoute && type != KeyType.ADMIN) {
      throw unauthorized(
          "wrong_key_type",
          "Workspace routes take an admin key: send 'Authorization: Bearer gos_ak_…'.");
    }
    if (!adminRoute && type == KeyType.WRITE) {
      throw unauthorized(
          "wrong_key_type", "Write keys (gos_wk_) belong on the Ingest API. " + SECRET_HINT);
    }
    if (!adminRoute && type == KeyType.ADMIN) {
      throw unauthorized(
          "wrong_key_type", "Admin keys (gos_ak_) reach only /v1/workspaces. " + SECRET_HINT);
    }
    AuthenticatedKey key =
        authenticator
            .authenticate(presented)
            .orElseThrow(
                () ->
                    unauthorized(
                        "invalid_key",
                        "The API key is invalid, revoked or expired. " + hintFor(adminRoute)));
    if (scope != null) {
      for (String needed : scope.value()) {
        if (!Scopes.grants(key.scopes(), needed)) {
          throw new ApiException(
              ErrorCode.FORBIDDEN,
              "This key lacks the scope '" + needed + "' that this route needs.",
              List.of(ErrorDetail.of("scope", "missing_scope", needed)));
        }
      }
    }
    request.setAttribute(
        Caller.ATTRIBUTE, new Caller(key.keyId(), key.type(), key.workspaceId(), key.scopes()));
    return true;
  }

  private static String hintFor(boolean adminRoute) {
    return adminRoute ? "Send 'Authorization: Bearer gos_ak_…'." : SECRET_HINT;
  }

  private static String bearer(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      throw new ApiException(
          ErrorCode.UNAUTHORIZED,
          "Missing API key. " + SECRET_HINT,
          List.of(
              ErrorDetail.of(
                  HttpHeaders.AUTHORIZATION, "missing", "Send 'Authorization: Bearer <key>'.")));
    }
    return Optional.of(header.strip())
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .orElseThrow(
            () ->
                unauthorized(
                    "invalid_scheme", "Use the Bearer scheme: 'Authorization: Bearer <key>'."));
  }

  private static ApiException unauthorized(String reason, String message) {
    return new ApiException(
        ErrorCode.UNAUTHORIZED,
        message,
        List.of(ErrorDetail.of(HttpHeaders.AUTHORIZATION, reason, message)));
  }
}
