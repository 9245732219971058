package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.AtOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency and unique clashes (SPEC §4): 409 and 412, never 500. */
class ConflictsTest extends ApiTestSupport {

  @Test
  void patchWithStaleVersionIs409AndChangesNothing() {
    Tenant t = newTenant();
    String id = create(t, "{\"traits\":{\"a\":1}}");
    assertThat(
            patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"a\":2},\"version\":1}").status())
        .isEqualTo(200);
    Response stale = patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"a\":3},\"version\":1}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("version_conflict");
    assertThat(stale.firstDetail().path("field").asString()).isEqualTo("version");
    assertThat(get("/v1/contacts/" + id, t.key()).body().path("traits").path("a").asInt())
        .isEqualTo(2);
  }

  @Test
  void ifMatchIsHonouredWith412() {
    Tenant t = newTenant();
    String id = create(t, "{}");
    Response wrong = patch("/v1/contacts/" + id, t.key(), "{\"traits\":{}}", "If-Match", "\"7\"");
    assertThat(wrong.status()).isEqualTo(412);
    assertThat(wrong.errorCode()).isEqualTo("precondition_failed");
    Response right =
        patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"x\":true}}", "If-Match", "\"1\"");
    assertThat(right.status()).isEqualTo(200);
    assertThat(right.body().path("version").asInt()).isEqualTo(2);
    Response settings = patch("/v1/settings", t.key(), "{\"name\":\"n\"}", "If-Match", "\"99\"");
    assertThat(settings.status()).isEqualTo(412);
  }

  /**
   * A precondition the route does not evaluate is refused, never ignored: a DELETE with a stale
   * {@code If-Match} deleted the contact (204) though the client asked for "only if still at
   * version 1". Only the PATCH routes evaluate If-Match; every other route answers 400 naming the
   * header, before anything runs.
   */
  @Test
  void aPreconditionARouteDoesNotEvaluateIsRefusedNotIgnored() {
    Tenant t = newTenant();
    String id = create(t, "{\"traits\":{\"a\":1}}");
    assertThat(patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"a\":2}}").status())
        .isEqualTo(200);

    Response delete = delete("/v1/contacts/" + id, t.key(), "If-Match", "\"1\"");
    assertThat(delete.status()).as(delete.raw()).isEqualTo(400);
    assertThat(delete.firstDetail().path("field").asString()).isEqualTo("If-Match");
    assertThat(delete.firstDetail().path("reason").asString()).isEqualTo("not_supported");
    assertThat(get("/v1/contacts/" + id, t.key()).status()).isEqualTo(200);

    Response unmodified =
        delete(
            "/v1/contacts/" + id, t.key(), "If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
    assertThat(unmodified.status()).as(unmodified.raw()).isEqualTo(400);
    assertThat(unmodified.firstDetail().path("field").asString()).isEqualTo("If-Unmodified-Since");
    assertThat(get("/v1/contacts/" + id, t.key()).status()).isEqualTo(200);

    Response create = post("/v1/contacts", t.key(), "{\"user_id\":\"pre\"}", "If-Match", "\"1\"");
    assertThat(create.status()).as(create.raw()).isEqualTo(400);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ? and user_id = 'pre'",
                Long.class,
                t.workspaceId()))
        .isZero();

    // PATCH still evaluates it; and without a precondition DELETE deletes.
    assertThat(
            patch("/v1/contacts/" + id, t.key(), "{\"traits\":{}}", "If-Match", "\"1\"").status())
        .isEqualTo(412);
    assertThat(delete("/v1/contacts/" + id, t.key()).status()).isEqualTo(204);
  }

  @Test
  void patchMergesTraitsAndNullRemovesOne() {
    Tenant t = newTenant();
    String id = create(t, "{\"email\":\"m@example.com\",\"traits\":{\"a\":1,\"b\":{\"c\":2}}}");
    Response r = patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"a\":null,\"d\":\"new\"}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("traits").has("a")).isFalse();
    assertThat(r.body().path("traits").path("b").path("c").asInt()).isEqualTo(2);
    assertThat(r.body().path("traits").path("d").asString()).isEqualTo("new");
    assertThat(r.body().path("email").asString()).isEqualTo("m@example.com");
    Response cleared = patch("/v1/contacts/" + id, t.key(), "{\"email\":null}");
    assertThat(cleared.body().path("email").isNull()).isTrue();
  }

  @Test
  void duplicateEmailUserIdOrAnonymousIdIs409() {
    Tenant t = newTenant();
    create(t, "{\"email\":\"Dup@Example.com\",\"user_id\":\"u1\",\"anonymous_ids\":[\"a1\"]}");
    assertDuplicate(post("/v1/contacts", t.key(), "{\"email\":\"dup@example.com\"}"), "email");
    assertDuplicate(post("/v1/contacts", t.key(), "{\"user_id\":\"u1\"}"), "user_id");
    assertDuplicate(
        post("/v1/contacts", t.key(), "{\"anonymous_ids\":[\"a2\",\"a1\"]}"), "anonymous_ids");
    String other = create(t, "{\"email\":\"other@example.com\"}");
    assertDuplicate(
        patch("/v1/contacts/" + other, t.key(), "{\"email\":\"DUP@example.com\"}"), "email");
  }

  @Test
  void sameEmailInAnotherWorkspaceIsFine() {
    Tenant a = newTenant();
    Tenant b = newTenant();
    create(a, "{\"email\":\"shared@example.com\",\"user_id\":\"u\"}");
    assertThat(
            post("/v1/contacts", b.key(), "{\"email\":\"shared@example.com\",\"user_id\":\"u\"}")
                .status())
        .isEqualTo(201);
  }

  @Test
  void concurrentCreatesOfOneEmailMakeOneContactAndNo500() throws Exception {
    Tenant t = newTenant();
    List<Response> responses =
        concurrently(10, () -> post("/v1/contacts", t.key(), "{\"email\":\"same@example.com\"}"));
    assertThat(responses).extracting(Response::status).containsOnly(201, 409);
    assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
    responses.stream()
        .filter(r -> r.status() == 409)
        .forEach(r -> assertThat(r.errorCode()).isEqualTo("duplicate_resource"));
  }

  @Test
  void concurrentPatchesOfOneVersionLetOneWin() throws Exception {
    Tenant t = newTenant();
    String id = create(t, "{}");
    int[] n = {0};
    List<Response> responses =
        concurrently(
            6,
            () -> {
              int mine;
              synchronized (n) {
                mine = n[0]++;
              }
              return patch(
                  "/v1/contacts/" + id,
                  t.key(),
                  "{\"traits\":{\"writer\":" + mine + "},\"version\":1}");
            });
    assertThat(responses).extracting(Response::status).containsOnly(200, 409);
    assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
    assertThat(get("/v1/contacts/" + id, t.key()).body().path("version").asInt()).isEqualTo(2);
  }

  @Test
  void concurrentPatchesWithoutAVersionAreAllApplied() throws Exception {
    Tenant t = newTenant();
    String contact = create(t, "{}");
    String campaign =
        post("/v1/campaigns", t.key(), "{\"type\":\"waitlist\",\"name\":\"w\"}")
            .body()
            .path("id")
            .asString();
    int[] n = {0};
    List<Response> responses =
        concurrently(
            6,
            () -> {
              int mine;
              synchronized (n) {
                mine = n[0]++;
              }
              return switch (mine % 3) {
                case 0 ->
                    patch(
                        "/v1/contacts/" + contact,
                        t.key(),
                        "{\"traits\":{\"m" + mine + "\":" + mine + "}}");
                case 1 ->
                    patch("/v1/campaigns/" + campaign, t.key(), "{\"name\":\"w" + mine + "\"}");
                default -> patch("/v1/settings", t.key(), "{\"name\":\"s" + mine + "\"}");
              };
            });
    assertThat(responses).extracting(Response::status).containsOnly(200);
    Response after = get("/v1/contacts/" + contact, t.key());
    assertThat(after.body().path("traits").propertyNames()).containsExactlyInAnyOrder("m0", "m3");
    assertThat(after.body().path("version").asInt()).isEqualTo(3);
    assertThat(get("/v1/campaigns/" + campaign, t.key()).body().path("version").asInt())
        .isEqualTo(3);
    assertThat(get("/v1/settings", t.key()).body().path("version").asInt()).isEqualTo(3);
  }

  /**
   * The email trait sets the field unless another contact holds the address, and the call still
   * succeeds (docs/contacts.md). Concurrent creates and PATCHes of different contacts offering one
   * address used to both find it free, and all but one failed on the unique index with 409
   * duplicate_resource; now they are all applied and one contact has the address as its email.
   */
  @Test
  void concurrentEmailTraitsOfOneAddressAreAllAppliedAndOneContactGetsTheField() throws Exception {
    Tenant t = newTenant();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(create(t, "{}"));
    }
    int[] n = {0};
    List<Response> responses =
        concurrently(
            12,
            () -> {
              int mine;
              synchronized (n) {
                mine = n[0]++;
              }
              return mine < 6
                  ? patch(
                      "/v1/contacts/" + ids.get(mine),
                      t.key(),
                      "{\"traits\":{\"email\":\"Shared@example.com\"}}")
                  : post(
                      "/v1/contacts", t.key(), "{\"traits\":{\"email\":\"shared@example.com\"}}");
            });
    for (Response r : responses) {
      assertThat(r.status()).as(r.raw()).isIn(200, 201);
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ?"
                    + " and lower(email) = 'shared@example.com'",
                Long.class,
                t.workspaceId()))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ?"
                    + " and lower(traits->>'email') = 'shared@example.com'",
                Long.class,
                t.workspaceId()))
        .isEqualTo(12);
  }

  @Test
  void anEmailWithSurroundingSpacesIsStoredTrimmedAsIdentifyStoresIt() {
    Tenant t = newTenant();
    Response created = post("/v1/contacts", t.key(), "{\"email\":\"  spaced@example.com \"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("email").asString()).isEqualTo("spaced@example.com");
    Response patched =
        patch(
            "/v1/contacts/" + created.body().path("id").asString(),
            t.key(),
            "{\"email\":\"\\tother@example.com \"}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("email").asString()).isEqualTo("other@example.com");
  }

  @Test
  void aBlankNameIsRefusedWhereverANameIsGivenAndNothingIsCreatedOrRenamed() {
    Tenant t = newTenant();
    String admin = newAdminKey();
    String segment =
        post("/v1/segments", t.key(), "{\"name\":\"s\",\"filter\":{\"all\":[]}}")
            .body()
            .path("id")
            .asString();
    String campaign =
        post("/v1/campaigns", t.key(), "{\"type\":\"waitlist\",\"name\":\"w\"}")
            .body()
            .path("id")
            .asString();
    List<Response> refused =
        List.of(
            patch("/v1/settings", t.key(), "{\"name\":\"  \"}"),
            patch("/v1/workspaces/" + t.workspaceId(), admin, "{\"name\":\"\\t \"}"),
            patch("/v1/workspaces/" + t.workspaceId(), admin, "{\"name\":\"\"}"),
            patch("/v1/segments/" + segment, t.key(), "{\"name\":\" \"}"),
            patch("/v1/campaigns/" + campaign, t.key(), "{\"name\":\"\\n\"}"),
            post("/v1/api-keys", t.key(), "{\"type\":\"write\",\"name\":\"\"}"),
            post(
                "/v1/workspaces/" + t.workspaceId() + "/api-keys",
                admin,
                "{\"type\":\"secret\",\"name\":\" \",\"scopes\":[\"*\"]}"),
            post("/v1/admin-keys", admin, "{\"name\":\"\\t\"}"));
    for (Response r : refused) {
      assertThat(r.status()).as(r.raw()).isEqualTo(400);
      assertThat(r.body().path("error").path("details")).as(r.raw()).hasSize(1);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("name");
      assertThat(r.firstDetail().path("message").asString())
          .isEqualTo("Field 'name' must not be blank.");
    }
    assertThat(get("/v1/segments/" + segment, t.key()).body().path("name").asString())
        .isEqualTo("s");
    assertThat(get("/v1/campaigns/" + campaign, t.key()).body().path("name").asString())
        .isEqualTo("w");
    assertThat(get("/v1/api-keys", t.key()).body().path("data")).hasSize(1);
    // Absent stays absent: a key without a name is still fine.
    assertThat(post("/v1/api-keys", t.key(), "{\"type\":\"write\"}").status()).isEqualTo(201);
  }

  @Test
  void deletingAContactDeletesItsEventsOnly() {
    Tenant t = newTenant();
    String doomed = insertContact(t.workspaceId(), "gone", "{}");
    String kept = insertContact(t.workspaceId(), "kept", "{}");
    String doomedEvent = insertEvent(t.workspaceId(), doomed, "gone", "A");
    String keptEvent = insertEvent(t.workspaceId(), kept, "kept", "B");
    assertThat(delete("/v1/contacts/" + doomed, t.key()).status()).isEqualTo(204);
    assertThat(get("/v1/contacts/" + doomed, t.key()).status()).isEqualTo(404);
    assertThat(get("/v1/events/" + doomedEvent, t.key()).status()).isEqualTo(404);
    assertThat(get("/v1/events/" + keptEvent, t.key()).status()).isEqualTo(200);
    assertThat(delete("/v1/contacts/" + doomed, t.key()).status()).isEqualTo(404);
  }

  private String create(Tenant t, String body) {
    Response r = post("/v1/contacts", t.key(), body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private static void assertDuplicate(Response r, String field) {
    assertThat(r.status()).as(r.raw()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("duplicate_resource");
    assertThat(r.firstDetail().path("field").asString()).isEqualTo(field);
  }

  private static List<Response> concurrently(int n, Supplier<Response> call) throws Exception {
    return AtOnce.times(n, i -> call::get);
  }
}
