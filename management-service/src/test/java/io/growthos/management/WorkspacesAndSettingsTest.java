package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Operator routes and the workspace settings. */
class WorkspacesAndSettingsTest extends ApiTestSupport {

  @Test
  void adminCreatesAWorkspaceWhoseFirstKeysWork() {
    String admin = newAdminKey();
    Response created = post("/v1/workspaces", admin, "{\"name\":\"Acme\",\"plan\":\"growth\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String ws = created.body().path("workspace").path("id").asString();
    assertThat(ws).startsWith("ws_");
    assertThat(created.body().path("workspace").path("plan").asString()).isEqualTo("growth");
    String secret = created.body().path("secret_key").asString();
    assertThat(created.body().path("write_key").asString()).startsWith("gos_wk_");
    Response settings = get("/v1/settings", secret);
    assertThat(settings.status()).isEqualTo(200);
    assertThat(settings.body().path("workspace_id").asString()).isEqualTo(ws);
    assertThat(get("/v1/workspaces/" + ws, admin).body().path("name").asString()).isEqualTo("Acme");
    assertThat(get("/v1/workspaces/" + ws, admin).body().path("allowed_widget_origins").isArray())
        .as("an operator sees the widget origins under their SPEC name")
        .isTrue();
  }

  /**
   * A workspace whose keys are all lost (the create's answer lost on the way, its keys deleted from
   * a password manager) was out of reach for good: full keys are never stored, a replayed create
   * shows them null, and no route gave the workspace another key. The operator now creates one in
   * it, and that key revokes the lost ones.
   */
  @Test
  void anOperatorCreatesAKeyInAWorkspaceWhoseKeysAreLost() {
    String admin = newAdminKey();
    String ws =
        post("/v1/workspaces", admin, "{\"name\":\"Lost\",\"plan\":\"free\"}")
            .body()
            .path("workspace")
            .path("id")
            .asString();
    Response created =
        post(
            "/v1/workspaces/" + ws + "/api-keys",
            admin,
            "{\"type\":\"secret\",\"name\":\"recovery\",\"scopes\":[\"*\"]}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    String key = created.body().path("key").asString();
    assertThat(key).startsWith("gos_sk_");
    assertThat(created.body().path("name").asString()).isEqualTo("recovery");
    assertThat(get("/v1/settings", key).body().path("workspace_id").asString()).isEqualTo(ws);
    String lostId =
        jdbc.queryForObject(
            "select id from api_keys where workspace_id = ? and name = 'first secret key'",
            String.class,
            ws);
    Response revoked = post("/v1/api-keys/" + lostId + "/revoke", key, null);
    assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);

    Response write =
        post(
            "/v1/workspaces/" + ws + "/api-keys",
            admin,
            "{\"type\":\"write\"}",
            "Idempotency-Key",
            "recover-write-1");
    assertThat(write.status()).as(write.raw()).isEqualTo(201);
    assertThat(write.body().path("key").asString()).startsWith("gos_wk_");
    Response replayed =
        post(
            "/v1/workspaces/" + ws + "/api-keys",
            admin,
            "{\"type\":\"write\"}",
            "Idempotency-Key",
            "recover-write-1");
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.body().path("id").asString()).isEqualTo(write.body().path("id").asString());
    assertThat(replayed.body().path("key").isNull()).as("full keys are never stored").isTrue();

    Response missing =
        post(
            "/v1/workspaces/ws_doesnotexist/api-keys",
            admin,
            "{\"type\":\"secret\",\"scopes\":[\"*\"]}");
    assertThat(missing.status()).as(missing.raw()).isEqualTo(404);
    assertThat(missing.firstDetail().path("field").asString()).isEqualTo("id");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from api_keys where workspace_id = 'ws_doesnotexist'",
                Integer.class))
        .isZero();
    Response adminType = post("/v1/workspaces/" + ws + "/api-keys", admin, "{\"type\":\"admin\"}");
    assertThat(adminType.status()).as(adminType.raw()).isEqualTo(400);
    assertThat(adminType.firstDetail().path("field").asString()).isEqualTo("type");
    Response noScopes = post("/v1/workspaces/" + ws + "/api-keys", admin, "{\"type\":\"secret\"}");
    assertThat(noScopes.status()).as(noScopes.raw()).isEqualTo(400);
    assertThat(noScopes.firstDetail().path("field").asString()).isEqualTo("scopes");
  }

  @Test
  void adminChangesPlanWithVersionChecks() {
    String admin = newAdminKey();
    JsonNode created =
        post("/v1/workspaces", admin, "{\"name\":\"A\",\"plan\":\"free\"}")
            .body()
            .path("workspace");
    String ws = created.path("id").asString();
    int version = created.path("version").asInt();
    assertThat(version).as("new resources start at version 1").isEqualTo(1);
    Response changed =
        patch("/v1/workspaces/" + ws, admin, "{\"plan\":\"scale\",\"version\":" + version + "}");
    assertThat(changed.status()).as(changed.raw()).isEqualTo(200);
    assertThat(changed.body().path("plan").asString()).isEqualTo("scale");
    assertThat(
            patch("/v1/workspaces/" + ws, admin, "{\"name\":\"B\",\"version\":" + version + "}")
                .errorCode())
        .isEqualTo("version_conflict");
    assertThat(get("/v1/workspaces/ws_doesnotexist", admin).status()).isEqualTo(404);
  }

  @Test
  void settingsAreValidatedAndNormalised() {
    Tenant t = newTenant();
    Response r =
        patch(
            "/v1/settings",
            t.key(),
            "{\"timezone\":\"Europe/Paris\",\"allowed_widget_origins\":[\"HTTPS://Shop.Example.com\","
                + "\"http://localhost:3000\",\"https://shop.example.com\"],"
                + "\"dedupe_window_seconds\":86400}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("timezone").asString()).isEqualTo("Europe/Paris");
    assertThat(r.body().path("allowed_widget_origins").toString())
        .isEqualTo("[\"https://shop.example.com\",\"http://localhost:3000\"]");
    assertThat(r.body().path("dedupe_window_seconds").asInt()).isEqualTo(86400);
    assertThat(get("/v1/settings", t.key()).body()).isEqualTo(r.body());
    assertThat(patch("/v1/settings", t.key(), "{\"timezone\":\"+02:00\"}").status()).isEqualTo(400);
    assertThat(patch("/v1/settings", t.key(), "{\"dedupe_window_seconds\":99999999}").status())
        .isEqualTo(400);
  }

  @Test
  void widgetOriginsAreAllowedWidgetOriginsAsInTheSpecAndTheFormerNameStillWorks() {
    Tenant t = newTenant();
    Response former =
        patch("/v1/settings", t.key(), "{\"allowed_origins\":[\"https://old.example.com\"]}");
    assertThat(former.status()).as(former.raw()).isEqualTo(200);
    assertThat(former.body().path("allowed_widget_origins").toString())
        .isEqualTo("[\"https://old.example.com\"]");
    assertThat(former.body().path("allowed_origins").toString())
        .isEqualTo("[\"https://old.example.com\"]");

    Response both =
        patch(
            "/v1/settings",
            t.key(),
            "{\"allowed_widget_origins\":[\"https://a.com\"],\"allowed_origins\":[\"https://b.com\"]}");
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.firstDetail().path("field").asString()).isEqualTo("allowed_origins");
    assertThat(both.firstDetail().path("reason").asString()).isEqualTo("conflicting_fields");
    assertThat(get("/v1/settings", t.key()).body().path("allowed_widget_origins").toString())
        .as("a rejected request changes nothing")
        .isEqualTo("[\"https://old.example.com\"]");

    Response cleared = patch("/v1/settings", t.key(), "{\"allowed_widget_origins\":[]}");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().path("allowed_widget_origins").size()).isZero();
    assertThat(cleared.body().path("allowed_origins").size()).isZero();
  }
}
