package io.growthos.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.platform.testapp.PlatformTestApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

@SpringBootTest(
    classes = PlatformTestApplication.class,
    properties = "growthos.ratelimit.enabled=false")
class KeyAuthenticatorTests {

  @Autowired KeyAuthenticator authenticator;
  @Autowired JdbcTemplate jdbc;

  private String workspace;

  @BeforeEach
  void workspace() {
    workspace = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'auth', 'growth')", workspace);
  }

  private String insertKey(KeyType type, Instant expiresAt, String... scopes) {
    String key = ApiKeys.generate(type);
    KeyRows.insertApiKey(jdbc, workspace, type, "auth", key, expiresAt, scopes);
    return key;
  }

  @Test
  void anActiveKeyResolvesToItsWorkspacePlanAndScopes() {
    String key = insertKey(KeyType.SECRET, null, "contacts:read", "events:write");
    AuthenticatedKey caller = authenticator.authenticate(key).orElseThrow();
    assertThat(caller.type()).isEqualTo(KeyType.SECRET);
    assertThat(caller.workspaceId()).isEqualTo(workspace);
    assertThat(caller.plan()).isEqualTo(Plan.GROWTH);
    assertThat(caller.scopes()).containsExactlyInAnyOrder("contacts:read", "events:write");
  }

  @Test
  void unknownAndMalformedKeysAreRejected() {
    assertThat(authenticator.authenticate(ApiKeys.generate(KeyType.WRITE))).isEmpty();
    assertThat(authenticator.authenticate("gos_wk_short")).isEmpty();
    assertThat(authenticator.authenticate(null)).isEmpty();
    assertThat(authenticator.authenticate("Bearer nonsense")).isEmpty();
  }

  @Test
  void aRevokedKeyIsRejectedOnceTheCacheIsEvicted() {
    String key = insertKey(KeyType.WRITE, null);
    assertThat(authenticator.authenticate(key)).isPresent();
    jdbc.update(
        "update api_keys set status = 'revoked' where key_hash = ?", (Object) ApiKeys.hash(key));
    authenticator.evictAll();
    assertThat(authenticator.authenticate(key)).isEmpty();
  }

  /**
   * The test's database, but its first query counts {@code read} down once it has read its rows,
   * then waits for {@code release} before returning them: a lookup held in flight.
   */
  private JdbcTemplate pausingAfterTheFirstRead(CountDownLatch read, CountDownLatch release) {
    return new JdbcTemplate(jdbc.getDataSource()) {
      @Override
      public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = super.query(sql, mapper, args);
        if (read.getCount() > 0) {
          read.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return rows;
      }
    };
  }

  /**
   * A lookup that read the key before its revocation and returns after the revoking copy's
   * evictAll: before, Caffeine stored its answer (invalidateAll does not remove a load in flight)
   * and the revoked key kept working in the copy that revoked it for the cache's TTL.
   */
  @Test
  void aLookupInFlightDuringTheEvictionOfARevocationDoesNotKeepTheKeyWorking() throws Exception {
    String key = insertKey(KeyType.WRITE, null);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    JdbcTemplate slow = pausingAfterTheFirstRead(read, release);
    KeyAuthenticator own = new KeyAuthenticator(slow, Duration.ofMinutes(5));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<AuthenticatedKey>> inFlight = pool.submit(() -> own.authenticate(key));
      assertThat(read.await(30, TimeUnit.SECONDS)).isTrue(); // it has read the key as active
      jdbc.update(
          "update api_keys set status = 'revoked' where key_hash = ?", (Object) ApiKeys.hash(key));
      own.evictAll();
      release.countDown();
      // The request in flight at the revocation may pass; every one after it must not.
      inFlight.get(30, TimeUnit.SECONDS);
      assertThat(own.authenticate(key)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A request that starts after the revocation's eviction, while a lookup begun before it is still
   * in flight: Caffeine hands the new request that lookup's answer (read before the revocation), so
   * the revoked key passed once more, after the revoke had answered 200.
   */
  @Test
  void aRequestStartedAfterTheEvictionDoesNotShareALookupBegunBeforeIt() throws Exception {
    String key = insertKey(KeyType.WRITE, null);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    JdbcTemplate slow = pausingAfterTheFirstRead(read, release);
    KeyAuthenticator own = new KeyAuthenticator(slow, Duration.ofMinutes(5));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Optional<AuthenticatedKey>> inFlight = pool.submit(() -> own.authenticate(key));
      assertThat(read.await(30, TimeUnit.SECONDS)).isTrue(); // it has read the key as active
      jdbc.update(
          "update api_keys set status = 'revoked' where key_hash = ?", (Object) ApiKeys.hash(key));
      own.evictAll(); // the revoke commits and answers 200 after this
      Future<Optional<AuthenticatedKey>> after = pool.submit(() -> own.authenticate(key));
      Thread.sleep(200); // let it reach the cache while the first lookup is still in flight
      release.countDown();
      inFlight.get(30, TimeUnit.SECONDS); // in flight at the revocation: it may pass
      assertThat(after.get(30, TimeUnit.SECONDS))
          .as("a request begun after the revocation")
          .isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRolledKeyWorksUntilItsGracePeriodEnds() {
    String inGrace = insertKey(KeyType.SECRET, Instant.now().plusSeconds(60), "*");
    String expired = insertKey(KeyType.SECRET, Instant.now().minusSeconds(1), "*");
    assertThat(authenticator.authenticate(inGrace)).isPresent();
    assertThat(authenticator.authenticate(expired)).isEmpty();
  }

  @Test
  void adminKeysResolveWithoutAWorkspace() {
    String key = ApiKeys.generate(KeyType.ADMIN);
    KeyRows.insertAdminKey(jdbc, "auth", key);
    AuthenticatedKey admin = authenticator.authenticate(key).orElseThrow();
    assertThat(admin.type()).isEqualTo(KeyType.ADMIN);
    assertThat(admin.workspaceId()).isNull();
  }
}
