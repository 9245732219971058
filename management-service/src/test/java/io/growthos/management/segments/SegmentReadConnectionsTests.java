package io.growthos.management.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.query.ReadQueries;
import io.growthos.model.errors.ApiException;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A POST sent with an {@code Idempotency-Key} runs in a transaction of the main pool (its response
 * is stored in it). The segment reads of such a request must use that connection, not take a second
 * one while holding the first: then as many concurrent previews as the pool has connections waited
 * for each other until the pool's timeout, and every one of them failed.
 */
@TestPropertySource(
    properties = {
      "spring.datasource.hikari.maximum-pool-size=2",
      "spring.datasource.hikari.connection-timeout=1000"
    })
class SegmentReadConnectionsTests extends ApiTestSupport {

  @Autowired DataSource dataSource;

  @Test
  void aPreviewWithAnIdempotencyKeyAnswersWithOneFreeConnectionOfTheMainPool() throws Exception {
    Tenant t = newTenant();
    insertContact(t.workspaceId(), "u1", "{\"plan\": \"pro\"}");
    insertContact(t.workspaceId(), "u2", "{\"plan\": \"free\"}");
    String body = "{\"filter\": {\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}}";
    // Every connection of the pool but one is busy (here: held by the test).
    try (Connection busy = dataSource.getConnection()) {
      assertThat(busy.isValid(1)).isTrue();
      Response plain = post("/v1/segments/preview", t.key(), body);
      assertThat(plain.status()).as(plain.raw()).isEqualTo(200);
      Response keyed =
          post("/v1/segments/preview", t.key(), body, "Idempotency-Key", "preview-one-connection");
      assertThat(keyed.status()).as(keyed.raw()).isEqualTo(200);
      assertThat(keyed.body().path("count").asLong()).isEqualTo(1);
      assertThat(keyed.body().path("sample").path(0).path("user_id").asString()).isEqualTo("u1");
      Response replayed =
          post("/v1/segments/preview", t.key(), body, "Idempotency-Key", "preview-one-connection");
      assertThat(replayed.status()).as(replayed.raw()).isEqualTo(200);
      assertThat(replayed.raw()).isEqualTo(keyed.raw());
    }
  }

  @Autowired ReadQueries reads;
  @Autowired PlatformTransactionManager transactions;

  /**
   * Inside the caller's transaction a cancelled query is still 503 {@code query_timeout}, the
   * caller's transaction goes on, and the read's settings do not outlive the read.
   */
  @Test
  void aReadInTheCallersTransactionIsCancelledAloneAndLeavesItsSettingsBehind() {
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              jdbc.execute("set local statement_timeout = 0");
              assertThatThrownBy(
                      () ->
                          reads.run(
                              Duration.ofMillis(50),
                              j -> j.queryForObject("select pg_sleep(2)::text", String.class)))
                  .isInstanceOfSatisfying(
                      ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
              String during =
                  reads.run(
                      Duration.ofSeconds(5),
                      j -> j.queryForObject("show statement_timeout", String.class));
              assertThat(during).isEqualTo("5s");
              assertThat(jdbc.queryForObject("show statement_timeout", String.class))
                  .isEqualTo("0");
              assertThat(jdbc.queryForObject("show plan_cache_mode", String.class))
                  .isEqualTo("auto");
            });
  }
}
