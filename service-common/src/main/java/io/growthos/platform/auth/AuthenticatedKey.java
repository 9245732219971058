package io.growthos.platform.auth;

import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import java.time.Instant;
import java.util.Set;

/**
 * Who is calling: the key's id and type, its workspace and plan (null for admin keys) and its
 * scopes. {@code expiresAt} is set for a rolled key in its grace period.
 */
public record AuthenticatedKey(
    String keyId,
    KeyType type,
    String workspaceId,
    Plan plan,
    Set<String> scopes,
    Instant expiresAt) {

  public boolean usableAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }
}
