package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.TestPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request waits on its thread for the commit of its events, and no longer than {@code
 * growthos.ingest.writer.ack-timeout}: a commit that cannot happen in time (here the events table
 * is locked) is a 503 with Retry-After, never an ACK; once the database moves again the event is
 * stored, and the client's retry is ACKed without storing it twice.
 */
class AckTimeoutTests {

  @Test
  void aCommitSlowerThanTheAckTimeoutIs503AndTheRetryIsStoredOnce() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("acktimeout");
    String key = ApiKeys.generate(KeyType.WRITE);
    try (StandaloneIngest app =
        StandaloneIngest.start(pg, url, key, "--growthos.ingest.writer.ack-timeout=1s")) {
      assertThat(track(app, key, "warm-up").statusCode()).isEqualTo(200);

      HttpResponse<String> slow;
      try (Connection locker = DriverManager.getConnection(url, pg.username(), pg.password());
          Statement s = locker.createStatement()) {
        locker.setAutoCommit(false);
        s.execute("lock table events in access exclusive mode");
        long started = System.nanoTime();
        slow = track(app, key, "held-up");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isGreaterThanOrEqualTo(Duration.ofMillis(900))
            .isLessThan(Duration.ofSeconds(20));
        locker.rollback();
      }
      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(503);
      assertThat(slow.headers().firstValue("Retry-After")).hasValue("1");
      JsonNode error = JsonMapper.builder().build().readTree(slow.body()).path("error");
      assertThat(error.path("code").asString()).isEqualTo("service_unavailable");
      assertThat(error.path("details").path(0).path("field").asString()).isEqualTo("service");

      HttpResponse<String> retry = track(app, key, "held-up");
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
      assertThat(stored(url, pg, "held-up")).isEqualTo(1);
    }
  }

  private static HttpResponse<String> track(StandaloneIngest app, String key, String messageId)
      throws Exception {
    return app.track(key, "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + messageId + "\"}");
  }

  private static long stored(String url, TestPostgres pg, String messageId) throws Exception {
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select count(*) from events where message_id = '" + messageId + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
