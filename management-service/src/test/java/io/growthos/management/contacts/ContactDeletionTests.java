package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /v1/contacts/{id}} removes every event of every id the contact is known by, and the
 * history of ids given at creation is linked to the contact.
 */
class ContactDeletionTests extends ApiTestSupport {

  private void anonymousEvent(String workspaceId, String anonymousId) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, anonymous_id, timestamp,"
            + " received_at) values (?, ?, ?, 'track', 'Before', ?, now(), now())",
        workspaceId,
        id,
        "msg-" + id,
        anonymousId);
  }

  private long eventsOf(String workspaceId, String anonymousId) {
    return jdbc.queryForObject(
        "select count(*) from events where workspace_id = ? and anonymous_id = ?",
        Long.class,
        workspaceId,
        anonymousId);
  }

  @Test
  void deleteRemovesEventsOfAnonymousIdsGivenAtCreation() {
    Tenant t = newTenant();
    anonymousEvent(t.workspaceId(), "device-a");
    anonymousEvent(t.workspaceId(), "device-a");
    anonymousEvent(t.workspaceId(), "someone-else");
    Response created =
        post("/v1/contacts", t.key(), "{\"user_id\":\"u\",\"anonymous_ids\":[\"device-a\"]}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();

    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);

    assertThat(eventsOf(t.workspaceId(), "device-a")).isZero();
    assertThat(eventsOf(t.workspaceId(), "someone-else")).isEqualTo(1);
    assertThat(get("/v1/contacts/" + id, t.key()).status()).isEqualTo(404);
  }

  @Test
  void historyOfIdsGivenAtCreationJoinsTheContact() {
    Tenant t = newTenant();
    anonymousEvent(t.workspaceId(), "device-b");
    anonymousEvent(t.workspaceId(), "device-b");
    Response created = post("/v1/contacts", t.key(), "{\"anonymous_ids\":[\"device-b\"]}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (ids(get("/v1/events?contact_id=" + id, t.key())).size() < 2) {
      assertThat(System.nanoTime()).as("history linked in time").isLessThan(deadline);
      LockSupport.parkNanos(50_000_000L);
    }
  }

  @Test
  void recreatingADeletedContactOnPurposeLiftsTheSuppressionOfItsIds() {
    Tenant t = newTenant();
    String id =
        post("/v1/contacts", t.key(), "{\"user_id\":\"again\"}").body().path("id").asString();
    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);
    assertThat(suppressed(t.workspaceId(), "again")).isTrue();
    assertThat(post("/v1/contacts", t.key(), "{\"user_id\":\"again\"}").status()).isEqualTo(201);
    assertThat(suppressed(t.workspaceId(), "again")).isFalse();
  }

  /**
   * The webhook events that carry the person (its contact as it was, its waitlist participation,
   * its survey answers, also those recorded under its ids before they were linked) are deleted with
   * it: before, they stayed for the whole webhook retention and a resend delivered the deleted
   * person again after {@code contact.deleted}. Events of other people stay.
   */
  @Test
  void deletionDeletesTheWebhookEventsThatCarryThePerson() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"erased@example.com\",\"anonymous_ids\":[\"erased-device\"],"
                + "\"traits\":{\"name\":\"Erased Person\"}}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    assertThat(patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"plan\":\"pro\"}}").status())
        .isEqualTo(200);
    Response waitlist =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\":\"waitlist\",\"name\":\"W\",\"status\":\"active\",\"settings\":{}}");
    assertThat(waitlist.status()).as(waitlist.raw()).isEqualTo(201);
    String cmp = waitlist.body().path("id").asString();
    for (String email : List.of("erased@example.com", "stays@example.com")) {
      Response joined =
          post("/v1/campaigns/" + cmp + "/participants", t.key(), "{\"email\":\"" + email + "\"}");
      assertThat(joined.status()).as(joined.raw()).isEqualTo(201);
    }
    // A survey answer its device gave before it was linked to the contact.
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload) values (?, ?,"
            + " 'survey.response.completed', ?::jsonb)",
        t.workspaceId(),
        Ids.next(IdPrefix.EVENT),
        "{\"object\": \"survey_response\", \"id\": \"r-1\", \"contact_id\": null,"
            + " \"user_id\": null, \"anonymous_id\": \"erased-device\", \"answers\": {\"why\":"
            + " \"Erased Person hates it\"}}");
    assertThat(outboxMentioning(t.workspaceId(), "Erased Person")).hasSize(3);
    assertThat(outboxMentioning(t.workspaceId(), "erased@example.com")).hasSize(3);

    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);

    assertThat(outboxMentioning(t.workspaceId(), "Erased Person"))
        .containsExactly("contact.deleted");
    assertThat(outboxMentioning(t.workspaceId(), "erased@example.com"))
        .containsExactly("contact.deleted");
    assertThat(outboxMentioning(t.workspaceId(), "stays@example.com"))
        .containsExactlyInAnyOrder("contact.created", "waitlist.joined");
  }

  /**
   * Responses kept for Idempotency-Key replays (24 h) that showed the deleted person: a replayed
   * create, PATCH or join answers the 404 a read of it answers now, and does not run again (the
   * person does not come back); a replayed admit lists the others only, and a segment preview, a
   * read, runs again. Before, each replay returned the person's e-mail, ids and traits for a day
   * after the deletion.
   */
  @Test
  void replaysOfEarlierRequestsNoLongerShowTheDeletedPerson() {
    Tenant t = newTenant();
    String create =
        "{\"email\":\"replayed@example.com\",\"user_id\":\"replayed\","
            + "\"traits\":{\"name\":\"Replayed Person\"}}";
    Response created = post("/v1/contacts", t.key(), create, "Idempotency-Key", "create-1");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    String traits = "{\"traits\":{\"plan\":\"pro\"}}";
    assertThat(patch("/v1/contacts/" + id, t.key(), traits, "Idempotency-Key", "patch-1").status())
        .isEqualTo(200);
    String cmp =
        post(
                "/v1/campaigns",
                t.key(),
                "{\"type\":\"waitlist\",\"name\":\"W\",\"status\":\"active\",\"settings\":{}}")
            .body()
            .path("id")
            .asString();
    String join = "{\"email\":\"replayed@example.com\"}";
    String joins = "/v1/campaigns/" + cmp + "/participants";
    assertThat(post(joins, t.key(), join, "Idempotency-Key", "join-1").status()).isEqualTo(201);
    assertThat(post(joins, t.key(), "{\"email\":\"other@example.com\"}").status()).isEqualTo(201);
    String admit = "/v1/campaigns/" + cmp + "/admit";
    Response admitted = post(admit, t.key(), "{\"count\":2}", "Idempotency-Key", "admit-1");
    assertThat(admitted.body().path("data").size()).as(admitted.raw()).isEqualTo(2);
    String preview =
        "{\"filter\":{\"all\":[{\"field\":\"traits.name\",\"op\":\"eq\","
            + "\"value\":\"Replayed Person\"}]}}";
    Response previewed =
        post("/v1/segments/preview", t.key(), preview, "Idempotency-Key", "preview-1");
    assertThat(previewed.body().path("sample").size()).as(previewed.raw()).isEqualTo(1);

    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);

    Response again = post("/v1/contacts", t.key(), create, "Idempotency-Key", "create-1");
    assertThat(again.status()).as(again.raw()).isEqualTo(404);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.errorCode()).isEqualTo("not_found");
    assertThat(again.body().path("request_id").asString()).isNotBlank();
    Response patched = patch("/v1/contacts/" + id, t.key(), traits, "Idempotency-Key", "patch-1");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(404);
    Response joined = post(joins, t.key(), join, "Idempotency-Key", "join-1");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(404);
    assertThat(joined.firstDetail().path("field").asString()).isEqualTo("pid");
    Response admittedAgain = post(admit, t.key(), "{\"count\":2}", "Idempotency-Key", "admit-1");
    assertThat(admittedAgain.status()).isEqualTo(200);
    assertThat(admittedAgain.body().path("data").size()).as(admittedAgain.raw()).isEqualTo(1);
    // A read sent as a POST runs again (its key has no effect): nothing of the person is kept.
    Response previewedAgain =
        post("/v1/segments/preview", t.key(), preview, "Idempotency-Key", "preview-1");
    assertThat(previewedAgain.header("Idempotent-Replayed")).isNull();
    assertThat(previewedAgain.body().path("sample").size()).isZero();
    assertThat(previewedAgain.body().path("count").asLong()).isZero();
    for (Response replay : List.of(again, patched, joined, admittedAgain, previewedAgain)) {
      assertThat(replay.raw()).doesNotContain("replayed@example.com", "Replayed Person");
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from idempotency_records where workspace_id = ?"
                    + " and strpos(response_body, 'replayed@example.com') > 0",
                Long.class,
                t.workspaceId()))
        .isZero();
    assertThat(ids(get("/v1/contacts?user_id=replayed", t.key())))
        .as("not created again")
        .isEmpty();
  }

  /**
   * A trends query broken down by traits.email, asked with an Idempotency-Key before a person's
   * erasure and again with the same key after it: the second answer showed their e-mail for 24 h,
   * as the stored answer of the first (a black-box review, 2026-12-07). A read's key now has no
   * effect, so the query runs again.
   */
  @Test
  void anAnalyticsQueryAskedAgainAfterAnErasureNoLongerShowsThePerson() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"erase.me@example.com\",\"user_id\":\"u-erase\","
                + "\"traits\":{\"email\":\"erase.me@example.com\"}}");
    String id = created.body().path("id").asString();
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, user_id, contact_id,"
            + " properties, context, timestamp, received_at)"
            + " values (?, 'evt_erase1', 'm-erase-1', 'track', 'Signed Up', 'u-erase', ?,"
            + " '{}'::jsonb, '{}'::jsonb, now() - interval '1 hour', now())",
        t.workspaceId(),
        id);
    String query =
        "{\"kind\":\"trends\",\"series\":[{\"event\":\"Signed Up\"}],"
            + "\"breakdown\":{\"trait\":\"traits.email\"}}";
    Response before = post("/v1/analytics/query", t.key(), query, "Idempotency-Key", "an-1");
    assertThat(before.status()).as(before.raw()).isEqualTo(200);
    assertThat(before.raw()).contains("erase.me@example.com");

    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);

    Response after = post("/v1/analytics/query", t.key(), query, "Idempotency-Key", "an-1");
    assertThat(after.status()).as(after.raw()).isEqualTo(200);
    assertThat(after.raw()).doesNotContain("erase.me@example.com");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from idempotency_records where workspace_id = ?"
                    + " and strpos(response_body, 'erase.me@example.com') > 0",
                Long.class,
                t.workspaceId()))
        .isZero();
  }

  private List<String> outboxMentioning(String workspaceId, String text) {
    return jdbc.queryForList(
        "select type from webhook_outbox where workspace_id = ? and strpos(payload::text, ?) > 0",
        String.class,
        workspaceId,
        text);
  }

  private boolean suppressed(String workspaceId, String value) {
    return jdbc.queryForObject(
        "select count(*) > 0 from contact_suppressions where workspace_id = ? and value = ?",
        Boolean.class,
        workspaceId,
        value);
  }
}
