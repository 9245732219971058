package io.growthos.platform.pipeline;

import io.growthos.model.keys.KeyType;
import java.util.List;

/**
 * Who may call one handler, as it declares it: nobody in particular ({@link #publicRoute()}), or a
 * key of one type holding every scope listed.
 *
 * @param keyType the key the route takes, null for a public route
 * @param scopes the scopes that key must hold (all of them); empty for write and admin keys
 * @param bodyKey whether the key may come in the body's {@code writeKey} (Ingest API)
 * @param charged whether a public route is charged to the client address (framework routes such as
 *     health and the OpenAPI document are not)
 * @param browser whether visitors' browsers call it with the public write key (the widget routes):
 *     charged to a bucket of the key's own for such routes and to one per client address and key
 *     ({@code growthos.ratelimit.browser-requests-per-second-per-address}), so that one address
 *     holding the page's key cannot spend every visitor's budget
 */
public record Access(
    KeyType keyType, List<String> scopes, boolean bodyKey, boolean charged, boolean browser) {

  private static final Access PUBLIC = new Access(null, List.of(), false, true, false);
  private static final Access FRAMEWORK = new Access(null, List.of(), false, false, false);

  public Access {
    scopes = List.copyOf(scopes);
  }

  /** A route that takes no key ({@code @PublicRoute}); charged to the client address. */
  public static Access publicRoute() {
    return PUBLIC;
  }

  /** A route of the framework (health, OpenAPI, the error page): no key, no charge. */
  public static Access framework() {
    return FRAMEWORK;
  }

  /** A route that takes a key of {@code type} holding every one of {@code scopes}. */
  public static Access key(KeyType type, String... scopes) {
    return new Access(type, List.of(scopes), false, true, false);
  }

  /**
   * A route visitors' browsers call with the public write key, from the Authorization header only
   * (the widget routes).
   */
  public static Access browserWriteKey() {
    return new Access(KeyType.WRITE, List.of(), false, true, true);
  }

  /** A route that takes a write key, from the Authorization header or the body's writeKey. */
  public static Access writeKeyInHeaderOrBody() {
    return new Access(KeyType.WRITE, List.of(), true, true, false);
  }

  public boolean isPublic() {
    return keyType == null;
  }
}
