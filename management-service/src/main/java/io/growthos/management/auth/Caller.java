package io.growthos.management.auth;

import io.growthos.model.keys.KeyType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * The authenticated caller of a request, as a handler parameter. {@code workspaceId} is null for an
 * admin key. Every service query is bounded by {@link #workspaceId()}.
 */
public record Caller(String keyId, KeyType keyType, String workspaceId, Set<String> scopes) {

  static final String ATTRIBUTE = Caller.class.getName();

  /** The caller that {@link AuthInterceptor} stored on the request, if it ran. */
  public static Caller of(HttpServletRequest request) {
    return (Caller) request.getAttribute(ATTRIBUTE);
  }

  /** The namespace of per-caller state (cursors, idempotency keys): workspace or operator. */
  public String tenant() {
    return workspaceId == null ? "" : workspaceId;
  }
}
