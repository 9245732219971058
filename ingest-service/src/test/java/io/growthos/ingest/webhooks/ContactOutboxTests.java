package io.growthos.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contact changes made by ingest reach the webhook outbox (SPEC §9) in the group-commit
 * transaction: one row per changed contact, none for events that change no contact.
 */
class ContactOutboxTests extends IngestTestBase {

  private List<Map<String, Object>> outbox(Workspace ws) {
    return jdbc.queryForList(
        "select id, type, payload::text as payload from webhook_outbox where workspace_id = ?"
            + " order by id",
        ws.id());
  }

  private void send(Workspace ws, String path, String body) {
    var response = post(path, body, "Authorization", ws.basic());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
  }

  @Test
  void oneBatchTouchingAContactManyTimesEmitsOneCreatedEvent() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/batch",
        """
        {"batch": [
          {"type": "identify", "userId": "u1", "anonymousId": "a1", "traits": {"plan": "free"}},
          {"type": "identify", "userId": "u1", "traits": {"plan": "pro", "email": "u1@example.com"}},
          {"type": "group", "userId": "u1", "groupId": "acme"},
          {"type": "track", "userId": "u1", "event": "Signed Up"}
        ]}
        """);
    List<Map<String, Object>> rows = outbox(ws);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("type")).isEqualTo("contact.created");
    assertThat((String) rows.get(0).get("id")).startsWith("evt_");
    JsonNode contact = JSON.readTree((String) rows.get(0).get("payload"));
    assertThat(contact.path("object").asString()).isEqualTo("contact");
    assertThat(contact.path("user_id").asString()).isEqualTo("u1");
    assertThat(contact.path("email").asString()).isEqualTo("u1@example.com");
    assertThat(contact.path("traits").path("plan").asString()).isEqualTo("pro");
    assertThat(contact.path("anonymous_ids").path(0).asString()).isEqualTo("a1");
    assertThat(contact.path("groups").path(0).asString()).isEqualTo("acme");
    assertThat(contact.path("created_at").asString()).matches("\\d{4}-.*T.*\\.\\d{3}Z");
  }

  @Test
  void laterTraitChangesEmitUpdatedAndPlainTrackingEmitsNothing() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"plan\":\"free\"}}");
    send(ws, "/v1/track", "{\"userId\":\"u2\",\"event\":\"Viewed\"}");
    send(ws, "/v1/page", "{\"userId\":\"u2\",\"name\":\"Home\"}");
    assertThat(outbox(ws)).hasSize(1);
    send(ws, "/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"plan\":\"pro\"}}");
    List<Map<String, Object>> rows = outbox(ws);
    assertThat(rows)
        .extracting(r -> r.get("type"))
        .containsExactly("contact.created", "contact.updated");
    assertThat(
            JSON.readTree((String) rows.get(1).get("payload"))
                .path("traits")
                .path("plan")
                .asString())
        .isEqualTo("pro");
  }

  /**
   * An identify that only moves the contact's last seen (the same traits again, or none: what an
   * SDK that identifies on every page view sends) is activity, as a track is: the version moves,
   * nothing is emitted. Until 2026-12-07 each such identify emitted a contact.updated.
   */
  @Test
  void anIdentifyThatOnlyMovesLastSeenEmitsNothingButANewIdOrGroupStillDoes() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u4\",\"traits\":{\"plan\":\"free\"},"
            + "\"timestamp\":\"2026-01-01T00:00:00Z\"}");
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u4\",\"traits\":{\"plan\":\"free\"},"
            + "\"timestamp\":\"2026-01-02T00:00:00Z\"}");
    send(ws, "/v1/identify", "{\"userId\":\"u4\",\"timestamp\":\"2026-01-03T00:00:00Z\"}");
    assertThat(outbox(ws)).extracting(r -> r.get("type")).containsExactly("contact.created");
    assertThat(contactVersion(ws, "u4")).as("last seen moved twice").isEqualTo(3);
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u4\",\"anonymousId\":\"u4-phone\","
            + "\"timestamp\":\"2026-01-04T00:00:00Z\"}");
    send(
        ws,
        "/v1/group",
        "{\"userId\":\"u4\",\"groupId\":\"acme\",\"timestamp\":\"2026-01-05T00:00:00Z\"}");
    List<Map<String, Object>> rows = outbox(ws);
    assertThat(rows)
        .extracting(r -> r.get("type"))
        .containsExactly("contact.created", "contact.updated", "contact.updated");
    assertThat(
            JSON.readTree((String) rows.get(1).get("payload"))
                .path("anonymous_ids")
                .path(0)
                .asString())
        .isEqualTo("u4-phone");
    assertThat(JSON.readTree((String) rows.get(2).get("payload")).path("groups").path(0).asString())
        .isEqualTo("acme");
  }

  @Test
  void aDuplicateMessageEmitsNothingAgain() {
    Workspace ws = newWorkspace();
    String body = "{\"userId\":\"u3\",\"messageId\":\"m-1\",\"traits\":{\"plan\":\"free\"}}";
    send(ws, "/v1/identify", body);
    send(ws, "/v1/identify", body);
    assertThat(outbox(ws)).hasSize(1);
  }
}
