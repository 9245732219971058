package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ManagementApplication;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import io.growthos.testsupport.RandomRequests;
import io.growthos.testsupport.RawHttp;
import io.growthos.testsupport.TestPostgres;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8, "tests that attack": random paths (route fragments, percent-escapes, matrix parameters,
 * dot segments, unicode, empty segments) and random bodies (random JSON, wrong types, deep nesting,
 * long strings, NUL and lone surrogates as escapes; {@link RandomRequests}) against the running
 * Management API, with credentials that must not pass: never a 5xx, never a 2xx, always the error
 * envelope.
 */
class RandomRequestPropertyTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ConfigurableApplicationContext app;
  private static int port;
  private static String writeKey;

  @BeforeContainer
  static void start() {
    TestPostgres pg = TestPostgres.get();
    app =
        new SpringApplicationBuilder(ManagementApplication.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + pg.jdbcUrl(),
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--growthos.ratelimit.enabled=false");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
    JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
    String ws = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'fuzz', 'scale')", ws);
    writeKey = ApiKeys.generate(KeyType.WRITE);
    KeyRows.insertApiKey(jdbc, ws, KeyType.WRITE, "fuzz", writeKey);
  }

  @AfterContainer
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Property(tries = 200, seed = "20261205")
  void noRandomRequestWithoutAValidKeyIsAServerErrorOrASuccess(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("bodies") String body,
      @ForAll("credentials") String credential) {
    String authorization =
        switch (credential) {
          case "none" -> null;
          case "write" -> "Bearer " + writeKey;
          case "unknown secret" -> "Bearer " + ApiKeys.generate(KeyType.SECRET);
          default -> "Bearer " + credential;
        };
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Authorization", authorization);
    RawHttp.Answer a = RawHttp.send(port, method, path, headers, body);

    assertThat(a.status()).as("%s %s -> %s", method, path, a.body()).isBetween(400, 499);
    JsonNode json = JSON.readTree(a.body());
    assertThat(json.path("request_id").asString()).as(a.body()).startsWith("req_");
    assertThat(json.path("error").path("code").asString()).isNotEmpty();
  }

  @Provide
  Arbitrary<String> methods() {
    return RandomRequests.methods();
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of("none", "write", "unknown secret", "gos_sk_", "x", "gos_ak_%00");
  }

  @Provide
  Arbitrary<String> paths() {
    return RandomRequests.paths(
        "contacts",
        "segments",
        "workspaces",
        "api-keys",
        "admin-keys",
        "campaigns",
        "webhook-endpoints",
        "analytics",
        "query",
        "preview",
        "roll",
        "settings",
        "cntct_0000000000000000000000");
  }

  @Provide
  Arbitrary<String> bodies() {
    return RandomRequests.bodies("name", "user_id", "email");
  }
}
