package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/webhook-endpoints/{id}/deliveries?status=failed} of an endpoint with many
 * deliveries reads the failed ones, not every delivery: before V51 no index led with the status,
 * and the filter was a sequential scan (157 to 225 ms for an empty page at 200,000 deliveries;
 * docs/webhooks.md, Cost).
 */
class WebhookDeliveryListPlanTests extends ApiTestSupport {

  @Test
  void listingFailedDeliveriesReadsOnlyTheFailedOnes() {
    Tenant t = newTenant();
    jdbc.update(
        "insert into webhook_endpoints (workspace_id, id, url, events, secret)"
            + " values (?, 'we_P', 'https://example.com/hook', '{*}', 'whsec_x')",
        t.workspaceId());
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, dispatched_at)"
            + " select ?, 'evt_P' || lpad(i::text, 8, '0'), 'contact.updated', '{}', now()"
            + " from generate_series(1, 100000) i",
        t.workspaceId());
    jdbc.update(
        "insert into webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type,"
            + " status, attempts) select ?, 'dlv_P' || lpad(i::text, 8, '0'), 'we_P',"
            + " 'evt_P' || lpad(i::text, 8, '0'), 'contact.updated',"
            + " case when i % 10000 = 0 then 'failed' else 'succeeded' end, 1"
            + " from generate_series(1, 100000) i",
        t.workspaceId());
    jdbc.execute("analyze webhook_deliveries");

    // The statement WebhookEndpointService.deliveries sends, with a status and no cursor.
    String plan =
        String.join(
            "\n",
            jdbc.queryForList(
                "explain select id, endpoint_id, event_id, event_type, status, attempts,"
                    + " response_status, latency_ms, last_error, last_attempt_at,"
                    + " next_attempt_at, created_at from webhook_deliveries"
                    + " where workspace_id = ? and endpoint_id = ?"
                    + " and (?::text is null or status = ?) and (?::text is null or id < ?)"
                    + " order by id desc limit ?",
                String.class,
                t.workspaceId(),
                "we_P",
                "failed",
                "failed",
                null,
                null,
                26));
    assertThat(plan).contains("webhook_deliveries_failed_idx").doesNotContain("Seq Scan");

    Response failed = get("/v1/webhook-endpoints/we_P/deliveries?status=failed", t.key());
    assertThat(failed.status()).as(failed.raw()).isEqualTo(200);
    assertThat(ids(failed)).hasSize(10).first().isEqualTo("dlv_P00100000");
  }
}
