package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The retention of webhook events and their delivery logs, against the real database. */
class WebhookRetentionTests extends ApiTestSupport {

  @Autowired WebhookRetention retention;
  @Autowired WebhookProperties props;

  private static String id(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  private String endpoint(Tenant t) {
    String id = id("we_");
    jdbc.update(
        "insert into webhook_endpoints (workspace_id, id, url, events, secret)"
            + " values (?, ?, 'https://example.com/hook', '{*}', 'whsec_test')",
        t.workspaceId(),
        id);
    return id;
  }

  /** An event created {@code age} ago, fanned out then when {@code dispatched}. */
  private String event(Tenant t, String age, boolean dispatched) {
    String id = id("evt_");
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, created_at, dispatched_at)"
            + " values (?, ?, 'contact.created', '{\"email\": \"ada@example.com\"}'::jsonb,"
            + " now() - ?::interval, case when ? then now() - ?::interval end)",
        t.workspaceId(),
        id,
        age,
        dispatched,
        age);
    return id;
  }

  /** A delivery of the event to the endpoint; a pending one is due tomorrow (never sent here). */
  private String delivery(Tenant t, String endpoint, String event, String status) {
    String id = id("dlv_");
    jdbc.update(
        "insert into webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type,"
            + " status, attempts, next_attempt_at) values (?, ?, ?, ?, 'contact.created', ?, 1,"
            + " case when ? = 'pending' then now() + interval '1 day' end)",
        t.workspaceId(),
        id,
        endpoint,
        event,
        status,
        status);
    return id;
  }

  private boolean exists(Tenant t, String table, String id) {
    return jdbc.queryForObject(
            "select count(*) from " + table + " where workspace_id = ? and id = ?",
            Long.class,
            t.workspaceId(),
            id)
        == 1;
  }

  @Test
  void eventsPastTheRetentionGoWithTheirDeliveriesUnlessSomethingIsStillOwed() {
    assertThat(props.retention()).isEqualTo(Duration.ofDays(30));
    Tenant t = newTenant();
    String endpoint = endpoint(t);
    String other = endpoint(t);
    String done = event(t, "31 days", true);
    String succeeded = delivery(t, endpoint, done, "succeeded");
    String failed = delivery(t, other, done, "failed");
    String owed = event(t, "40 days", true);
    delivery(t, endpoint, owed, "succeeded");
    String pending = delivery(t, other, owed, "pending");
    String queued = event(t, "40 days", false);
    String recent = event(t, "29 days", true);
    String recentDelivery = delivery(t, endpoint, recent, "succeeded");
    assertThat(ids(get("/v1/webhook-endpoints/" + endpoint + "/deliveries", t.key())))
        .contains(succeeded);

    assertThat(retention.purgeExpired()).isGreaterThanOrEqualTo(1);

    assertThat(exists(t, "webhook_outbox", done)).as("past the retention, delivered").isFalse();
    assertThat(exists(t, "webhook_deliveries", succeeded)).isFalse();
    assertThat(exists(t, "webhook_deliveries", failed)).isFalse();
    assertThat(exists(t, "webhook_outbox", owed)).as("a delivery still pending").isTrue();
    assertThat(exists(t, "webhook_deliveries", pending)).isTrue();
    assertThat(exists(t, "webhook_outbox", queued)).as("not fanned out yet").isTrue();
    assertThat(exists(t, "webhook_outbox", recent)).as("inside the retention").isTrue();
    assertThat(exists(t, "webhook_deliveries", recentDelivery)).isTrue();
    // The endpoint's delivery log no longer lists what was deleted.
    List<String> listed = ids(get("/v1/webhook-endpoints/" + endpoint + "/deliveries", t.key()));
    assertThat(listed).doesNotContain(succeeded).contains(recentDelivery);
  }

  @Test
  void aBacklogLargerThanOneBatchIsDeletedInOneRun() {
    Tenant t = newTenant();
    int n = WebhookRetention.BATCH * 2 + 500;
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, created_at, dispatched_at)"
            + " select ?, 'evt_old_' || g, 'contact.created', '{}'::jsonb,"
            + " now() - interval '60 days', now() - interval '60 days'"
            + " from generate_series(1, ?) g",
        t.workspaceId(),
        n);

    assertThat(retention.purgeExpired()).isGreaterThanOrEqualTo(n);

    assertThat(
            jdbc.queryForObject(
                "select count(*) from webhook_outbox where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isZero();
  }

  @Test
  void aRetentionOfZeroKeepsEverything() {
    Tenant t = newTenant();
    String old = event(t, "400 days", true);

    assertThat(new WebhookRetention(jdbc, Duration.ZERO).purgeExpired()).isZero();

    assertThat(exists(t, "webhook_outbox", old)).isTrue();
  }
}
