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
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With its database gone, the service refuses to ACK: 503 with Retry-After and the envelope, both
 * for a key it has cached (the writer cannot commit) and for a key it must look up.
 */
class DatabaseOutageTests {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void answers503WithRetryAfterWhenTheDatabaseIsGone() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("outage");
    String database = url.substring(url.lastIndexOf('/') + 1);
    String cachedKey = ApiKeys.generate(KeyType.WRITE);
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(IngestApplication.class)
            .run(
                "--server.port=0",
                "--growthos.ratelimit.enabled=false",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--spring.datasource.hikari.connection-timeout=1000",
                "--growthos.auth.cache-ttl=10m",
                "--growthos.bootstrap.write-key=" + cachedKey)) {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      assertThat(track(port, cachedKey).statusCode()).isEqualTo(200);

      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.username(), pg.password());
          Statement s = c.createStatement()) {
        s.execute("drop database " + database + " with (force)");
      }

      assertUnavailable(track(port, cachedKey));
      assertUnavailable(track(port, ApiKeys.generate(KeyType.WRITE)));
    }
  }

  private HttpResponse<String> track(int port, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/track"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"e\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    JsonNode body = JsonMapper.builder().build().readTree(response.body());
    assertThat(body.at("/error/code").asString()).isEqualTo("service_unavailable");
  }
}
