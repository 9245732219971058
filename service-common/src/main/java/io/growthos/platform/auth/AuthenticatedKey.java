package io.growthos.platform.auth;

import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Who is calling: the key's id and type, its workspace and plan (null for admin keys) and its
 * scopes. {@code expiresAt} is set for a rolled key in its grace period. {@code lineageId} is the
 * first key of the chain of rolls the key ends (its own id when it replaced no key): a rolled key
 * and its successor are one credential.
 *
 * <p>The request pipeline authenticates a request once and leaves the result here; handlers take it
 * as a parameter (the Management API wraps it as its {@code Caller}).
 */
public record AuthenticatedKey(
    String keyId,
    String lineageId,
    KeyType type,
    String workspaceId,
    Plan plan,
    Set<String> scopes,
    Instant expiresAt) {

  /** Request attribute under which the pipeline leaves the authenticated key. */
  public static final String ATTRIBUTE = AuthenticatedKey.class.getName();

  /** The scope that grants everything. */
  public static final String ALL_SCOPES = "*";

  public boolean usableAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  /** Whether this key holds {@code needed}: see {@link #grants(Collection, String)}. */
  public boolean grants(String needed) {
    return grants(scopes, needed);
  }

  /**
   * Whether {@code held} grants {@code needed} (SPEC §4): {@code *} grants everything, {@code
   * resource:write} implies {@code resource:read}.
   */
  public static boolean grants(Collection<String> held, String needed) {
    if (held.contains(ALL_SCOPES) || held.contains(needed)) {
      return true;
    }
    if (needed.endsWith(":read")) {
      String resource = needed.substring(0, needed.length() - ":read".length());
      return held.contains(resource + ":write");
    }
    return false;
  }

  /** The key the pipeline authenticated for this request, or null on a public route. */
  public static AuthenticatedKey of(HttpServletRequest request) {
    return (AuthenticatedKey) request.getAttribute(ATTRIBUTE);
  }
}
