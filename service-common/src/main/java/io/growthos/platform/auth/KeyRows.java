package io.growthos.platform.auth;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.values.SqlInstants;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Stores a key the caller already holds as a row of {@code api_keys} or {@code admin_keys} over
 * JDBC: what the bootstrap does on start, and what tests do to set up callers. The row holds the
 * key's hash, prefix and last four as {@link ApiKeys} computes them, never the key. (The management
 * API's key routes create keys through the {@code ApiKey} entity, which takes them from the same
 * place.)
 */
public final class KeyRows {

  private KeyRows() {}

  /**
   * Stores {@code key} as an active key of {@code workspaceId} that does not expire, with {@code
   * scopes} (none for a write key; {@code "*"} for a secret key that may do everything).
   *
   * @return the key's id
   */
  public static String insertApiKey(
      JdbcOperations jdbc,
      String workspaceId,
      KeyType type,
      String name,
      String key,
      String... scopes) {
    return insertApiKey(jdbc, workspaceId, type, name, key, null, scopes);
  }

  /**
   * Stores {@code key} as an active key of {@code workspaceId} that expires at {@code expiresAt}
   * (null: never), as a rolled key does when its grace period ends.
   *
   * @return the key's id
   * @throws IllegalArgumentException when {@code key} is not a well-formed key of {@code type}, or
   *     {@code type} is {@link KeyType#ADMIN} (those are {@link #insertAdminKey})
   */
  public static String insertApiKey(
      JdbcOperations jdbc,
      String workspaceId,
      KeyType type,
      String name,
      String key,
      Instant expiresAt,
      String... scopes) {
    if (type == KeyType.ADMIN) {
      throw new IllegalArgumentException("an admin key belongs to no workspace: insertAdminKey");
    }
    requireWellFormed(type, key);
    String id = Ids.next(IdPrefix.API_KEY);
    jdbc.update(
        "insert into api_keys"
            + " (workspace_id, id, type, name, key_hash, prefix, last_four, scopes, expires_at)"
            + " values (?,?,?,?,?,?,?,?,?)",
        workspaceId,
        id,
        type.wireName(),
        name,
        ApiKeys.hash(key),
        type.prefix(),
        ApiKeys.lastFour(key),
        scopes,
        SqlInstants.param(expiresAt));
    return id;
  }

  /**
   * Stores {@code key} as an admin key.
   *
   * @return the key's id
   * @throws IllegalArgumentException when {@code key} is not a well-formed admin key
   */
  public static String insertAdminKey(JdbcOperations jdbc, String name, String key) {
    requireWellFormed(KeyType.ADMIN, key);
    String id = Ids.next(IdPrefix.API_KEY);
    jdbc.update(
        "insert into admin_keys (id, name, key_hash, prefix, last_four) values (?,?,?,?,?)",
        id,
        name,
        ApiKeys.hash(key),
        KeyType.ADMIN.prefix(),
        ApiKeys.lastFour(key));
    return id;
  }

  private static void requireWellFormed(KeyType type, String key) {
    if (!ApiKeys.isWellFormed(type, key)) {
      throw new IllegalArgumentException("not a well-formed " + type.wireName() + " key");
    }
  }
}
