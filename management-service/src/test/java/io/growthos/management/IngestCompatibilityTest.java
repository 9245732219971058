package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contacts and events written by the Ingest API (plain JDBC, jsonb) appear here with the same ids
 * and documents, digit for digit.
 */
class IngestCompatibilityTest extends ApiTestSupport {

  private static final String TRAITS =
      "{\"name\": \"Zoë 🚀\", \"plan\": \"pro\", \"score\": 12345678901234567890,"
          + " \"ratio\": 0.1000000000000000055511151231257827, \"nested\": {\"a\": [1, {\"b\":"
          + " null}]}}";

  @Test
  void contactWrittenByIngestAppearsWithItsIdsAndTraits() {
    Tenant t = newTenant();
    String id = insertContact(t.workspaceId(), "user-42", TRAITS);
    jdbc.update(
        "insert into contact_identities (workspace_id, kind, value, contact_id)"
            + " values (?, 'anonymous_id', 'anon-1', ?)",
        t.workspaceId(),
        id);
    String group = Ids.next(IdPrefix.GROUP);
    jdbc.update(
        "insert into groups (workspace_id, id, group_id, traits) values (?, ?, 'acme', '{}')",
        t.workspaceId(),
        group);
    jdbc.update(
        "insert into group_memberships (workspace_id, group_id, contact_id) values (?, ?, ?)",
        t.workspaceId(),
        group,
        id);

    Response r = get("/v1/contacts/" + id, t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("user_id").asString()).isEqualTo("user-42");
    assertThat(r.body().path("anonymous_ids").path(0).asString()).isEqualTo("anon-1");
    assertThat(r.body().path("groups").path(0).asString()).isEqualTo("acme");
    assertThat(r.body().path("traits")).isEqualTo(stored(t, id));
    assertThat(r.raw()).contains("12345678901234567890").contains("Zoë 🚀");
    assertThat(r.body().path("first_seen_at").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(ids(get("/v1/contacts?user_id=user-42", t.key()))).containsExactly(id);
  }

  @Test
  void eventWrittenByIngestAppearsWithItsFields() {
    Tenant t = newTenant();
    String contact = insertContact(t.workspaceId(), "user-7", "{}");
    String id = insertEvent(t.workspaceId(), contact, "user-7", "Order Completed");
    Response r = get("/v1/events/" + id, t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode e = r.body();
    assertThat(e.path("id").asString()).isEqualTo(id);
    assertThat(e.path("message_id").asString()).isEqualTo("msg-" + id);
    assertThat(e.path("type").asString()).isEqualTo("track");
    assertThat(e.path("event").asString()).isEqualTo("Order Completed");
    assertThat(e.path("contact_id").asString()).isEqualTo(contact);
    assertThat(e.path("properties").path("n").asInt()).isEqualTo(1);
    assertThat(e.path("received_at").asString()).endsWith("Z");
    assertThat(ids(get("/v1/events?contact_id=" + contact, t.key()))).containsExactly(id);
  }

  /**
   * An alias event's point is its previousId, and the time fields and integrations are what a
   * developer checks when a timestamp looks wrong (the skew correction) or a destination was
   * skipped: all stored by the Ingest API, all shown.
   */
  @Test
  void anAliasEventShowsItsPreviousIdAndEveryStoredEventShowsItsTimesAndIntegrations() {
    Tenant t = newTenant();
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, user_id, previous_id,"
            + " integrations, context, timestamp, sent_at, original_timestamp, received_at)"
            + " values (?, ?, ?, 'alias', 'new-id', 'old-anon', '{\"All\": false}'::jsonb,"
            + " '{}'::jsonb, '2026-03-01T10:00:00Z', '2026-03-01T10:00:05Z',"
            + " '2026-03-01T09:59:00Z', '2026-03-01T10:00:06Z')",
        t.workspaceId(),
        id,
        "msg-" + id);
    JsonNode e = get("/v1/events/" + id, t.key()).body();
    assertThat(e.path("previous_id").asString()).as(e.toString()).isEqualTo("old-anon");
    assertThat(e.path("integrations").path("All").isBoolean()).as(e.toString()).isTrue();
    assertThat(e.path("sent_at").asString()).isEqualTo("2026-03-01T10:00:05.000Z");
    assertThat(e.path("original_timestamp").asString()).isEqualTo("2026-03-01T09:59:00.000Z");
    JsonNode listed = get("/v1/events?type=alias", t.key()).body().path("data").path(0);
    assertThat(listed.path("previous_id").asString()).isEqualTo("old-anon");
    String track = insertEvent(t.workspaceId(), null, "u", "Viewed");
    JsonNode plain = get("/v1/events/" + track, t.key()).body();
    assertThat(plain.has("previous_id") && plain.path("previous_id").isNull())
        .as("null fields are present as null: %s", plain)
        .isTrue();
    assertThat(plain.path("sent_at").isNull()).isTrue();
  }

  private JsonNode stored(Tenant t, String id) {
    return JSON.readTree(
        jdbc.queryForObject(
            "select traits::text from contacts where workspace_id = ? and id = ?",
            String.class,
            t.workspaceId(),
            id));
  }
}
