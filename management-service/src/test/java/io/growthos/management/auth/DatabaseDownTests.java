package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ManagementApplication;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import io.growthos.testsupport.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8 finding: with the database unreachable the Management API answers 503 with {@code
 * Retry-After} (the client may retry), never 500. The app runs on a database of its own, which the
 * test closes to connections while the app runs.
 */
class DatabaseDownTests {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ConfigurableApplicationContext app;
  private static String database;
  private static int port;

  @BeforeAll
  static void start() {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("db_down");
    database = url.substring(url.lastIndexOf('/') + 1);
    app =
        new SpringApplicationBuilder(ManagementApplication.class)
            // Arguments, not default properties: they must win over application.yml.
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--spring.datasource.hikari.connection-timeout=500",
                "--growthos.ratelimit.enabled=false",
                "--growthos.auth.cache-ttl=60s");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    admin("alter database " + database + " allow_connections true");
    if (app != null) {
      app.close();
    }
  }

  private static void admin(String sql) throws Exception {
    TestPostgres pg = TestPostgres.get();
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.username(), pg.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String key(JdbcTemplate jdbc, String workspaceId) {
    String key = ApiKeys.generate(KeyType.SECRET);
    KeyRows.insertApiKey(jdbc, workspaceId, KeyType.SECRET, "test", key, "*");
    return key;
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnreachableDatabaseIsA503WithRetryAfterNotA500() throws Exception {
    JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
    String ws = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'down', 'scale')", ws);
    String cached = key(jdbc, ws);
    String uncached = key(jdbc, ws);
    assertThat(get("/v1/contacts", cached).statusCode()).isEqualTo(200);

    admin("alter database " + database + " allow_connections false");
    admin(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
            + database
            + "'");
    try {
      // The key is known from the cache: the handler's query is what fails.
      HttpResponse<String> query = get("/v1/contacts", cached);
      // An unknown key: its lookup is what fails.
      HttpResponse<String> lookup = get("/v1/contacts", uncached);

      for (HttpResponse<String> r : java.util.List.of(query, lookup)) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").path("code").asString()).isEqualTo("service_unavailable");
        assertThat(body.path("request_id").asString()).startsWith("req_");
      }
    } finally {
      admin("alter database " + database + " allow_connections true");
    }
    // And it recovers once the database is back.
    HttpResponse<String> back = null;
    for (int i = 0; i < 20; i++) {
      back = get("/v1/contacts", cached);
      if (back.statusCode() == 200) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
  }
}
