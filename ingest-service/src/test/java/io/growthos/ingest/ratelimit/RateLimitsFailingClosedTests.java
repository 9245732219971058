package io.growthos.ingest.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A copy whose rate limits fail closed while their Redis is away refuses every {@code /v1} request
 * with 503: its readiness says so (it said UP, so a load balancer kept sending it traffic), and the
 * refusals are logged by the limiter's one WARN per interval, not by an ERROR line each (a
 * black-box review of a cluster, 2026-12-07). Nothing listens on port 1.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=true",
      "growthos.ratelimit.backend=redis",
      "growthos.ratelimit.redis.url=redis://127.0.0.1:1",
      "growthos.ratelimit.redis.failure-mode=closed"
    })
@ExtendWith(OutputCaptureExtension.class)
class RateLimitsFailingClosedTests {

  @LocalServerPort int port;

  private HttpResponse<String> get(String path) {
    return TestHttp.send(TestHttp.request(port, path).GET());
  }

  @Test
  void aCopyThatWouldRefuseEveryRequestIsNotReadyAndLogsNoErrorPerRequest(CapturedOutput output) {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r =
          TestHttp.send(
              TestHttp.request(port, "/v1/track")
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer gos_wk_" + "a".repeat(32))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"e\"}")));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.body()).contains("service_unavailable");
    }
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
    assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
    assertThat(get("/actuator/health/liveness").statusCode())
        .as("alive: restarting it would not bring Redis back")
        .isEqualTo(200);
    assertThat(
            output
                .getOut()
                .lines()
                .filter(l -> l.contains(" ERROR ") && l.contains("/v1/track"))
                .toList())
        .isEmpty();
    assertThat(output.getOut()).contains("Redis for rate limits unreachable");
  }
}
