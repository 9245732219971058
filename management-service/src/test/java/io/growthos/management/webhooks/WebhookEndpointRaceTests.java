package io.growthos.management.webhooks;

import static io.growthos.management.webhooks.WebhookEndpointsTests.endpointBody;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.management.ApiTestSupport;
import io.growthos.management.webhooks.Receiver.Answer;
import io.growthos.testsupport.LockWaits;
import io.growthos.testsupport.LogCapture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Changes of a webhook endpoint racing what else uses it: {@code POST …/test} racing a change of
 * its endpoint answers as it would have had it come after the change; a deletion racing the
 * dispatcher's record of an attempt neither deadlocks nor fails.
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

  /**
   * {@code DELETE /v1/webhook-endpoints/{id}} while the dispatcher records a failed attempt to it:
   * the deletion is 204 and the attempt's record goes with the endpoint, without a deadlock.
   * Before, the record changed the delivery row, then the endpoint's ({@code failing_since}), while
   * the deletion holds the endpoint and then deletes its deliveries: each waited for the other, and
   * PostgreSQL aborted one of them (the DELETE answered 409 {@code concurrent_update}, or the
   * dispatcher logged a failed record). Here the interleaving is forced: a transaction of the test
   * holds the endpoint FOR SHARE while the DELETE queues for it, then the attempt is answered.
   */
  @Test
  void deletingAnEndpointWhileTheDispatcherRecordsAFailedAttemptNeitherDeadlocksNorFails()
      throws Exception {
    Tenant t = newTenant();
    CountDownLatch answer = new CountDownLatch(1);
    try (Receiver receiver = new Receiver();
        LogCapture dispatcherLog = LogCapture.of(WebhookDispatcher.class).start()) {
      receiver.answer(
          r -> {
            try {
              answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Answer.status(500);
          });
      String id =
          post("/v1/webhook-endpoints", t.key(), endpointBody(receiver.url(), "contact.created"))
              .body()
              .path("id")
              .asString();
      assertThat(post("/v1/contacts", t.key(), "{}").status()).isEqualTo(201);
      WebhookDeliveryTests.await(Duration.ofSeconds(20), () -> receiver.received().size() == 1);
      Response deleted;
      try (Connection c = jdbc.getDataSource().getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement s =
            c.prepareStatement(
                "select 1 from webhook_endpoints where workspace_id = ? and id = ? for share")) {
          s.setString(1, t.workspaceId());
          s.setString(2, id);
          s.executeQuery().close();
        }
        CompletableFuture<Response> deletion =
            CompletableFuture.supplyAsync(() -> delete("/v1/webhook-endpoints/" + id, t.key()));
        LockWaits.awaitLockWait(jdbc.getDataSource(), null, "delete from webhook_endpoints%");
        answer.countDown();
        LockWaits.awaitLockWait(
            jdbc.getDataSource(),
            null,
            List.of("%webhook_endpoints%"),
            List.of("delete from webhook_endpoints%"));
        c.commit();
        deleted = deletion.get(30, TimeUnit.SECONDS);
      }
      assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
      assertThat(deliveries(t, id)).isZero();
      Thread.sleep(500); // the dispatcher's record, if it failed, has logged by now
      assertThat(dispatcherLog.atOrAbove(Level.WARN))
          .extracting(e -> e.getFormattedMessage())
          .noneMatch(m -> m.startsWith("Recording webhook delivery"));
    }
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
      LockWaits.awaitLockWait(jdbc.getDataSource(), test, "%webhook_%");
      c.commit();
      return test.get(30, TimeUnit.SECONDS);
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
