package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Analytics runs on a bounded pool of its own with a statement timeout: a saturated analytics pool
 * leaves contact CRUD answering, and a query past the timeout is 503 {@code query_timeout}.
 */
@TestPropertySource(
    properties = {"growthos.management.query.pool-size=2", "growthos.management.query.timeout=15s"})
class AnalyticsPoolTests extends ApiTestSupport {

  @Autowired AnalyticsDatabase analytics;

  @Test
  void contactCrudAnswersWhileTheAnalyticsPoolIsSaturated() throws Exception {
    Tenant t = newTenant();
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        held.add(analytics.pool().getConnection());
      }
      // An analytics query now waits for a connection of its own pool …
      CompletableFuture<Response> query =
          CompletableFuture.supplyAsync(
              () ->
                  post(
                      "/v1/analytics/query",
                      t.key(),
                      "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\"}]}"));
      Thread.sleep(200);
      // … while contact CRUD, on the main pool, answers.
      Response created = post("/v1/contacts", t.key(), "{\"email\": \"pool@example.com\"}");
      Response listed = get("/v1/contacts", t.key());
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      assertThat(listed.status()).isEqualTo(200);
      assertThat(query).as("the analytics query is still waiting").isNotDone();

      Response timedOut = query.get(60, TimeUnit.SECONDS);
      assertThat(timedOut.status()).as(timedOut.raw()).isEqualTo(503);
      assertThat(timedOut.errorCode()).isEqualTo("query_timeout");
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    Response after =
        post(
            "/v1/analytics/query",
            t.key(),
            "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\"}]}");
    assertThat(after.status()).as(after.raw()).isEqualTo(200);
  }

  @Test
  void aStatementPastTheTimeoutIsCancelled() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                analytics.read(
                    c -> {
                      try (var s = c.createStatement()) {
                        s.execute("select pg_sleep(120)");
                      }
                      return null;
                    }))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_TIMEOUT));
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(90.0);
  }

  /**
   * A statement cancelled by the timeout where the work could not throw SQLException (the
   * workspace's time zone is read from a callback, and wrapped) is 503 {@code query_timeout} too:
   * it was a 500 until 2026-12-07 (a black-box review, with a 1 ms timeout).
   */
  @Test
  void aCancelledStatementReadFromACallbackIsAQueryTimeoutNotA500() {
    assertThatThrownBy(
            () ->
                analytics.read(
                    c -> {
                      java.util.function.Supplier<String> zone =
                          () -> {
                            try (var s = c.createStatement()) {
                              s.execute("set local statement_timeout = 1");
                              s.execute("select pg_sleep(5)");
                              return "UTC";
                            } catch (java.sql.SQLException e) {
                              throw new IllegalStateException("workspace time zone", e);
                            }
                          };
                      return zone.get();
                    }))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_TIMEOUT));
  }
}
