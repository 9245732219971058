package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What docs/deployment.md tells an operator who wants more of the actuator than health: a separate
 * {@code management.server.port}, kept off the internet. There the widened endpoints answer; on the
 * API port they stay unknown routes ({@link ActuatorExposureTests}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=false",
      "management.server.port=0",
      "management.endpoints.web.exposure.include=health,env,metrics"
    })
class ActuatorOnManagementPortTests {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private static int status(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void widenedEndpointsAnswerOnTheManagementPortOnly() throws Exception {
    assertThat(managementPort).isNotEqualTo(port);
    assertThat(status(managementPort, "/actuator/env")).isEqualTo(200);
    assertThat(status(managementPort, "/actuator/metrics")).isEqualTo(200);
    assertThat(status(managementPort, "/actuator/health")).isEqualTo(200);
    assertThat(status(port, "/actuator/env")).isEqualTo(404);
    assertThat(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/track"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("the API port still serves the API, through the pipeline: no key is 401")
        .isEqualTo(401);
  }
}
