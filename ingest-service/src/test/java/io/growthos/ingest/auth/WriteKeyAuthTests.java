package io.growthos.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyAuthenticator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Write keys in every accepted place, and a 401 envelope for every wrong key. */
class WriteKeyAuthTests extends IngestTestBase {

  private static final String TRACK = "{\"userId\":\"u\",\"event\":\"e\"}";

  @Autowired KeyAuthenticator authenticator;

  private static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsBasicWithAndWithoutTrailingColonBearerAndBodyKey() {
    Workspace ws = newWorkspace();
    assertThat(post("/v1/track", TRACK, "Authorization", basic(ws.writeKey() + ":")).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/track", TRACK, "Authorization", basic(ws.writeKey())).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/track", TRACK, "Authorization", "Bearer " + ws.writeKey()).statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    "/v1/track",
                    "{\"userId\":\"u\",\"event\":\"e\",\"writeKey\":\"" + ws.writeKey() + "\"}",
                    "Content-Type",
                    "text/plain")
                .statusCode())
        .isEqualTo(200);
    assertThat(events(ws)).isEqualTo(4);
  }

  /** A single-event route and the batch route, each with the body's writeKey member. */
  private static List<String[]> routesWithBodyKey(String writeKeyJson) {
    return List.of(
        new String[] {
          "/v1/track", "{\"userId\":\"u\",\"event\":\"e\",\"writeKey\":" + writeKeyJson + "}"
        },
        new String[] {
          "/v1/t", "{\"userId\":\"u\",\"event\":\"e\",\"writeKey\":" + writeKeyJson + "}"
        },
        new String[] {
          "/v1/batch",
          "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}],\"writeKey\":"
              + writeKeyJson
              + "}"
        });
  }

  private static JsonNode assertBadWriteKey(HttpResponse<String> response, String reason) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.at("/error/code").asString()).isEqualTo("validation_error");
    assertThat(body.at("/error/details/0/field").asString()).endsWith("writeKey");
    assertThat(body.at("/error/details/0/reason").asString()).isEqualTo(reason);
    return body;
  }

  /**
   * A body {@code writeKey} that is not a string (a number, an object, an array, a boolean) is 400
   * naming {@code writeKey}, with or without a key in the header, on the single-event routes and on
   * {@code /v1/batch} alike. Before, it was ignored: with a header the events were stored, without
   * one the answer was a 401 "missing key" naming {@code Authorization}.
   */
  @Test
  void aBodyWriteKeyThatIsNoStringIsRefusedNamingIt() {
    Workspace ws = newWorkspace();
    for (String wrong : List.of("42", "{\"key\":\"" + ws.writeKey() + "\"}", "[]", "true")) {
      for (String[] call : routesWithBodyKey(wrong)) {
        assertBadWriteKey(post(call[0], call[1], "Authorization", ws.basic()), "invalid_type");
        assertBadWriteKey(post(call[0], call[1], "Content-Type", "text/plain"), "invalid_type");
      }
    }
    assertThat(events(ws)).isZero();
  }

  /**
   * A body {@code writeKey} other than the header's key is 400 naming {@code writeKey} (reason
   * {@code conflicts_with_header}) and stores nothing, whether it is another workspace's key or no
   * key at all: which workspace the client meant cannot be known (as with two {@code Authorization}
   * headers). Before, the header's key silently won. The same key in both places (analytics-python
   * sends it so), a null or a blank {@code writeKey} are accepted.
   */
  @Test
  void aBodyWriteKeyOtherThanTheHeadersKeyIsRefusedAndStoresNothing() {
    Workspace ws = newWorkspace();
    Workspace other = newWorkspace();
    for (String body : List.of("\"" + other.writeKey() + "\"", "\"gos_wk_nonsense\"")) {
      for (String[] call : routesWithBodyKey(body)) {
        assertBadWriteKey(
            post(call[0], call[1], "Authorization", ws.basic()), "conflicts_with_header");
        assertBadWriteKey(
            post(call[0], call[1], "Authorization", "Bearer " + ws.writeKey()),
            "conflicts_with_header");
      }
    }
    assertThat(events(ws)).isZero();
    assertThat(events(other)).isZero();
    for (String body : List.of("\"" + ws.writeKey() + "\"", "null", "\"\"", "\" \"")) {
      for (String[] call : routesWithBodyKey(body)) {
        HttpResponse<String> response = post(call[0], call[1], "Authorization", ws.basic());
        assertThat(response.statusCode())
            .as(call[0] + " " + body + " " + response.body())
            .isEqualTo(200);
      }
    }
    assertThat(events(ws)).isEqualTo(12);
    assertThat(events(other)).isZero();
  }

  /**
   * analytics.js puts the write key on every event of a batch as well as on the batch ({@code
   * normalize} sets {@code writeKey} per event; the batched dispatcher sends {@code {writeKey,
   * batch, sentAt}}). An event's {@code writeKey} in a batch follows the rule of a single event's:
   * a string, and the request's key (the header's, else the batch's). Before, an event carrying
   * another workspace's key was stored in the request's workspace, and one of the wrong type was
   * ignored.
   */
  @Test
  void aBatchEventsWriteKeyMustBeTheRequestsKey() {
    Workspace ws = newWorkspace();
    Workspace other = newWorkspace();
    String mine = "\"writeKey\":\"" + ws.writeKey() + "\"";
    String theirs = "\"writeKey\":\"" + other.writeKey() + "\"";
    String event = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",%s}";
    String[] bodies = {
      "{\"batch\":[" + event.formatted(mine) + "," + event.formatted(theirs) + "]}",
      "{" + mine + ",\"batch\":[" + event.formatted(theirs) + "]}",
    };
    JsonNode withHeader =
        assertBadWriteKey(
            post("/v1/batch", bodies[0], "Authorization", ws.basic()), "conflicts_with_key");
    assertThat(withHeader.at("/error/details/0/field").asString()).isEqualTo("batch[1].writeKey");
    JsonNode inBody =
        assertBadWriteKey(
            post("/v1/b", bodies[1], "Content-Type", "text/plain"), "conflicts_with_key");
    assertThat(inBody.at("/error/details/0/field").asString()).isEqualTo("batch[0].writeKey");
    JsonNode wrongType =
        assertBadWriteKey(
            post(
                "/v1/batch",
                "{\"batch\":[" + event.formatted("\"writeKey\":42") + "]}",
                "Authorization",
                ws.basic()),
            "invalid_type");
    assertThat(wrongType.at("/error/details/0/field").asString()).isEqualTo("batch[0].writeKey");
    assertThat(events(ws)).isZero();
    assertThat(events(other)).isZero();

    // analytics.js: the key on the batch and on every event, no header.
    HttpResponse<String> analyticsJs =
        post(
            "/v1/b",
            "{"
                + mine
                + ",\"batch\":["
                + event.formatted(mine)
                + ","
                + event.formatted(mine)
                + "]}",
            "Content-Type",
            "text/plain");
    assertThat(analyticsJs.statusCode()).as(analyticsJs.body()).isEqualTo(200);
    assertThat(events(ws)).isEqualTo(2);

    // Keys on the events only, none in the header or on the batch: unauthenticated, whatever the
    // events' keys are (it was 400 conflicts_with_key, before authentication).
    for (String key : List.of(mine, "\"writeKey\":\"gos_wk_nope\"")) {
      assertUnauthorized(
          post(
              "/v1/batch",
              "{\"batch\":[" + event.formatted(key) + "]}",
              "Content-Type",
              "text/plain"),
          "Authorization",
          "missing");
    }
    assertThat(events(ws)).isEqualTo(2);
  }

  @Test
  void rejectsMissingKey() {
    assertUnauthorized(post("/v1/track", TRACK), "Authorization", "missing");
  }

  @Test
  void aMissingKeysMessageListsThePlacesTheRouteTakesAKeyFrom() {
    JsonNode track = assertUnauthorized(post("/v1/track", TRACK), "Authorization", "missing");
    assertThat(track.at("/error/message").asString())
        .endsWith(
            "send one as the HTTP Basic username, as 'Authorization: Bearer', or as 'writeKey'"
                + " in the body.");
    // Widget routes take no body key.
    HttpResponse<String> widget =
        send(HttpRequest.newBuilder(uri("/v1/widgets/campaigns/cmp_nope")).GET().build());
    assertThat(
            assertUnauthorized(widget, "Authorization", "missing").at("/error/message").asString())
        .endsWith("send one as the HTTP Basic username or as 'Authorization: Bearer'.");
  }

  @Test
  void rejectsUnknownKey() {
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", basic(ApiKeys.generate(KeyType.WRITE) + ":")),
        "Authorization",
        "invalid_key");
  }

  @Test
  void rejectsMalformedKeys() {
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", "Bearer gos_wk_short"),
        "Authorization",
        "invalid_key");
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", "Basic !!!notbase64"),
        "Authorization",
        "malformed");
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", basic(":password")),
        "Authorization",
        "malformed");
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", "Token abc"), "Authorization", "malformed");
    assertUnauthorized(
        post("/v1/track", "{\"userId\":\"u\",\"event\":\"e\",\"writeKey\":\"nope\"}"),
        "writeKey",
        "invalid_key");
  }

  @Test
  void rejectsRevokedKey() {
    Workspace ws = newWorkspace();
    assertThat(post("/v1/track", TRACK, "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    jdbc.update(
        "update api_keys set status = 'revoked' where key_hash = ?",
        (Object) ApiKeys.hash(ws.writeKey()));
    authenticator.evictAll();
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", ws.basic()), "Authorization", "invalid_key");
  }

  /**
   * The Management API revokes a write key in another process: this service learns of it from the
   * database at once (PostgreSQL {@code NOTIFY}), not when its cached answer expires ({@code
   * growthos.auth.cache-ttl}, 5 s), so a leaked key stops ingesting as soon as its revoke answers.
   */
  @Test
  void aKeyRevokedByAnotherServiceIsRefusedWithinAMomentNotAfterTheCacheTtl() throws Exception {
    Workspace ws = newWorkspace();
    assertThat(post("/v1/track", TRACK, "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    // As ApiKeyService.revoke commits it in another service: the change and its notification in
    // one transaction; no eviction in this process.
    changeKeyAsTheManagementApiDoes(
        "status = 'revoked', updated_at = now()", ApiKeys.hash(ws.writeKey()));
    long revokedAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - revokedAt < 3_000_000_000L) {
      status = post("/v1/track", TRACK, "Authorization", ws.basic()).statusCode();
      Thread.sleep(20);
    }
    long millis = (System.nanoTime() - revokedAt) / 1_000_000;
    assertThat(status).as("still accepted %d ms after the revoke committed", millis).isEqualTo(401);
    assertThat(millis).as("ms until refused").isLessThan(1_000);
  }

  @Test
  void aRolledKeyPastItsGracePeriodIsRefusedWithoutWaitingForTheCacheTtl() throws Exception {
    Workspace ws = newWorkspace();
    assertThat(post("/v1/track", TRACK, "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    // A roll with grace_period_seconds 0, committed by the Management API.
    changeKeyAsTheManagementApiDoes(
        "expires_at = now(), updated_at = now()", ApiKeys.hash(ws.writeKey()));
    Thread.sleep(500);
    assertUnauthorized(
        post("/v1/track", TRACK, "Authorization", ws.basic()), "Authorization", "invalid_key");
  }

  /**
   * Updates a key in one transaction with the notification KeyAuthenticator
   * .changeCommitsWithThisTransaction sends, as the Management API commits a revoke or a roll.
   */
  private void changeKeyAsTheManagementApiDoes(String set, byte[] keyHash) {
    jdbc.queryForList(
        "with changed as (update api_keys set "
            + set
            + " where key_hash = ? returning 1)"
            + " select pg_notify('"
            + io.growthos.platform.auth.KeyChangeListener.CHANNEL
            + "', '')::text from changed",
        String.class,
        (Object) keyHash);
  }

  @Test
  void rejectsSecretKeyPointingToTheManagementApi() {
    Workspace ws = newWorkspace();
    String secret = newKey(ws.id(), KeyType.SECRET);
    HttpResponse<String> response = post("/v1/track", TRACK, "Authorization", "Bearer " + secret);
    JsonNode body = assertUnauthorized(response, "Authorization", "wrong_key_type");
    assertThat(body.at("/error/message").asString())
        .contains("Management API")
        .contains("gos_wk_")
        .contains("gos_sk_");
    assertThat(events(ws)).isZero();
  }

  @Test
  void rejectsSecretKeyInTheBody() {
    Workspace ws = newWorkspace();
    String secret = newKey(ws.id(), KeyType.SECRET);
    JsonNode body =
        assertUnauthorized(
            post(
                "/v1/t",
                "{\"userId\":\"u\",\"event\":\"e\",\"writeKey\":\"" + secret + "\"}",
                "Content-Type",
                "text/plain"),
            "writeKey",
            "wrong_key_type");
    assertThat(body.at("/error/message").asString()).contains("Management API");
  }

  @Test
  void rejectsAdminKey() {
    JsonNode body =
        assertUnauthorized(
            post("/v1/track", TRACK, "Authorization", basic(ApiKeys.generate(KeyType.ADMIN) + ":")),
            "Authorization",
            "wrong_key_type");
    assertThat(body.at("/error/message").asString()).contains("Management API");
  }

  @Test
  void answersCorsPreflightForAnyOriginAndLetsBrowsersCache() {
    HttpRequest preflight =
        HttpRequest.newBuilder(uri("/v1/track"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://any.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type")
            .build();
    HttpResponse<String> response = send(preflight);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValueSatisfying(v -> assertThat(v).isIn("*", "https://any.example"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .containsIgnoringCase("authorization")
        .containsIgnoringCase("content-type");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    assertThat(response.headers().firstValue("Access-Control-Max-Age"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isGreaterThanOrEqualTo(600));
  }

  @Test
  void errorsCarryCorsHeadersSoBrowsersCanReadThem() {
    HttpResponse<String> response =
        post("/v1/track", TRACK, "Origin", "https://any.example", "Authorization", "Bearer x");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("X-Request-Id");
  }

  private static JsonNode assertUnauthorized(
      HttpResponse<String> response, String field, String reason) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    // RFC 9110 §11.6.1: a 401 names its scheme (none did until 2026-12-07).
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"GrowthOS\"");
    JsonNode body = json(response);
    assertThat(body.at("/error/code").asString()).isEqualTo("unauthorized");
    assertThat(body.at("/error/details/0/field").asString()).isEqualTo(field);
    assertThat(body.at("/error/details/0/reason").asString()).isEqualTo(reason);
    assertThat(body.at("/request_id").asString()).startsWith("req_");
    return body;
  }
}
