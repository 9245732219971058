package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ManagementApplication;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
 * long strings, NUL and lone surrogates as escapes) against the running Management API, with
 * credentials that must not pass: never a 5xx, never a 2xx, always the error envelope.
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
    jdbc.update(
        "insert into api_keys (workspace_id, id, type, name, key_hash, prefix, last_four)"
            + " values (?,?,?,?,?,?,?)",
        ws,
        Ids.next(IdPrefix.API_KEY),
        "write",
        "fuzz",
        ApiKeys.hash(writeKey),
        KeyType.WRITE.prefix(),
        ApiKeys.lastFour(writeKey));
  }

  @AfterContainer
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  record Answer(int status, String body) {}

  @Property(tries = 200, seed = "20261205")
  void noRandomRequestWithoutAValidKeyIsAServerErrorOrASuccess(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("bodies") String body,
      @ForAll("credentials") String credential)
      throws IOException {
    String authorization =
        switch (credential) {
          case "none" -> null;
          case "write" -> "Bearer " + writeKey;
          case "unknown secret" -> "Bearer " + ApiKeys.generate(KeyType.SECRET);
          default -> "Bearer " + credential;
        };
    Answer a = send(method, path, authorization, body);

    assertThat(a.status()).as("%s %s -> %s", method, path, a.body()).isBetween(400, 499);
    JsonNode json = JSON.readTree(a.body());
    assertThat(json.path("request_id").asString()).as(a.body()).startsWith("req_");
    assertThat(json.path("error").path("code").asString()).isNotEmpty();
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PATCH", "DELETE", "PUT");
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of("none", "write", "unknown secret", "gos_sk_", "x", "gos_ak_%00");
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> fragment =
        Arbitraries.of(
            "v1",
            "v1",
            "V1",
            "%761",
            "v%31",
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
            "cntct_0000000000000000000000",
            ".",
            "..",
            "%2e",
            "%2e%2e",
            "%2F",
            "%5C",
            "%00",
            ";",
            ";x=1",
            "contacts;jsessionid=1",
            "",
            "%C3%A9",
            "%E2%80%AE",
            "%ED%A0%80",
            "%",
            "%zz",
            "~",
            "*");
    return fragment
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(segments -> "/" + String.join("/", segments))
        .flatMap(
            p ->
                Arbitraries.of("", "?limit=1", "?cursor=%%%", "?x=%00", "?limit=-1&limit=2")
                    .map(q -> p + q));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of("null", "true", "false", "0", "-1", "1e309", "12345678901234567890123"),
            Arbitraries.strings().ofMaxLength(20).map(RandomRequestPropertyTests::quote),
            Arbitraries.of("\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\""),
            Arbitraries.integers().between(1_000, 200_000).map(n -> "\"" + "x".repeat(n) + "\""));
    Arbitrary<String> object =
        Combinators.combine(
                Arbitraries.of(
                    "name",
                    "user_id",
                    "email",
                    "traits",
                    "scopes",
                    "type",
                    "filter",
                    "plan",
                    "url",
                    "events",
                    "writeKey",
                    "\\u0000",
                    ""),
                scalar)
            .as((k, v) -> "{\"" + k + "\":" + v + "}");
    Arbitrary<String> deep =
        Arbitraries.integers().between(10, 3_000).map(d -> "[".repeat(d) + "]".repeat(d));
    Arbitrary<String> deepObject =
        Arbitraries.integers()
            .between(10, 1_500)
            .map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d));
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        scalar,
        object,
        object.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        deep,
        deepObject,
        Arbitraries.of("{", "{\"a\":}", "{\"a\":1,}", "\u0000", "{\"a\":1}{\"b\":2}"));
  }

  private static String quote(String s) {
    return JSON.writeValueAsString(s);
  }

  private static Answer send(String method, String path, String authorization, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n"
                  + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.flush();
      PathVariantAttackTests.Raw raw = PathVariantAttackTests.parse(socket.getInputStream());
      return new Answer(raw.status(), raw.body());
    }
  }
}
