package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher's claim ({@link WebhookDispatcher#claim}) on a database of its own: it stays fair
 * between endpoints (one endpoint's backlog does not starve the others), takes at most {@code
 * per-endpoint} deliveries of each, oldest first, skips leased deliveries, the endpoints this copy
 * is busy with and disabled endpoints.
 */
class WebhookClaimTests {

  private JdbcTemplate jdbc;
  private WebhookDispatcher dispatcher;

  @BeforeEach
  void freshDatabase() {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("webhook_claim");
    Flyway.configure()
        .dataSource(url, pg.username(), pg.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    SingleConnectionDataSource ds =
        new SingleConnectionDataSource(url, pg.username(), pg.password(), true);
    jdbc = new JdbcTemplate(ds);
    WebhookProperties.Dispatcher props = TestDispatchers.props(false, 16, 2);
    dispatcher =
        new WebhookDispatcher(
            jdbc,
            new TransactionTemplate(new JdbcTransactionManager(ds)),
            props,
            true,
            JsonMapper.builder().build());
  }

  private void workspace(String id) {
    jdbc.update("insert into workspaces (id, name, plan) values (?, ?, 'free')", id, id);
  }

  private void endpoints(String workspace, String prefix, int n) {
    jdbc.update(
        "insert into webhook_endpoints (workspace_id, id, url, events, secret)"
            + " select ?, ? || lpad(i::text, 6, '0'), 'https://example.com/hook', '{*}', 'whsec_x'"
            + " from generate_series(1, ?) i",
        workspace,
        prefix,
        n);
  }

  /** {@code n} due deliveries of {@code endpoint}, each of an event of its own. */
  private void due(String workspace, String endpoint, int n) {
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, dispatched_at)"
            + " select ?, 'evt_' || ? || lpad(i::text, 7, '0'), 'contact.updated', '{}', now()"
            + " from generate_series(1, ?) i",
        workspace,
        endpoint,
        n);
    jdbc.update(
        "insert into webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type,"
            + " next_attempt_at) select ?, 'dlv_' || ? || lpad(i::text, 7, '0'), ?,"
            + " 'evt_' || ? || lpad(i::text, 7, '0'), 'contact.updated',"
            + " now() - interval '1 minute' + i * interval '1 microsecond'"
            + " from generate_series(1, ?) i",
        workspace,
        endpoint,
        endpoint,
        endpoint,
        n);
  }

  /**
   * A resend pressed while an attempt is in flight: that attempt's failure, the last of the
   * schedule, leaves the delivery pending for the resend's attempt instead of failing it (found by
   * a review of the change that made resends restart the retries).
   */
  @Test
  void aFailureOfAnAttemptInFlightWhenTheDeliveryWasResentLeavesTheResendsAttemptDue() {
    workspace("ws_resent");
    endpoints("ws_resent", "we_r", 1);
    due("ws_resent", "we_r000001", 1);
    int schedule = TestDispatchers.props(false, 16, 2).retrySchedule().size();
    jdbc.update("update webhook_deliveries set attempts = ?", schedule);
    List<WebhookDispatcher.Claimed> claimed = dispatcher.claim(new String[0], 16);
    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0).attempts()).isEqualTo(schedule);
    // The resend, as WebhookEndpointService.resend writes it.
    jdbc.update(
        "update webhook_deliveries set status = 'pending', next_attempt_at = now(),"
            + " retry_base = attempts, updated_at = now()");
    dispatcher.record(
        claimed.get(0), new WebhookDispatcher.Outcome(500, 3, "The endpoint answered 500.", null));
    Map<String, Object> row =
        jdbc.queryForMap(
            "select status, attempts, next_attempt_at <= now() as due from webhook_deliveries");
    assertThat(row)
        .containsEntry("status", "pending")
        .containsEntry("attempts", schedule + 1)
        .containsEntry("due", true);

    // Without a resend the same failure is the last: failed, nothing scheduled.
    jdbc.update("update webhook_deliveries set attempts = ?, retry_base = 0", schedule);
    List<WebhookDispatcher.Claimed> again = dispatcher.claim(new String[0], 16);
    dispatcher.record(
        again.get(0), new WebhookDispatcher.Outcome(500, 3, "The endpoint answered 500.", null));
    assertThat(jdbc.queryForMap("select status, next_attempt_at from webhook_deliveries"))
        .containsEntry("status", "failed")
        .containsEntry("next_attempt_at", null);
  }

  @Test
  void anEndpointWithABacklogOf100000DoesNotStarveTheOthers() {
    workspace("ws_fair");
    endpoints("ws_fair", "we_f", 3); // we_f000001 has the backlog
    due("ws_fair", "we_f000001", 100_000);
    due("ws_fair", "we_f000002", 3);
    due("ws_fair", "we_f000003", 1);
    jdbc.execute("vacuum analyze");

    List<WebhookDispatcher.Claimed> first = dispatcher.claim(new String[0], 16);
    Map<String, Long> perEndpoint =
        first.stream()
            .collect(
                Collectors.groupingBy(
                    WebhookDispatcher.Claimed::endpointId, Collectors.counting()));
    // Every endpoint with something due gets its share (at most per-endpoint, 2) at once.
    assertThat(perEndpoint)
        .containsEntry("we_f000001", 2L)
        .containsEntry("we_f000002", 2L)
        .containsEntry("we_f000003", 1L);
    // The oldest due first within an endpoint.
    assertThat(first)
        .filteredOn(c -> c.endpointId().equals("we_f000001"))
        .extracting(WebhookDispatcher.Claimed::id)
        .containsExactlyInAnyOrder("dlv_we_f0000010000001", "dlv_we_f0000010000002");

    // Leased deliveries are not claimed again; an endpoint this copy is busy with is skipped.
    List<WebhookDispatcher.Claimed> second =
        dispatcher.claim(new String[] {"ws_fair we_f000001"}, 16);
    assertThat(second)
        .extracting(WebhookDispatcher.Claimed::id)
        .containsExactly("dlv_we_f0000020000003");

    // A disabled endpoint's due deliveries wait.
    jdbc.update("update webhook_endpoints set status = 'disabled' where id = 'we_f000001'");
    jdbc.update("update webhook_deliveries set lease_until = null, lease_token = null");
    assertThat(dispatcher.claim(new String[0], 16))
        .extracting(WebhookDispatcher.Claimed::endpointId)
        .doesNotContain("we_f000001")
        .isNotEmpty();
  }

  @Test
  void theLookBeforeTheClaimSaysNothingIsDueOnlyWhenTheClaimWouldFindNothing() {
    workspace("ws_look");
    endpoints("ws_look", "we_l", 3);
    assertThat(dispatcher.anythingDue()).as("no delivery at all").isFalse();

    // A retry pending for later is not due.
    due("ws_look", "we_l000001", 1);
    jdbc.update("update webhook_deliveries set next_attempt_at = now() + interval '1 hour'");
    assertThat(dispatcher.anythingDue()).as("pending for later").isFalse();
    assertThat(dispatcher.claim(new String[0], 16)).isEmpty();

    // Due now: yes, and the claim takes it.
    jdbc.update("update webhook_deliveries set next_attempt_at = now() - interval '1 second'");
    assertThat(dispatcher.anythingDue()).as("due").isTrue();
    assertThat(dispatcher.claim(new String[0], 16)).hasSize(1);

    // Leased (in flight): not claimable until the lease runs out.
    assertThat(dispatcher.anythingDue()).as("due but leased").isFalse();
    jdbc.update("update webhook_deliveries set lease_until = now() - interval '1 second'");
    assertThat(dispatcher.anythingDue()).as("lease ran out").isTrue();

    // Due, of a disabled endpoint: waits.
    jdbc.update("update webhook_endpoints set status = 'disabled' where id = 'we_l000001'");
    assertThat(dispatcher.anythingDue()).as("due, endpoint disabled").isFalse();
    assertThat(dispatcher.claim(new String[0], 16)).isEmpty();

    // More due rows of disabled endpoints than the look reads: it leaves the answer to the claim,
    // which still finds the enabled endpoint's delivery that falls due after all of them.
    due("ws_look", "we_l000003", WebhookDispatcher.ANY_DUE_ROWS);
    jdbc.update("update webhook_endpoints set status = 'disabled' where id = 'we_l000003'");
    due("ws_look", "we_l000002", 1);
    jdbc.update(
        "update webhook_deliveries set next_attempt_at = now() - interval '1 second' where"
            + " endpoint_id = 'we_l000002'");
    assertThat(dispatcher.anythingDue()).as("the look stops short").isTrue();
    assertThat(dispatcher.claim(new String[0], 16))
        .extracting(WebhookDispatcher.Claimed::endpointId)
        .containsExactly("we_l000002");
  }

  @Test
  void anIdlePollAt50000EndpointsReadsAFewIndexPagesInsteadOfEveryEndpoint() {
    // Until 2026-12-06 every poll ran the claim, which reads every enabled endpoint: 50,987
    // buffers here, nothing due (docs/webhooks.md, "Cost").
    workspace("ws_idle");
    endpoints("ws_idle", "we_i", 50_000);
    // Every endpoint has one retry pending for later: the state after an outage.
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, dispatched_at)"
            + " values ('ws_idle', 'evt_idle', 'contact.updated', '{}', now())");
    jdbc.update(
        "insert into webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type,"
            + " next_attempt_at) select 'ws_idle', 'dlv_' || e.id, e.id, 'evt_idle',"
            + " 'contact.updated', now() + interval '10 minutes' from webhook_endpoints e where"
            + " e.workspace_id = 'ws_idle'");
    jdbc.execute("vacuum analyze");

    long lookBuffers = buffers(WebhookDispatcher.ANY_DUE);
    long claimBuffers =
        buffers(
            WebhookDispatcher.CLAIM
                .replace("?::text[]", "'{}'::text[]")
                .replaceFirst("limit \\?", "limit 2")
                .replaceFirst("limit \\?", "limit 16")
                .replace("?::interval", "'1 minute'::interval")
                .replace("lease_token = ?", "lease_token = 'explain'"));

    assertThat(dispatcher.anythingDue()).isFalse();
    assertThat(dispatcher.claim(new String[0], 16)).isEmpty();
    assertThat(lookBuffers).as("buffers of the look").isLessThan(20);
    assertThat(claimBuffers).as("buffers of the claim it spares").isGreaterThan(50_000);
  }

  /** Shared buffers (hit and read) PostgreSQL used to run {@code sql}, by EXPLAIN ANALYZE. */
  private long buffers(String sql) {
    String plan =
        jdbc.queryForObject(
            "explain (analyze, buffers, format json) "
                + sql.replaceFirst("\\?", String.valueOf(WebhookDispatcher.ANY_DUE_ROWS))
                    .replaceFirst("\\?", String.valueOf(WebhookDispatcher.ANY_DUE_ROWS)),
            String.class);
    var root = JsonMapper.builder().build().readTree(plan).path(0).path("Plan");
    return root.path("Shared Hit Blocks").asLong() + root.path("Shared Read Blocks").asLong();
  }
}
