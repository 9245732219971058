package io.growthos.management.auth;

import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * The authenticated caller of a request, as a handler parameter. {@code workspaceId} is null for an
 * admin key. Every service query is bounded by {@link #workspaceId()}. {@code lineageId}: the first
 * key of the chain of rolls the caller's key ends, which owns its Idempotency-Key records.
 */
public record Caller(
    String keyId, String lineageId, KeyType keyType, String workspaceId, Set<String> scopes) {

  /** The caller the request pipeline authenticated, or null on a public route. */
  public static Caller of(HttpServletRequest request) {
    AuthenticatedKey key = AuthenticatedKey.of(request);
    return key == null ? null : of(key);
  }

  static Caller of(AuthenticatedKey key) {
    return new Caller(key.keyId(), key.lineageId(), key.type(), key.workspaceId(), key.scopes());
  }

  /** The namespace of per-caller state (cursors, idempotency keys): workspace or operator. */
  public String tenant() {
    return workspaceId == null ? "" : workspaceId;
  }

  /** Whether this caller holds {@code scope} ({@code *}, or write for a read). */
  public boolean holds(String scope) {
    return Scopes.grants(scopes, scope);
  }
}
