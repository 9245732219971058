package io.growthos.management.webhooks;

import static io.growthos.management.webhooks.WebhookEndpointsTests.endpointBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/webhook-endpoints/{id}/test} racing a change of its endpoint committed by another
 * request while the test runs: the test answers as it would have had it come after the change.
 */
class WebhookEndpointRaceTests extends ApiTestSupport {

  /**
   * A test racing the endpoint's deletion is 404, as after it. Before, the test read the endpoint
   * without a lock, then its delivery's foreign key found the endpoint gone: 409 concurrent_update.
   */
  @Test
  void aTestRacingTheDeletionOfItsEndpointIsNotFound() throws Exception {
    Tenant t = newTenant();
    String id = endpoint(t);
    Response test =
        whileUncommitted("delete from webhook_endpoints where workspace_id = ? and id = ?", t, id);
    assertThat(test.status()).as(test.raw()).isEqualTo(404);
    assertThat(test.errorCode()).isEqualTo("not_found");
    assertThat(deliveries(t, id)).isZero();
  }

  /**
   * A test racing the endpoint's disabling is 422 endpoint_disabled and queues nothing, as after it
   * (docs/webhooks.md). Before, it read the endpoint as enabled and queued a delivery that a
   * disabled endpoint is never sent, so it stayed pending.
   */
  @Test
  void aTestRacingTheDisablingOfItsEndpointIsRefusedAndQueuesNothing() throws Exception {
    Tenant t = newTenant();
    String id = endpoint(t);
    Response test =
        whileUncommitted(
            "update webhook_endpoints set status = 'disabled', version = version + 1,"
                + " updated_at = now() where workspace_id = ? and id = ?",
            t,
            id);
    assertThat(test.status()).as(test.raw()).isEqualTo(422);
    assertThat(test.firstDetail().path("reason").asString()).isEqualTo("endpoint_disabled");
    assertThat(deliveries(t, id)).isZero();
  }

  private String endpoint(Tenant t) {
    return post("/v1/webhook-endpoints", t.key(), endpointBody("https://a.example.com/h", "*"))
        .body()
        .path("id")
        .asString();
  }

  /**
   * Runs {@code change} (a PATCH's or a DELETE's statement on the endpoint) in a transaction of its
   * own, sends the test while it is uncommitted, lets the test reach the endpoint (and wait for the
   * change, where it waits), commits, and returns the test's answer.
   */
  private Response whileUncommitted(String change, Tenant t, String id) throws Exception {
    try (Connection c = jdbc.getDataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(change)) {
        s.setString(1, t.workspaceId());
        s.setString(2, id);
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      CompletableFuture<Response> test =
          CompletableFuture.supplyAsync(
              () -> post("/v1/webhook-endpoints/" + id + "/test", t.key(), null));
      awaitSomeoneWaitingForALock(test);
      c.commit();
      return test.get(30, TimeUnit.SECONDS);
    }
  }

  /** Until another session waits for a row lock (or 3 s, or the test answered without waiting). */
  private void awaitSomeoneWaitingForALock(CompletableFuture<Response> test)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline && !test.isDone()) {
      Integer waiting =
          jdbc.queryForObject(
              "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                  + " and query like '%webhook_%' and pid <> pg_backend_pid()",
              Integer.class);
      if (waiting != null && waiting > 0) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private int deliveries(Tenant t, String id) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from webhook_deliveries where workspace_id = ? and endpoint_id = ?",
            Integer.class,
            t.workspaceId(),
            id);
    return n == null ? 0 : n;
  }
}
