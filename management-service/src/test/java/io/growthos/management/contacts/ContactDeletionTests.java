package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
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

  private boolean suppressed(String workspaceId, String value) {
    return jdbc.queryForObject(
        "select count(*) > 0 from contact_suppressions where workspace_id = ? and value = ?",
        Boolean.class,
        workspaceId,
        value);
  }
}
