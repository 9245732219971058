package io.growthos.management.auth;

import io.growthos.platform.auth.AuthenticatedKey;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Scope grammar of SPEC §4: {@code resource:read} or {@code resource:write} (write implies read),
 * or {@code *} for everything.
 */
public final class Scopes {

  public static final String ALL = "*";

  /** Resources a secret key can be scoped to, in this version of the API. */
  public static final List<String> RESOURCES =
      List.of(
          "contacts",
          "events",
          "keys",
          "settings",
          "segments",
          "analytics",
          "campaigns",
          "webhooks");

  private Scopes() {}

  /** Whether {@code held} grants {@code needed}. */
  public static boolean grants(Collection<String> held, String needed) {
    return AuthenticatedKey.grants(held, needed);
  }

  /**
   * Whether a key holding {@code held} may grant (create, roll, revoke) a key carrying {@code
   * granted}: every scope of it must be one {@code held} grants, and {@code *} only by {@code *}.
   */
  public static boolean covers(Collection<String> held, Collection<String> granted) {
    return granted.stream().allMatch(s -> grants(held, s));
  }

  /** Whether {@code scope} is one a key may carry. */
  public static boolean isValid(String scope) {
    if (ALL.equals(scope)) {
      return true;
    }
    int colon = scope == null ? -1 : scope.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String access = scope.substring(colon + 1);
    return RESOURCES.contains(scope.substring(0, colon))
        && (access.equals("read") || access.equals("write"));
  }

  /** Every valid scope, for error messages. */
  public static Set<String> all() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    out.add(ALL);
    for (String r : RESOURCES) {
      out.add(r + ":read");
      out.add(r + ":write");
    }
    return out;
  }
}
