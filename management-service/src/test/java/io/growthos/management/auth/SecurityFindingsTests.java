package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.Routes;
import io.growthos.management.Routes.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Each finding of issue 8 against the Management API, as the behaviour that fixes it. */
class SecurityFindingsTests extends ApiTestSupport {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  private long workspaces() {
    return jdbc.queryForObject("select count(*) from workspaces", Long.class);
  }

  @Test
  void anEncodedVersionSegmentCreatesNoWorkspaceWithoutAKey() {
    long before = workspaces();

    Response r = post("/%761/workspaces", null, "{\"name\":\"x\",\"plan\":\"scale\"}");

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("non_canonical_path");
    assertThat(workspaces()).isEqualTo(before);
  }

  @Test
  void nonCanonicalPathsNeverListTenants() {
    for (String path :
        List.of(
            "/v%31/workspaces",
            "/v1;x=1/workspaces",
            "/v1/workspaces;x",
            "//v1/workspaces",
            "/v1//workspaces",
            "/v1/./workspaces",
            "/v1/x/../workspaces")) {
      Response r = get(path, null);
      assertThat(r.status()).as(path + " " + r.raw()).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("validation_error");
    }
    Response upper = get("/V1/workspaces", null);
    assertThat(upper.status()).as(upper.raw()).isEqualTo(404);
  }

  @Test
  void aKeyCannotGrantScopesItDoesNotHold() {
    Tenant t = newTenant();
    String keysWriter = newSecretKey(t.workspaceId(), "keys:write");

    Response star =
        post("/v1/api-keys", keysWriter, "{\"type\":\"secret\",\"name\":\"x\",\"scopes\":[\"*\"]}");
    Response other =
        post(
            "/v1/api-keys",
            keysWriter,
            "{\"type\":\"secret\",\"name\":\"x\",\"scopes\":[\"contacts:read\"]}");
    Response subset =
        post(
            "/v1/api-keys",
            keysWriter,
            "{\"type\":\"secret\",\"name\":\"x\",\"scopes\":[\"keys:read\"]}");

    assertThat(star.status()).as(star.raw()).isEqualTo(403);
    assertThat(star.firstDetail().path("reason").asString()).isEqualTo("exceeds_caller_scopes");
    assertThat(other.status()).isEqualTo(403);
    assertThat(subset.status()).as(subset.raw()).isEqualTo(201);
  }

  @Test
  void aKeyCannotRollOrRevokeAStrongerKey() {
    Tenant t = newTenant();
    String keysWriter = newSecretKey(t.workspaceId(), "keys:write");
    String starId = keyIdOf(t.key());

    Response roll = post("/v1/api-keys/" + starId + "/roll", keysWriter, "{}");
    Response revoke = post("/v1/api-keys/" + starId + "/revoke", keysWriter, null);

    assertThat(roll.status()).as(roll.raw()).isEqualTo(403);
    assertThat(roll.raw()).doesNotContain("gos_sk_");
    assertThat(revoke.status()).isEqualTo(403);
    assertThat(get("/v1/contacts", t.key()).status()).isEqualTo(200);
  }

  @Test
  void aRolledKeyCannotBeRolledAgainToExtendItsGracePeriod() {
    Tenant t = newTenant();
    String id = keyIdOf(newSecretKey(t.workspaceId(), "contacts:read"));
    assertThat(
            post("/v1/api-keys/" + id + "/roll", t.key(), "{\"grace_period_seconds\":3600}")
                .status())
        .isEqualTo(200);

    Response again =
        post("/v1/api-keys/" + id + "/roll", t.key(), "{\"grace_period_seconds\":3600}");

    assertThat(again.status()).as(again.raw()).isEqualTo(422);
    assertThat(again.firstDetail().path("reason").asString()).isEqualTo("already_rolled");
  }

  @Test
  void concurrentRevokesAndRollsOfOneKeyAreNeverAServerError() throws Exception {
    Tenant t = newTenant();
    String id = keyIdOf(newSecretKey(t.workspaceId(), "contacts:read"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Response>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String action = i % 2 == 0 ? "/roll" : "/revoke";
        calls.add(
            pool.submit(
                () ->
                    post(
                        "/v1/api-keys/" + id + action,
                        t.key(),
                        action.equals("/roll") ? "{}" : null)));
      }
      for (Future<Response> call : calls) {
        Response r = call.get();
        assertThat(r.status()).as(r.raw()).isIn(200, 422);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from api_keys where workspace_id = ? and rolled_to_id is null"
                    + " and id <> ? and name = 'test' and status = 'active' and scopes = '{contacts:read}'",
                Long.class,
                t.workspaceId(),
                id))
        .isLessThanOrEqualTo(1L);
  }

  @Test
  void optionsOnAnyRouteIsAnsweredNotAServerError() {
    for (Route route : Routes.of(mapping)) {
      Response r = call("OPTIONS", route.path().replaceAll("\\{[^}]+}", "x"), null, null);
      assertThat(r.status()).as(route + " " + r.raw()).isLessThan(500);
    }
  }

  @Test
  void aBodyThatIsNotAnObjectIsNamedAsTheBodyNotAsAJavaClass() {
    Tenant t = newTenant();
    for (String body : List.of("[]", "\"x\"", "1", "true")) {
      Response r = post("/v1/contacts", t.key(), body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.raw()).doesNotContain("io.growthos").doesNotContain("java.");
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("body");
    }
  }

  @Test
  void theNulCharacterInABodyOrAFilterIsABadRequest() {
    Tenant t = newTenant();

    Response body = post("/v1/contacts", t.key(), "{\"user_id\":\"a\\u0000b\"}");
    Response traits =
        post("/v1/contacts", t.key(), "{\"user_id\":\"u\",\"traits\":{\"k\":\"\\u0000\"}}");
    Response filter = get("/v1/contacts?email=a%00b", t.key());

    assertThat(body.status()).as(body.raw()).isEqualTo(400);
    assertThat(traits.status()).as(traits.raw()).isEqualTo(400);
    assertThat(filter.status()).as(filter.raw()).isEqualTo(400);
    // An escaped backslash followed by "u0000" is plain text, not NUL.
    assertThat(post("/v1/contacts", t.key(), "{\"user_id\":\"a\\\\u0000\"}").status())
        .isEqualTo(201);
  }

  @Test
  void malformedPercentEncodingInTheQueryIsABadRequestOnEveryRoute() {
    Tenant t = newTenant();
    for (Route route : Routes.of(mapping)) {
      for (String query : List.of("cursor=%%%", "email=%zz", "%=1", "x=%ff")) {
        int status =
            rawStatus(route.method(), route.path().replace("{id}", "x") + "?" + query, t.key());
        assertThat(status).as(route + "?" + query).isEqualTo(400);
      }
    }
  }

  /**
   * Found by {@code AuthenticatedHostileInputPropertyTests}: {@code ?cursor=%00} was refused naming
   * {@code query}, not the parameter whose value was malformed.
   */
  @Test
  void aMalformedQueryValueIsRefusedNamingItsParameter() {
    Tenant t = newTenant();
    for (String[] c :
        List.of(
            new String[] {"/v1/contacts?limit=5&email=a%00b", "email"},
            new String[] {"/v1/api-keys?cursor=%ED%A0%80", "cursor"},
            new String[] {"/v1/campaigns?limit=2&cursor=%ff%fe", "cursor"},
            new String[] {"/v1/contacts?user%5Fid=%ff", "user_id"},
            new String[] {"/v1/contacts?%ff=1", "query"})) {
      Response r = get(c[0], t.key());
      assertThat(r.status()).as(r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("invalid_query");
      assertThat(r.firstDetail().path("field").asString()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void responsesCarryingAFullKeyAreNeverStored() {
    Tenant t = newTenant();
    String admin = newAdminKey();
    Response created = post("/v1/api-keys", t.key(), "{\"type\":\"write\",\"name\":\"w\"}");
    Response rolled =
        post("/v1/api-keys/" + created.body().path("id").asString() + "/roll", t.key(), "{}");
    Response workspace = post("/v1/workspaces", admin, "{\"name\":\"n\",\"plan\":\"free\"}");
    Response adminKey = post("/v1/admin-keys", admin, "{\"name\":\"next\"}");

    for (Response r : List.of(created, rolled, workspace, adminKey)) {
      assertThat(r.status()).as(r.raw()).isIn(200, 201);
      assertThat(r.header("Cache-Control")).as(r.raw()).contains("no-store");
    }
  }

  @Test
  void anOperatorRotatesAdminKeysThroughTheApi() {
    String old = newAdminKey();
    Response created = post("/v1/admin-keys", old, "{\"name\":\"rotated\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String fresh = created.body().path("key").asString();
    assertThat(fresh).startsWith("gos_ak_");
    String oldId =
        jdbc.queryForObject(
            "select id from admin_keys where key_hash = ?",
            String.class,
            (Object) io.growthos.model.keys.ApiKeys.hash(old));

    Response listed = get("/v1/admin-keys?limit=100", fresh);
    Response self = post("/v1/admin-keys/" + oldId + "/revoke", old, null);
    Response revoked = post("/v1/admin-keys/" + oldId + "/revoke", fresh, null);

    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.raw()).doesNotContain(fresh);
    assertThat(self.status()).as(self.raw()).isEqualTo(422);
    assertThat(self.firstDetail().path("reason").asString()).isEqualTo("revoking_own_key");
    assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
    assertThat(revoked.body().path("status").asString()).isEqualTo("revoked");
    assertThat(get("/v1/workspaces", old).status()).isEqualTo(401);
    assertThat(get("/v1/admin-keys", t().key()).status()).isEqualTo(401);
  }

  private Tenant t() {
    return newTenant();
  }
}
