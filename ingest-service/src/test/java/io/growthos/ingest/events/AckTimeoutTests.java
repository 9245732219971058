package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestApplication;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request waits on its thread for the commit of its events, and no longer than {@code
 * growthos.ingest.writer.ack-timeout}: a commit that cannot happen in time (here the events table
 * is locked) is a 503 with Retry-After, never an ACK; once the database moves again the event is
 * stored, and the client's retry is ACKed without storing it twice.
 */
class AckTimeoutTests {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCommitSlowerThanTheAckTimeoutIs503AndTheRetryIsStoredOnce() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("acktimeout");
    String key = ApiKeys.generate(KeyType.WRITE);
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(IngestApplication.class)
            .run(
                "--server.port=0",
                "--growthos.ratelimit.enabled=false",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--growthos.ingest.writer.ack-timeout=1s",
                "--growthos.bootstrap.write-key=" + key)) {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      assertThat(track(port, key, "warm-up").statusCode()).isEqualTo(200);

      HttpResponse<String> slow;
      try (Connection locker = DriverManager.getConnection(url, pg.username(), pg.password());
          Statement s = locker.createStatement()) {
        locker.setAutoCommit(false);
        s.execute("lock table events in access exclusive mode");
        long started = System.nanoTime();
        slow = track(port, key, "held-up");
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

      HttpResponse<String> retry = track(port, key, "held-up");
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
      assertThat(stored(url, pg, "held-up")).isEqualTo(1);
    }
  }

  private HttpResponse<String> track(int port, String key, String messageId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/track"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + messageId + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
