package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.web.WriteRoutes;
import io.growthos.testsupport.AtOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Idempotency-Key on writes (SPEC §4). */
class IdempotencyTest extends ApiTestSupport {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping handlers;

  private static final String BODY = "{\"email\":\"%s\",\"traits\":{\"plan\":\"pro\"}}";

  /**
   * A rolled key and its successors are one credential: a retry sent with the successor of the key
   * that made the request replays it (it ran again until 2026-12-08: black-box review T), while
   * another key of the workspace remains another owner.
   */
  @Test
  void aRetryWithTheRolledSuccessorOfTheKeyReplaysAndAnotherKeyRunsItsOwn() {
    Tenant t = newTenant();
    String first = newSecretKey(t.workspaceId(), "*");
    String body = "{\"name\":\"Roll\",\"filter\":{\"field\":\"traits.plan\",\"op\":\"exists\"}}";
    Response created = post("/v1/segments", first, body, "Idempotency-Key", "roll-1");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String second = rolled(t, first);
    String third = rolled(t, second);
    for (String successor : new String[] {second, third}) {
      Response replay = post("/v1/segments", successor, body, "Idempotency-Key", "roll-1");
      assertThat(replay.status()).as(replay.raw()).isEqualTo(201);
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(replay.body().path("id").asString())
          .isEqualTo(created.body().path("id").asString());
    }
    Response other = post("/v1/segments", t.key(), body, "Idempotency-Key", "roll-1");
    assertThat(other.status()).as(other.raw()).isEqualTo(201);
    assertThat(other.header("Idempotent-Replayed")).isNull();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from segments where workspace_id = ? and name = 'Roll'",
                Long.class,
                t.workspaceId()))
        .isEqualTo(2);
  }

  /** The successor of {@code key}, which keeps working for an hour. */
  private String rolled(Tenant t, String key) {
    Response roll =
        post("/v1/api-keys/" + keyIdOf(key) + "/roll", t.key(), "{\"grace_period_seconds\":3600}");
    assertThat(roll.status()).as(roll.raw()).isEqualTo(200);
    return roll.body().path("key").asString();
  }

  @Test
  void replaysTheFirstResponseWithReplayedHeader() {
    Tenant t = newTenant();
    String key = UUID.randomUUID().toString();
    String body = BODY.formatted("replay@example.com");
    Response first = post("/v1/contacts", t.key(), body, "Idempotency-Key", key);
    Response second = post("/v1/contacts", t.key(), body, "Idempotency-Key", key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(contactsWithEmail(t, "replay@example.com")).isEqualTo(1);
  }

  /**
   * A read sent as a POST (an analytics query, a segment preview: its question is too rich for a
   * URL) changes nothing, so a retry simply runs again, as a GET does: its Idempotency-Key, even a
   * malformed one, has no effect and nothing is stored. Until 2026-12-07 its answer was stored and
   * replayed for 24 h, and kept showing a person erased meanwhile: the e-mail of a breakdown by
   * traits.email, a preview's count (a black-box review).
   */
  @Test
  void aReadSentAsAPostIgnoresItsIdempotencyKeyAndIsAnsweredAfresh() {
    Tenant t = newTenant();
    String query = "{\"kind\":\"counts\"}";
    String preview =
        "{\"filter\":{\"all\":[{\"field\":\"traits.plan\",\"op\":\"eq\",\"value\":\"pro\"}]}}";
    for (String[] read :
        List.of(
            new String[] {"/v1/analytics/query", query},
            new String[] {"/v1/segments/preview", preview})) {
      for (String key : List.of("read-1", "read-1", "x".repeat(300))) {
        Response r = post(read[0], t.key(), read[1], "Idempotency-Key", key);
        assertThat(r.status()).as(read[0] + " " + r.raw()).isEqualTo(200);
        assertThat(r.header("Idempotent-Replayed")).as(read[0]).isNull();
      }
    }
    assertThat(post("/v1/segments/preview", t.key(), preview).body().path("count").asLong())
        .isZero();
    insertContact(t.workspaceId(), "u-pro", "{\"plan\": \"pro\"}");
    assertThat(
            post("/v1/segments/preview", t.key(), preview, "Idempotency-Key", "read-1")
                .body()
                .path("count")
                .asLong())
        .as("run again, not replayed")
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from idempotency_records where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isZero();
  }

  /** The rule the two cases above broke, for every handler: a write answers a ResponseEntity. */
  @Test
  void everyIdempotentWriteReturnsAResponseEntity() {
    List<String> plain =
        handlers.getHandlerMethods().values().stream()
            .filter(h -> WriteRoutes.isIdempotentWrite(h.getMethod(), h.getBeanType()))
            .filter(h -> !ResponseEntity.class.isAssignableFrom(h.getMethod().getReturnType()))
            .map(h -> h.getBeanType().getSimpleName() + "." + h.getMethod().getName())
            .toList();
    assertThat(plain).isEmpty();
  }

  @Test
  void aReplayedErrorNamesItsOwnRequestAndTheFirstInOriginalRequest() {
    Tenant t = newTenant();
    post("/v1/contacts", t.key(), BODY.formatted("taken@example.com"));
    String refused = BODY.formatted("taken@example.com");
    Response first = post("/v1/contacts", t.key(), refused, "Idempotency-Key", "e-1");
    Response again = post("/v1/contacts", t.key(), refused, "Idempotency-Key", "e-1");
    assertThat(first.status()).isEqualTo(409);
    assertThat(again.status()).isEqualTo(first.status());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body().path("request_id").asString())
        .isEqualTo(again.header("X-Request-Id"))
        .isNotEqualTo(first.body().path("request_id").asString());
    assertThat(again.header("Original-Request"))
        .isEqualTo(first.body().path("request_id").asString());
    assertThat(again.body().path("error")).isEqualTo(first.body().path("error"));
  }

  @Test
  void acceptsTheQuotedFormOfTheIetfDraft() {
    Tenant t = newTenant();
    String body = BODY.formatted("quoted@example.com");
    post("/v1/contacts", t.key(), body, "Idempotency-Key", "\"k-1\"");
    Response replay = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k-1");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }

  /**
   * Two {@code Idempotency-Key} headers (an SDK's own key and a retry middleware's): which one
   * protects the request cannot be known. The first one was used, so a retry carrying only the
   * second ran the request again and created a second campaign.
   */
  @Test
  void twoIdempotencyKeyHeadersAreRefusedAndNothingRuns() {
    Tenant t = newTenant();
    String body = "{\"type\":\"waitlist\",\"name\":\"launch\"}";

    Response both =
        post("/v1/campaigns", t.key(), body, "Idempotency-Key", "k-a", "Idempotency-Key", "k-b");

    assertThat(both.status()).as(both.raw()).isEqualTo(400);
    assertThat(both.firstDetail().path("field").asString()).isEqualTo("Idempotency-Key");
    assertThat(both.firstDetail().path("reason").asString()).isEqualTo("duplicate_header");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from campaigns where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isZero();
  }

  @Test
  void rejectsTheSameKeyWithADifferentBody() {
    Tenant t = newTenant();
    post("/v1/contacts", t.key(), BODY.formatted("a@example.com"), "Idempotency-Key", "k");
    Response other =
        post("/v1/contacts", t.key(), BODY.formatted("b@example.com"), "Idempotency-Key", "k");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.errorCode()).isEqualTo("idempotency_key_reused");
    Response otherPath =
        post("/v1/api-keys", t.key(), "{\"type\":\"write\"}", "Idempotency-Key", "k");
    assertThat(otherPath.errorCode()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void answers409WhileTheFirstIsInFlight() {
    Tenant t = newTenant();
    String body = BODY.formatted("inflight@example.com");
    post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    // Put the record back in the state it had while the first request ran.
    jdbc.update(
        "update idempotency_records set state = 'in_flight', created_at = now()"
            + " where workspace_id = ? and idempotency_key = 'k'",
        t.workspaceId());
    Response r = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("idempotency_key_in_use");
    assertThat(r.header("Retry-After")).isEqualTo("1");
  }

  @Test
  void takesOverAClaimLeftByACrashedRequest() {
    Tenant t = newTenant();
    String body = BODY.formatted("crash@example.com");
    post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    jdbc.update("delete from contacts where workspace_id = ?", t.workspaceId());
    jdbc.update(
        "update idempotency_records set state = 'in_flight', response_status = null,"
            + " created_at = now() - interval '5 minutes' where workspace_id = ?",
        t.workspaceId());
    Response r = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("Idempotent-Replayed")).isNull();
    assertThat(contactsWithEmail(t, "crash@example.com")).isEqualTo(1);
  }

  @Test
  void requestsRejectedBeforeTheHandlerDoNotClaimTheKey() {
    Tenant t = newTenant();
    String body = BODY.formatted("later@example.com");
    assertThat(post("/v1/contacts", null, body, "Idempotency-Key", "k").status()).isEqualTo(401);
    assertThat(post("/v1/contacts", t.key(), "{\"email\":", "Idempotency-Key", "k").status())
        .isEqualTo(400);
    assertThat(
            post("/v1/contacts", t.key(), "{\"emial\":\"x@example.com\"}", "Idempotency-Key", "k")
                .status())
        .isEqualTo(400);
    assertThat(
            post(
                    "/v1/contacts",
                    newSecretKey(t.workspaceId(), "contacts:read"),
                    body,
                    "Idempotency-Key",
                    "k")
                .status())
        .isEqualTo(403);
    Response r = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("Idempotent-Replayed")).isNull();
  }

  @Test
  void storesAndReplaysClientErrorsOfTheHandler() {
    Tenant t = newTenant();
    post("/v1/contacts", t.key(), BODY.formatted("dup@example.com"));
    String body = BODY.formatted("dup@example.com");
    Response first = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    Response replay = post("/v1/contacts", t.key(), body, "Idempotency-Key", "k");
    assertThat(first.status()).isEqualTo(409);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.errorCode()).isEqualTo("duplicate_resource");
  }

  /**
   * A 400 says the request is invalid, wherever the check ran: a trait number past what jsonb holds
   * or traits over 64 KB are found by the handler, and claimed the key, so the corrected request
   * with it was 422 idempotency_key_reused (a black-box review, 2026-12-07). Like the checks before
   * the handler, it now leaves the key free.
   */
  @Test
  void aRequestTheHandlerFindsInvalidDoesNotClaimTheKey() {
    Tenant t = newTenant();
    String tooBig = "{\"email\":\"big@example.com\",\"traits\":{\"n\":-1e999}}";
    Response refused = post("/v1/contacts", t.key(), tooBig, "Idempotency-Key", "fix-1");
    assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
    assertThat(refused.firstDetail().path("field").asString()).isEqualTo("traits.n");
    String huge =
        "{\"email\":\"big@example.com\",\"traits\":{\"t\":\"" + "x".repeat(70_000) + "\"}}";
    Response tooLarge = post("/v1/contacts", t.key(), huge, "Idempotency-Key", "fix-2");
    assertThat(tooLarge.status()).as(tooLarge.raw()).isEqualTo(400);

    String fixed = BODY.formatted("big@example.com");
    Response created = post("/v1/contacts", t.key(), fixed, "Idempotency-Key", "fix-1");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    Response replay = post("/v1/contacts", t.key(), fixed, "Idempotency-Key", "fix-1");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(
            post(
                    "/v1/contacts",
                    t.key(),
                    BODY.formatted("big2@example.com"),
                    "Idempotency-Key",
                    "fix-2")
                .status())
        .isEqualTo(201);
  }

  @Test
  void keysArePerSecretKey() {
    Tenant t = newTenant();
    String otherKey = newSecretKey(t.workspaceId(), "*");
    post("/v1/contacts", t.key(), BODY.formatted("one@example.com"), "Idempotency-Key", "k");
    Response r =
        post("/v1/contacts", otherKey, BODY.formatted("two@example.com"), "Idempotency-Key", "k");
    assertThat(r.status()).isEqualTo(201);
  }

  @Test
  void rejectsKeysLongerThan255Characters() {
    Tenant t = newTenant();
    Response r =
        post(
            "/v1/contacts",
            t.key(),
            BODY.formatted("long@example.com"),
            "Idempotency-Key",
            "k".repeat(256));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("Idempotency-Key");
    assertThat(
            post(
                    "/v1/contacts",
                    t.key(),
                    BODY.formatted("ok@example.com"),
                    "Idempotency-Key",
                    "k".repeat(255))
                .status())
        .isEqualTo(201);
  }

  @Test
  void concurrentIdenticalRequestsCreateExactlyOneResource() throws Exception {
    Tenant t = newTenant();
    String body = BODY.formatted("race@example.com");
    List<String> createdIds = new ArrayList<>();
    for (Response r :
        AtOnce.times(
            8, i -> () -> post("/v1/contacts", t.key(), body, "Idempotency-Key", "race"))) {
      assertThat(r.status()).as(r.raw()).isIn(201, 409);
      if (r.status() == 201) {
        createdIds.add(r.body().path("id").asString());
      } else {
        assertThat(r.errorCode()).isEqualTo("idempotency_key_in_use");
      }
    }
    assertThat(createdIds).isNotEmpty();
    assertThat(createdIds).allMatch(createdIds.get(0)::equals);
    assertThat(contactsWithEmail(t, "race@example.com")).isEqualTo(1);
  }

  @Test
  void coversPatchAndDeleteToo() {
    Tenant t = newTenant();
    String id = post("/v1/contacts", t.key(), "{}").body().path("id").asString();
    String patch = "{\"traits\":{\"a\":1}}";
    Response p1 = patch("/v1/contacts/" + id, t.key(), patch, "Idempotency-Key", "p");
    Response p2 = patch("/v1/contacts/" + id, t.key(), patch, "Idempotency-Key", "p");
    assertThat(p2.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(p2.body().path("version").asInt()).isEqualTo(p1.body().path("version").asInt());
    Response d1 = delete("/v1/contacts/" + id, t.key(), "Idempotency-Key", "d");
    Response d2 = delete("/v1/contacts/" + id, t.key(), "Idempotency-Key", "d");
    assertThat(d1.status()).isEqualTo(204);
    assertThat(d2.status()).isEqualTo(204);
    assertThat(d2.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void neverStoresAFullKeyAtRest() {
    Tenant t = newTenant();
    String body = "{\"type\":\"secret\",\"scopes\":[\"events:read\"]}";
    Response first = post("/v1/api-keys", t.key(), body, "Idempotency-Key", "key-1");
    String key = first.body().path("key").asString();
    assertThat(key).startsWith("gos_sk_");
    Integer stored =
        jdbc.queryForObject(
            "select count(*) from idempotency_records where response_body like ?",
            Integer.class,
            "%" + key + "%");
    assertThat(stored).isZero();
    Response replay = post("/v1/api-keys", t.key(), body, "Idempotency-Key", "key-1");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body().path("id")).isEqualTo(first.body().path("id"));
    assertThat(replay.body().path("key").isNull()).isTrue();
  }

  /**
   * A participant's tokens are stored only as SHA-256 and appear only in the response that created
   * the participant (docs/campaigns.md): like full API keys, they are not kept in the idempotency
   * store, and a replayed join answers them null. (Before, both were stored in plaintext for 24 h
   * and every replay showed them again.)
   */
  @Test
  void neverStoresAParticipantsTokensAtRest() {
    Tenant t = newTenant();
    Response waitlist =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\":\"waitlist\",\"name\":\"w\",\"status\":\"active\","
                + "\"settings\":{\"require_verification\":true}}");
    assertThat(waitlist.status()).as(waitlist.raw()).isEqualTo(201);
    String path = "/v1/campaigns/" + waitlist.body().path("id").asString() + "/participants";
    String body = "{\"email\":\"tokens@example.com\"}";
    Response first = post(path, t.key(), body, "Idempotency-Key", "join-1");
    assertThat(first.status()).as(first.raw()).isEqualTo(201);
    String participantToken = first.body().path("participant_token").asString();
    String verificationToken = first.body().path("verification_token").asString();
    assertThat(participantToken).startsWith("pt_");
    assertThat(verificationToken).startsWith("vt_");
    for (String token : List.of(participantToken, verificationToken)) {
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from idempotency_records where response_body like ?",
                  Integer.class,
                  "%" + token + "%"))
          .as(token)
          .isZero();
    }
    Response replay = post(path, t.key(), body, "Idempotency-Key", "join-1");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body().path("id")).isEqualTo(first.body().path("id"));
    assertThat(replay.body().path("participant_token").isNull()).isTrue();
    assertThat(replay.body().path("verification_token").isNull()).isTrue();
  }

  private int contactsWithEmail(Tenant t, String email) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from contacts where workspace_id = ? and email = ?",
            Integer.class,
            t.workspaceId(),
            email);
    return n == null ? 0 : n;
  }

  @Test
  void theSameBodyWithOtherKeyOrderOrWhitespaceIsAReplay() {
    Tenant t = newTenant();
    Response first =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"order@example.com\",\"traits\":{\"plan\":\"pro\",\"seats\":3,"
                + "\"addr\":{\"city\":\"Oslo\",\"zip\":\"0150\"}}}",
            "Idempotency-Key",
            "order");
    Response reordered =
        post(
            "/v1/contacts",
            t.key(),
            "{ \"traits\" : { \"addr\": {\"zip\":\"0150\", \"city\":\"Oslo\"},\n"
                + "  \"seats\": 3, \"plan\": \"pro\" },\n  \"email\": \"order@example.com\" }",
            "Idempotency-Key",
            "order");
    assertThat(first.status()).as(first.raw()).isEqualTo(201);
    assertThat(reordered.status()).as(reordered.raw()).isEqualTo(201);
    assertThat(reordered.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(reordered.body()).isEqualTo(first.body());
    // A different value is another request.
    Response other =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"order@example.com\",\"traits\":{\"plan\":\"pro\",\"seats\":4,"
                + "\"addr\":{\"city\":\"Oslo\",\"zip\":\"0150\"}}}",
            "Idempotency-Key",
            "order");
    assertThat(other.errorCode()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void aKeyThatIsNotPrintableAsciiIsA400NamingTheHeaderAndClaimsNothing() {
    Tenant t = newTenant();
    String body = BODY.formatted("unicode@example.com");
    // Sent as UTF-8 bytes on the wire, as a client that does not check would send them.
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + t.key());
    headers.put("Content-Type", "application/json");
    headers.put("Idempotency-Key", "clé-☃");
    io.growthos.testsupport.RawHttp.Answer a =
        io.growthos.testsupport.RawHttp.send(port, "POST", "/v1/contacts", headers, body);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(JSON.readTree(a.body()).at("/error/details/0/field").asString())
        .isEqualTo("Idempotency-Key");
    assertThat(contactsWithEmail(t, "unicode@example.com")).isZero();
  }

  @Test
  void refusalsOfTheBodyBeforeTheHandlerDoNotClaimTheKey() {
    Tenant t = newTenant();
    String body = BODY.formatted("refused@example.com");
    // 415 of a form body, 406 of an Accept without JSON, 413 over the body limit.
    java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
    form.put("Authorization", "Bearer " + t.key());
    form.put("Content-Type", "application/x-www-form-urlencoded");
    form.put("Idempotency-Key", "r");
    assertThat(
            io.growthos.testsupport.RawHttp.send(
                    port, "POST", "/v1/contacts", form, "email=refused@example.com")
                .status())
        .isEqualTo(415);
    assertThat(
            post("/v1/contacts", t.key(), body, "Idempotency-Key", "r", "Accept", "text/html")
                .status())
        .isEqualTo(406);
    assertThat(
            post(
                    "/v1/contacts",
                    t.key(),
                    "{\"traits\": {\"x\": \"" + "a".repeat(1_100_000) + "\"}}",
                    "Idempotency-Key",
                    "r")
                .status())
        .isEqualTo(413);
    Response r = post("/v1/contacts", t.key(), body, "Idempotency-Key", "r");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.header("Idempotent-Replayed")).isNull();
  }
}
