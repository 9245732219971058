package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.management.ApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The contact document the outbox builds in SQL (what the ingest service emits) is the contact as
 * {@code GET /v1/contacts/{id}} returns it, field for field.
 */
class ContactPayloadTests extends ApiTestSupport {

  @Autowired Outbox outbox;
  @Autowired TransactionTemplate tx;

  @Test
  void sqlBuiltContactPayloadEqualsTheApiResponse() {
    Tenant t = newTenant();
    String id =
        insertContact(
            t.workspaceId(),
            "u-payload",
            "{\"plan\":\"pro\",\"score\":12.50,\"nested\":{\"a\":[1,2]},\"emoji\":\"\\ud83d\\ude80\"}");
    jdbc.update(
        "update contacts set email = 'p@example.com' where workspace_id = ? and id = ?",
        t.workspaceId(),
        id);
    for (String anon : List.of("b-anon", "a-anon")) {
      jdbc.update(
          "insert into contact_identities (workspace_id, kind, value, contact_id)"
              + " values (?, 'anonymous_id', ?, ?)",
          t.workspaceId(),
          anon,
          id);
    }
    jdbc.update(
        "insert into groups (workspace_id, id, group_id) values (?, 'grp_x', 'acme')",
        t.workspaceId());
    jdbc.update(
        "insert into group_memberships (workspace_id, group_id, contact_id) values (?, 'grp_x', ?)",
        t.workspaceId(),
        id);

    tx.executeWithoutResult(
        s -> outbox.emitContacts(t.workspaceId(), EventType.CONTACT_UPDATED, List.of(id)));
    String payload =
        jdbc.queryForObject(
            "select payload::text from webhook_outbox where workspace_id = ?",
            String.class,
            t.workspaceId());
    JsonNode api = get("/v1/contacts/" + id, t.key()).body();
    assertThat(JSON.readTree(payload)).isEqualTo(api);
    assertThat(api.path("anonymous_ids").toString()).isEqualTo("[\"a-anon\",\"b-anon\"]");
  }

  @Test
  void emittingOutsideATransactionIsRefused() {
    Tenant t = newTenant();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> outbox.emit(t.workspaceId(), EventType.CONTACT_CREATED, "{}"))
        .isInstanceOf(IllegalStateException.class);
  }
}
