package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.AtOnce;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Key lifecycle (SPEC §4): shown once, revoked at once, rolled with a grace period. */
class ApiKeysTest extends ApiTestSupport {

  @Test
  void createdKeyIsShownOnceAndWorksWithItsScopes() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/api-keys",
            t.key(),
            "{\"type\":\"secret\",\"name\":\"reporting\",\"scopes\":[\"events:read\"]}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String key = created.body().path("key").asString();
    assertThat(key).startsWith("gos_sk_");
    assertThat(created.body().path("last_four").asString())
        .isEqualTo(key.substring(key.length() - 4));
    String id = created.body().path("id").asString();
    Response fetched = get("/v1/api-keys/" + id, t.key());
    assertThat(fetched.body().has("key")).isFalse();
    assertThat(get("/v1/api-keys", t.key()).raw()).doesNotContain(key);
    assertThat(get("/v1/events", key).status()).isEqualTo(200);
    assertThat(get("/v1/contacts", key).status()).isEqualTo(403);
  }

  @Test
  void writeKeysCarryNoScopesAndSecretKeysNeedOne() {
    Tenant t = newTenant();
    Response write = post("/v1/api-keys", t.key(), "{\"type\":\"write\"}");
    assertThat(write.status()).isEqualTo(201);
    assertThat(write.body().path("key").asString()).startsWith("gos_wk_");
    assertThat(post("/v1/api-keys", t.key(), "{\"type\":\"write\",\"scopes\":[\"*\"]}").status())
        .isEqualTo(400);
    Response secret = post("/v1/api-keys", t.key(), "{\"type\":\"secret\"}");
    assertThat(secret.status()).isEqualTo(400);
    assertThat(secret.firstDetail().path("field").asString()).isEqualTo("scopes");
  }

  /**
   * A workspace's only key revoking itself left it with no key at all: nobody could reach its
   * Management API again until an operator gave it one. As for admin keys, a secret key cannot
   * revoke itself (revoke it with another key, which proves that one works, or roll it); another
   * key revokes it as before.
   */
  @Test
  void aSecretKeyCannotRevokeItselfSoAWorkspaceCannotLockItselfOut() {
    Tenant t = newTenant();
    String ownId =
        jdbc.queryForObject(
            "select id from api_keys where workspace_id = ? and type = 'secret'",
            String.class,
            t.workspaceId());
    Response self = post("/v1/api-keys/" + ownId + "/revoke", t.key(), null);
    assertThat(self.status()).as(self.raw()).isEqualTo(422);
    assertThat(self.firstDetail().path("field").asString()).isEqualTo("id");
    assertThat(self.firstDetail().path("reason").asString()).isEqualTo("revoking_own_key");
    assertThat(get("/v1/contacts", t.key()).status()).isEqualTo(200);
    Response other = post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"*\"]}");
    String otherKey = other.body().path("key").asString();
    Response byOther = post("/v1/api-keys/" + ownId + "/revoke", otherKey, null);
    assertThat(byOther.status()).as(byOther.raw()).isEqualTo(200);
    assertThat(get("/v1/contacts", t.key()).status()).isEqualTo(401);
  }

  /**
   * Two keys revoking each other at once: each request was authenticated before the other's revoke
   * committed, and each locked only the key it revoked, so both succeeded and a workspace holding
   * just these two keys was left with none. A revoke now also locks the caller's own key (both rows
   * in id order) and goes ahead only while that key is still active: the later one is 401.
   */
  @Test
  void twoKeysRevokingEachOtherAtOnceLeaveOneOfThemActive() throws Exception {
    for (int round = 0; round < 10; round++) {
      TwoKeys k = twoKeys();
      Tenant t = k.tenant();
      List<Response> answers =
          AtOnce.all(
              List.of(
                  () -> post("/v1/api-keys/" + k.bId() + "/revoke", t.key(), null),
                  () -> post("/v1/api-keys/" + k.aId() + "/revoke", k.bKey(), null)));
      Integer active =
          jdbc.queryForObject(
              "select count(*) from api_keys where workspace_id = ? and status = 'active'",
              Integer.class,
              t.workspaceId());
      assertThat(active)
          .as("round %d: %s / %s", round, answers.get(0).raw(), answers.get(1).raw())
          .isEqualTo(1);
      assertThat(answers).extracting(Response::status).containsExactlyInAnyOrder(200, 401);
      Response refused = answers.get(0).status() == 401 ? answers.get(0) : answers.get(1);
      assertThat(refused.firstDetail().path("reason").asString()).isEqualTo("invalid_key");
    }
  }

  /** The same for a roll racing a revoke: a key acts only while it is active. */
  @Test
  void aKeyRevokedWhileItsRollOfAnotherKeyRunsCannotRollIt() throws Exception {
    for (int round = 0; round < 10; round++) {
      TwoKeys k = twoKeys();
      List<Response> answers =
          AtOnce.all(
              List.of(
                  () -> post("/v1/api-keys/" + k.bId() + "/roll", k.tenant().key(), null),
                  () -> post("/v1/api-keys/" + k.aId() + "/revoke", k.bKey(), null)));
      assertThat(answers)
          .as("round %d: %s / %s", round, answers.get(0).raw(), answers.get(1).raw())
          .extracting(Response::status)
          .containsExactlyInAnyOrder(200, 401);
    }
  }

  /** A new workspace's first secret key (A, the tenant's) and a second one (B), both scope *. */
  private record TwoKeys(Tenant tenant, String aId, String bKey, String bId) {}

  private TwoKeys twoKeys() {
    Tenant t = newTenant();
    String aId = keyId(t.workspaceId());
    Response b = post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"*\"]}");
    return new TwoKeys(t, aId, b.body().path("key").asString(), b.body().path("id").asString());
  }

  private String keyId(String workspaceId) {
    return jdbc.queryForObject(
        "select id from api_keys where workspace_id = ? and type = 'secret'",
        String.class,
        workspaceId);
  }

  @Test
  void revokedKeyStopsAtOnce() {
    Tenant t = newTenant();
    Response created =
        post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"contacts:read\"]}");
    String key = created.body().path("key").asString();
    assertThat(get("/v1/contacts", key).status()).isEqualTo(200);
    Response revoked =
        post("/v1/api-keys/" + created.body().path("id").asString() + "/revoke", t.key(), null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().path("status").asString()).isEqualTo("revoked");
    assertThat(get("/v1/contacts", key).status()).isEqualTo(401);
  }

  /**
   * A revoke while the key is in use: requests in flight when it commits may finish, but none that
   * starts after its 200 succeeds (docs/security.md "Revocation applies everywhere at once").
   */
  @Test
  void noRequestStartedAfterTheRevokesAnswerSucceeds() throws Exception {
    Tenant t = newTenant();
    Response created =
        post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"contacts:read\"]}");
    String key = created.body().path("key").asString();
    record Attempt(long startedAt, int status) {}
    ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    long answeredAt;
    try {
      for (int i = 0; i < 6; i++) {
        pool.submit(
            () -> {
              while (!stop.get()) {
                long started = System.nanoTime();
                attempts.add(new Attempt(started, get("/v1/contacts?limit=1", key).status()));
              }
            });
      }
      Thread.sleep(500);
      Response revoked =
          post("/v1/api-keys/" + created.body().path("id").asString() + "/revoke", t.key(), null);
      answeredAt = System.nanoTime();
      assertThat(revoked.status()).isEqualTo(200);
      Thread.sleep(500);
      stop.set(true);
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    List<Attempt> all = List.copyOf(attempts);
    assertThat(all).as("requests before the revoke").anyMatch(a -> a.status() == 200);
    assertThat(all).as("requests after the revoke").anyMatch(a -> a.status() == 401);
    assertThat(all).allMatch(a -> a.status() == 200 || a.status() == 401);
    assertThat(all)
        .as("requests started after the revoke answered 200")
        .filteredOn(a -> a.startedAt() > answeredAt)
        .isNotEmpty()
        .allMatch(a -> a.status() == 401);
  }

  @Test
  void rolledKeyKeepsWorkingThroughTheGracePeriodOnly() {
    Tenant t = newTenant();
    Response created =
        post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"contacts:read\"]}");
    String oldKey = created.body().path("key").asString();
    String id = created.body().path("id").asString();
    Response rolled =
        post("/v1/api-keys/" + id + "/roll", t.key(), "{\"grace_period_seconds\":3600}");
    assertThat(rolled.status()).as(rolled.raw()).isEqualTo(200);
    String newKey = rolled.body().path("key").asString();
    assertThat(newKey).startsWith("gos_sk_").isNotEqualTo(oldKey);
    assertThat(rolled.body().path("scopes").path(0).asString()).isEqualTo("contacts:read");
    assertThat(get("/v1/contacts", oldKey).status()).isEqualTo(200);
    assertThat(get("/v1/contacts", newKey).status()).isEqualTo(200);
    Response old = get("/v1/api-keys/" + id, t.key());
    assertThat(old.body().path("rolled_to_id").asString())
        .isEqualTo(rolled.body().path("id").asString());
    assertThat(old.body().path("expires_at").isNull()).isFalse();
    assertThat(old.body().path("status").asString()).isEqualTo("active");

    Response again =
        post("/v1/api-keys/" + rolled.body().path("id").asString() + "/roll", t.key(), null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(get("/v1/contacts", newKey).status()).as("grace 0 by default").isEqualTo(401);
    assertThat(
            get("/v1/api-keys/" + rolled.body().path("id").asString(), t.key())
                .body()
                .path("status")
                .asString())
        .as("a rolled key past its grace period says so")
        .isEqualTo("expired");
    assertThat(get("/v1/contacts", again.body().path("key").asString()).status()).isEqualTo(200);
  }

  @Test
  void gracePeriodIsBounded() {
    Tenant t = newTenant();
    String id = post("/v1/api-keys", t.key(), "{\"type\":\"write\"}").body().path("id").asString();
    Response r =
        post("/v1/api-keys/" + id + "/roll", t.key(), "{\"grace_period_seconds\":99999999}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("grace_period_seconds");
  }
}
