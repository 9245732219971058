package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Ingest API column of the plan table, and write keys sent the way Segment clients do. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "growthos.ratelimit.api=ingest")
class IngestRateLimitTest {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  private URI ping() {
    return URI.create("http://localhost:" + port + "/v1/ping/write");
  }

  @Test
  void grantsAFreeWriteKeyExactlyOneHundredRequestsPerSecond() {
    String key = new TestKeys(jdbc).create(Plan.FREE, KeyType.WRITE).secret();

    Http.burst(ping(), Optional.of(key), 120).assertLimitedTo(100);
  }

  @Test
  void chargesAKeySentAsBasicUserNameToThatKey() {
    String key = new TestKeys(jdbc).create(Plan.GROWTH, KeyType.WRITE).secret();
    String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r =
        Http.send(HttpRequest.newBuilder(ping()).header("Authorization", "Basic " + basic).build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-RateLimit-Limit")).contains("500");
    assertThat(r.headers().firstValue("X-RateLimit-Remaining")).contains("499");
  }
}
