package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator who widens Spring Boot's actuator exposure (to scrape metrics, say) must not publish
 * the service's configuration, beans and metrics on the public API port: every actuator handler
 * used to count as a public framework route. On the service's port only health (with its liveness
 * and readiness groups) is public; any other actuator endpoint is an unknown route (404), whatever
 * key comes with it. Such endpoints belong on a separate {@code management.server.port} that the
 * operator keeps off the internet (docs/deployment.md).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=false",
      "management.endpoints.web.exposure.include=health,env,beans,configprops,metrics,info"
    })
class ActuatorExposureTests {

  @LocalServerPort int port;

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyHealthIsPublicWhenTheActuatorsExposureIsWidened() throws Exception {
    for (String health :
        List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
      assertThat(get(health).statusCode()).as(health).isEqualTo(200);
    }
    for (String other :
        List.of(
            "/actuator",
            "/actuator/env",
            "/actuator/beans",
            "/actuator/configprops",
            "/actuator/metrics",
            "/actuator/metrics/jvm.memory.used",
            "/actuator/info")) {
      HttpResponse<String> response = get(other);
      assertThat(response.statusCode()).as(other + ": " + response.body()).isEqualTo(404);
      assertThat(response.body()).as(other).contains("\"code\":\"not_found\"");
    }
  }

  /**
   * A health group that does not exist is an unknown route like any other: the envelope names the
   * path and carries the client's request id (it said the request was no HTTP, with a new id).
   */
  @Test
  void anUnknownHealthGroupIsAnUnknownRouteWithTheClientsRequestId() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/foo"))
                    .header("X-Request-Id", "req_mine123")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("X-Request-Id")).contains("req_mine123");
    assertThat(response.body())
        .contains("\"reason\":\"unknown_route\"")
        .contains("\"field\":\"path\"")
        .contains("\"request_id\":\"req_mine123\"")
        .doesNotContain("malformed_request");
  }
}
