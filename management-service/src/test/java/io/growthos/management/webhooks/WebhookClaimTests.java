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
}
