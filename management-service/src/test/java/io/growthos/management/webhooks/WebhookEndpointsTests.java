package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import org.junit.jupiter.api.Test;

/** The endpoint resource of SPEC §9: CRUD, the secret shown once, validation and tenancy. */
class WebhookEndpointsTests extends ApiTestSupport {

  static String endpointBody(String url, String... events) {
    return "{\"url\":\"" + url + "\",\"events\":" + json(java.util.List.of(events)) + "}";
  }

  @Test
  void secretIsShownOnceAtCreateAndNeverCached() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            endpointBody("https://hooks.example.com/growthos", "contact.created"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    String secret = created.body().path("secret").asString();
    assertThat(secret).startsWith("whsec_");
    String id = created.body().path("id").asString();
    assertThat(id).startsWith("we_");
    assertThat(created.body().path("status").asString()).isEqualTo("enabled");
    assertThat(created.body().path("version").asInt()).isEqualTo(1);

    Response fetched = get("/v1/webhook-endpoints/" + id, t.key());
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body().has("secret")).isFalse();
    assertThat(get("/v1/webhook-endpoints", t.key()).raw()).doesNotContain(secret);
  }

  @Test
  void patchChangesFieldsGuardedByVersionAndDeleteRemoves() {
    Tenant t = newTenant();
    String id =
        post("/v1/webhook-endpoints", t.key(), endpointBody("https://a.example.com/h", "*"))
            .body()
            .path("id")
            .asString();
    Response patched =
        patch(
            "/v1/webhook-endpoints/" + id,
            t.key(),
            "{\"events\":[\"contact.deleted\"],\"status\":\"disabled\",\"description\":\"crm\","
                + "\"version\":1}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("events").path(0).asString()).isEqualTo("contact.deleted");
    assertThat(patched.body().path("status").asString()).isEqualTo("disabled");
    assertThat(patched.body().path("version").asInt()).isEqualTo(2);
    Response stale =
        patch("/v1/webhook-endpoints/" + id, t.key(), "{\"description\":\"x\",\"version\":1}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("version_conflict");

    assertThat(delete("/v1/webhook-endpoints/" + id, t.key()).status()).isEqualTo(204);
    assertThat(get("/v1/webhook-endpoints/" + id, t.key()).status()).isEqualTo(404);
  }

  @Test
  void rejectsUnknownEventTypesAndBadUrls() {
    Tenant t = newTenant();
    Response unknown =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            endpointBody("https://a.example.com/h", "contact.created", "contact.exploded"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.firstDetail().path("field").asString()).isEqualTo("events[1]");

    Response plainHttp =
        post("/v1/webhook-endpoints", t.key(), endpointBody("http://example.com/h", "*"));
    assertThat(plainHttp.status()).isEqualTo(400);
    assertThat(plainHttp.firstDetail().path("field").asString()).isEqualTo("url");

    Response ftp = post("/v1/webhook-endpoints", t.key(), endpointBody("ftp://example.com/", "*"));
    assertThat(ftp.status()).isEqualTo(400);

    Response testOnly =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            endpointBody("https://a.example.com/h", "webhook.test"));
    assertThat(testOnly.status()).isEqualTo(400);

    Response unknownField =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            "{\"url\":\"https://a.example.com/h\",\"events\":[\"*\"],\"secrett\":\"x\"}");
    assertThat(unknownField.status()).isEqualTo(400);
  }

  @Test
  void urlWithAPortOutsideOneTo65535IsRefusedOnCreateAndPatch() {
    Tenant t = newTenant();
    for (String url :
        new String[] {
          "https://example.com:99999/", "https://example.com:65536/", "https://example.com:0/"
        }) {
      Response created = post("/v1/webhook-endpoints", t.key(), endpointBody(url, "*"));
      assertInvalidUrl(created, "");
    }
    String id =
        post("/v1/webhook-endpoints", t.key(), endpointBody("https://example.com:8443/h", "*"))
            .body()
            .path("id")
            .asString();
    Response patched =
        patch("/v1/webhook-endpoints/" + id, t.key(), "{\"url\":\"https://example.com:65536/\"}");
    assertInvalidUrl(patched, "");
    assertThat(get("/v1/webhook-endpoints/" + id, t.key()).body().path("url").asString())
        .isEqualTo("https://example.com:8443/h");
  }

  @Test
  void aUrlWithCredentialsIsRefusedOnCreateAndPatchAndNeverEchoed() {
    Tenant t = newTenant();
    for (String url :
        new String[] {
          "https://user:s3cret@hooks.example.com/h",
          "https://user@hooks.example.com/h",
          "https://:s3cret@hooks.example.com/h",
          "https://user:s3cret@bücher.example/h"
        }) {
      Response created = post("/v1/webhook-endpoints", t.key(), endpointBody(url, "*"));
      assertInvalidUrl(created, url);
      assertThat(created.firstDetail().path("message").asString()).contains("credentials");
    }
    String id =
        post("/v1/webhook-endpoints", t.key(), endpointBody("https://hooks.example.com/h", "*"))
            .body()
            .path("id")
            .asString();
    Response patched =
        patch(
            "/v1/webhook-endpoints/" + id,
            t.key(),
            "{\"url\":\"https://user:s3cret@hooks.example.com/h\"}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(400);
    assertThat(patched.firstDetail().path("field").asString()).isEqualTo("url");
    assertThat(get("/v1/webhook-endpoints", t.key()).raw()).doesNotContain("s3cret");
  }

  @Test
  void anInternationalisedHostIsAcceptedAndStoredInItsAsciiForm() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/webhook-endpoints", t.key(), endpointBody("https://bücher.example/hook?x=é", "*"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("url").asString())
        .isEqualTo("https://xn--bcher-kva.example/hook?x=é");
    String id = created.body().path("id").asString();
    assertThat(get("/v1/webhook-endpoints/" + id, t.key()).body().path("url").asString())
        .isEqualTo("https://xn--bcher-kva.example/hook?x=é");

    Response patched =
        patch(
            "/v1/webhook-endpoints/" + id, t.key(), "{\"url\":\"https://MÜNCHEN.example:8443/h\"}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("url").asString())
        .isEqualTo("https://xn--mnchen-3ya.example:8443/h");
  }

  @Test
  void aHostThatIsNoValidNameOnceConvertedToAsciiIsRefused() {
    Tenant t = newTenant();
    String id =
        post("/v1/webhook-endpoints", t.key(), endpointBody("https://bücher.example/h", "*"))
            .body()
            .path("id")
            .asString();
    for (String url :
        new String[] {
          "https://bü_cher.example/h",
          "https://-bücher.example/h",
          "https://" + "ü".repeat(60) + ".example/h"
        }) {
      Response created = post("/v1/webhook-endpoints", t.key(), endpointBody(url, "*"));
      assertInvalidUrl(created, url);
      Response patched = patch("/v1/webhook-endpoints/" + id, t.key(), "{\"url\":\"" + url + "\"}");
      assertThat(patched.status()).as(url + " " + patched.raw()).isEqualTo(400);
      assertThat(patched.firstDetail().path("reason").asString()).isEqualTo("invalid_url");
    }
    assertThat(get("/v1/webhook-endpoints/" + id, t.key()).body().path("url").asString())
        .isEqualTo("https://xn--bcher-kva.example/h");
  }

  @Test
  void testOfADisabledEndpointIsRefusedAndQueuesNothing() {
    Tenant t = newTenant();
    String id =
        post(
                "/v1/webhook-endpoints",
                t.key(),
                "{\"url\":\"https://a.example.com/h\",\"events\":[\"*\"],\"status\":\"disabled\"}")
            .body()
            .path("id")
            .asString();
    Response test = post("/v1/webhook-endpoints/" + id + "/test", t.key(), null);
    assertThat(test.status()).as(test.raw()).isEqualTo(422);
    assertThat(test.firstDetail().path("reason").asString()).isEqualTo("endpoint_disabled");
    assertThat(test.firstDetail().path("message").asString()).contains(id);
    assertThat(get("/v1/webhook-endpoints/" + id + "/deliveries", t.key()).body().path("data"))
        .isEmpty();

    patch("/v1/webhook-endpoints/" + id, t.key(), "{\"status\":\"enabled\"}");
    assertThat(post("/v1/webhook-endpoints/" + id + "/test", t.key(), null).status())
        .isEqualTo(200);
  }

  @Test
  void resendToADisabledEndpointIsRefusedAndLeavesTheDeliveryAsItWas() {
    Tenant t = newTenant();
    String id =
        post("/v1/webhook-endpoints", t.key(), endpointBody("https://a.example.com/h", "*"))
            .body()
            .path("id")
            .asString();
    String deliveryId =
        post("/v1/webhook-endpoints/" + id + "/test", t.key(), null).body().path("id").asString();
    // As if every attempt had failed and the endpoint had been disabled meanwhile.
    jdbc.update(
        "update webhook_deliveries set status = 'failed', attempts = 8, next_attempt_at = null"
            + " where workspace_id = ? and id = ?",
        t.workspaceId(),
        deliveryId);
    patch("/v1/webhook-endpoints/" + id, t.key(), "{\"status\":\"disabled\"}");

    Response resent =
        post(
            "/v1/webhook-endpoints/" + id + "/deliveries/" + deliveryId + "/resend", t.key(), null);
    assertThat(resent.status()).as(resent.raw()).isEqualTo(422);
    assertThat(resent.firstDetail().path("field").asString()).isEqualTo("id");
    assertThat(resent.firstDetail().path("reason").asString()).isEqualTo("endpoint_disabled");
    assertThat(
            jdbc.queryForObject(
                "select status from webhook_deliveries where workspace_id = ? and id = ?",
                String.class,
                t.workspaceId(),
                deliveryId))
        .isEqualTo("failed");

    patch("/v1/webhook-endpoints/" + id, t.key(), "{\"status\":\"enabled\"}");
    Response again =
        post(
            "/v1/webhook-endpoints/" + id + "/deliveries/" + deliveryId + "/resend", t.key(), null);
    assertThat(again.status()).as(again.raw()).isEqualTo(200);
    assertThat(again.body().path("status").asString()).isEqualTo("pending");
  }

  @Test
  void anotherWorkspacesEndpointIsNotFoundAndScopesApply() {
    Tenant owner = newTenant();
    Tenant other = newTenant();
    String id =
        post("/v1/webhook-endpoints", owner.key(), endpointBody("https://a.example.com/h", "*"))
            .body()
            .path("id")
            .asString();
    assertThat(get("/v1/webhook-endpoints/" + id, other.key()).status()).isEqualTo(404);
    assertThat(patch("/v1/webhook-endpoints/" + id, other.key(), "{}").status()).isEqualTo(404);
    assertThat(post("/v1/webhook-endpoints/" + id + "/test", other.key(), null).status())
        .isEqualTo(404);
    assertThat(get("/v1/webhook-endpoints/" + id + "/deliveries", other.key()).status())
        .isEqualTo(404);
    assertThat(post("/v1/webhook-endpoints/" + id + "/rotate-secret", other.key(), null).status())
        .isEqualTo(404);
    assertThat(delete("/v1/webhook-endpoints/" + id, other.key()).status()).isEqualTo(404);
    assertThat(ids(get("/v1/webhook-endpoints", other.key()))).isEmpty();

    String readOnly = newSecretKey(owner.workspaceId(), "webhooks:read");
    assertThat(get("/v1/webhook-endpoints/" + id, readOnly).status()).isEqualTo(200);
    Response denied =
        post("/v1/webhook-endpoints", readOnly, endpointBody("https://a.example.com/h", "*"));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.firstDetail().path("message").asString()).isEqualTo("webhooks:write");
  }

  @Test
  void aReplayedCreateOrRotationReturnsTheSameSecretAndChangesNothingMore() {
    Tenant t = newTenant();
    String body = endpointBody("https://a.example.com/h", "*");
    Response first = post("/v1/webhook-endpoints", t.key(), body, "Idempotency-Key", "create-1");
    Response replay = post("/v1/webhook-endpoints", t.key(), body, "Idempotency-Key", "create-1");
    assertThat(first.status()).as(first.raw()).isEqualTo(201);
    assertThat(replay.status()).as(replay.raw()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(ids(get("/v1/webhook-endpoints", t.key()))).hasSize(1);
    Response reused =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            endpointBody("https://b.example.com/h", "*"),
            "Idempotency-Key",
            "create-1");
    assertThat(reused.status()).as(reused.raw()).isEqualTo(422);

    String id = first.body().path("id").asString();
    String path = "/v1/webhook-endpoints/" + id + "/rotate-secret";
    Response rotated = post(path, t.key(), null, "Idempotency-Key", "rotate-1");
    Response again = post(path, t.key(), null, "Idempotency-Key", "rotate-1");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body().path("secret").asString())
        .isEqualTo(rotated.body().path("secret").asString());
    assertThat(get("/v1/webhook-endpoints/" + id, t.key()).body().path("version").asInt())
        .as("rotated once")
        .isEqualTo(2);
  }

  @Test
  void listsPageByCursor() {
    Tenant t = newTenant();
    for (int i = 0; i < 3; i++) {
      post("/v1/webhook-endpoints", t.key(), endpointBody("https://a.example.com/" + i, "*"));
    }
    Response first = get("/v1/webhook-endpoints?limit=2", t.key());
    assertThat(ids(first)).hasSize(2);
    assertThat(first.body().path("has_more").asBoolean()).isTrue();
    Response second =
        get(
            "/v1/webhook-endpoints?limit=2&cursor=" + first.body().path("next_cursor").asString(),
            t.key());
    assertThat(ids(second)).hasSize(1).doesNotContainAnyElementsOf(ids(first));
    assertThat(second.body().path("next_cursor").isNull()).isTrue();
  }

  /**
   * A 400 naming {@code url} with reason {@code invalid_url}; {@code label} prefixes its message.
   */
  private static void assertInvalidUrl(Response r, String label) {
    assertThat(r.status()).as(label.isEmpty() ? r.raw() : label + " " + r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("url");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("invalid_url");
  }
}
