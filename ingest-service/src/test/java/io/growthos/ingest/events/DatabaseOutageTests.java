package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.TestPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With its database gone, the service refuses to ACK: 503 with Retry-After and the envelope, both
 * for a key it has cached (the writer cannot commit) and for a key it must look up.
 */
class DatabaseOutageTests {

  @Test
  void answers503WithRetryAfterWhenTheDatabaseIsGone() throws Exception {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("outage");
    String database = url.substring(url.lastIndexOf('/') + 1);
    String cachedKey = ApiKeys.generate(KeyType.WRITE);
    try (StandaloneIngest app =
        StandaloneIngest.start(
            pg,
            url,
            cachedKey,
            "--spring.datasource.hikari.connection-timeout=1000",
            "--growthos.auth.cache-ttl=10m")) {
      assertThat(track(app, cachedKey).statusCode()).isEqualTo(200);

      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.username(), pg.password());
          Statement s = c.createStatement()) {
        s.execute("drop database " + database + " with (force)");
      }

      assertUnavailable(track(app, cachedKey));
      assertUnavailable(track(app, ApiKeys.generate(KeyType.WRITE)));
    }
  }

  private static HttpResponse<String> track(StandaloneIngest app, String key) throws Exception {
    return app.track(key, "{\"userId\":\"u\",\"event\":\"e\"}");
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    JsonNode body = JsonMapper.builder().build().readTree(response.body());
    assertThat(body.at("/error/code").asString()).isEqualTo("service_unavailable");
  }
}
