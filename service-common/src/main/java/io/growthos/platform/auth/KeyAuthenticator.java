package io.growthos.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.model.values.SqlInstants;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Resolves a presented key to the caller, by the SHA-256 of the key.
 *
 * <p>Both hits and misses are cached in-process for {@code cacheTtl} so that a hot key costs a hash
 * and a map lookup, and a flood of one wrong key does not reach the database each time. A plan
 * change, revocation or roll made through the API clears the cache of every copy of both services
 * when it commits ({@link #changeCommitsWithThisTransaction}, {@link KeyChangeListener}). Only
 * while a copy has lost its listening connection, or for a change made by hand in SQL, does it take
 * up to {@code cacheTtl} there.
 */
public class KeyAuthenticator {

  private static final String SQL_API_KEY =
      """
      select k.id, coalesce(k.lineage_id, k.id) as lineage_id, k.type, k.workspace_id, w.plan,
             k.scopes, k.expires_at
        from api_keys k join workspaces w on w.id = k.workspace_id
       where k.key_hash = ? and k.status = 'active'
      """;
  private static final String SQL_ADMIN_KEY =
      "select id from admin_keys where key_hash = ? and status = 'active'";

  private final JdbcTemplate jdbc;
  private final Cache<CacheKey, Optional<AuthenticatedKey>> cache;

  /**
   * Counts {@link #evictAll} calls. It is part of every cache key, so a lookup started after an
   * eviction never shares the answer of a lookup begun before it (Caffeine hands a request that
   * asks for a key being loaded the load in flight), and tells whether one ran meanwhile.
   */
  private final AtomicLong evictions = new AtomicLong();

  /** A key's hash (hex) in one generation of the cache: {@link #evictions} when it was asked. */
  private record CacheKey(long generation, String hash) {}

  public KeyAuthenticator(JdbcTemplate jdbc, Duration cacheTtl) {
    this.jdbc = jdbc;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl).build();
  }

  /**
   * The caller for {@code presentedKey}, or empty when the key is malformed, unknown, revoked or
   * past its grace period.
   *
   * @throws ApiException 503 with {@code Retry-After} when an uncached key cannot be checked
   *     because the database is unreachable: the client may retry, and it is not a 500
   */
  public Optional<AuthenticatedKey> authenticate(String presentedKey) {
    Optional<KeyType> type = KeyType.ofKey(presentedKey);
    if (type.isEmpty() || !ApiKeys.isWellFormed(type.get(), presentedKey)) {
      return Optional.empty();
    }
    byte[] hash = ApiKeys.hash(presentedKey);
    CacheKey id = new CacheKey(evictions.get(), HexFormat.of().formatHex(hash));
    Optional<AuthenticatedKey> found;
    try {
      found = cache.get(id, h -> lookup(type.get(), hash));
      if (evictions.get() != id.generation()) {
        // evictAll ran meanwhile: this answer may have been read before the change it was called
        // for (a revocation), and a lookup in flight is not removed by invalidateAll. It serves
        // this request, which was in flight, only: later requests ask under the new generation,
        // so they neither wait for this lookup nor read what it stored.
        cache.asMap().remove(id, found);
      }
    } catch (DataAccessException e) {
      throw new ApiException(
          ErrorCode.SERVICE_UNAVAILABLE,
          "The API key cannot be checked right now; retry shortly.",
          List.of(ErrorDetail.of("service", "unavailable", "Retry after 1 s.")),
          Map.of("Retry-After", "1"));
    }
    Instant now = Instant.now();
    return found.filter(k -> k.usableAt(now));
  }

  /** Whether the key is already known (or known to be wrong) without touching the database. */
  public boolean isCached(String presentedKey) {
    return cache.getIfPresent(
            new CacheKey(evictions.get(), HexFormat.of().formatHex(ApiKeys.hash(presentedKey))))
        != null;
  }

  /**
   * Call inside the transaction that revokes or rolls a key, revokes an admin key or changes a
   * workspace's plan: when it commits, every copy of both services forgets its cached keys. It
   * notifies {@link KeyChangeListener#CHANNEL} in the transaction (PostgreSQL delivers it to every
   * listening copy at commit, and not at all on rollback) and clears this copy's cache right after
   * the commit, before the request answers.
   *
   * @throws IllegalStateException outside a transaction
   */
  public void changeCommitsWithThisTransaction() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("A key change is made in a transaction");
    }
    jdbc.queryForList("select pg_notify(?, '')::text", String.class, KeyChangeListener.CHANNEL);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            evictAll();
          }
        });
  }

  /**
   * Forgets everything cached, so changes made by this copy apply at once: to every request that
   * starts after this returns, including while a lookup begun before it is still in flight.
   */
  public void evictAll() {
    evictions.incrementAndGet();
    cache.invalidateAll();
  }

  private Optional<AuthenticatedKey> lookup(KeyType type, byte[] hash) {
    if (type == KeyType.ADMIN) {
      List<String> ids = jdbc.queryForList(SQL_ADMIN_KEY, String.class, (Object) hash);
      return ids.stream()
          .findFirst()
          .map(id -> new AuthenticatedKey(id, id, KeyType.ADMIN, null, null, Set.of(), null));
    }
    List<AuthenticatedKey> keys =
        jdbc.query(
            SQL_API_KEY,
            (rs, n) -> {
              Instant expires = SqlInstants.get(rs, "expires_at");
              return new AuthenticatedKey(
                  rs.getString("id"),
                  rs.getString("lineage_id"),
                  KeyType.ofWireName(rs.getString("type")).orElseThrow(),
                  rs.getString("workspace_id"),
                  Plan.ofWireName(rs.getString("plan")).orElseThrow(),
                  scopes(rs.getArray("scopes")),
                  expires);
            },
            (Object) hash);
    return keys.stream().findFirst();
  }

  private static Set<String> scopes(Array array) throws SQLException {
    if (array == null) {
      return Set.of();
    }
    return Set.of((String[]) array.getArray());
  }
}
