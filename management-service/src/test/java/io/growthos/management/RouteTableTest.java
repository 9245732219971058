package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.Routes.Route;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The scope and tenancy matrix of SPEC §4, generated from the live route table: adding a route adds
 * its rows here without touching this file.
 *
 * <p>Decisions it pins down: the wrong <em>type</em> of key for a route (none, write, admin on a
 * workspace route, secret on an operator route) is 401 naming the key type the route takes; a
 * secret key without the route's scope is 403 naming that scope; another workspace's id is 404 with
 * the same body as an id that never existed.
 */
class RouteTableTest extends ApiTestSupport {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void everyRouteDeclaresWhoMayCallIt() {
    List<Route> routes = Routes.of(mapping);
    assertThat(routes).hasSizeGreaterThanOrEqualTo(17);
    for (Route route : routes) {
      assertThat(route.scope() != null ^ route.adminOnly())
          .as("%s declares exactly one of @RequiresScope / @RequiresAdminKey", route)
          .isTrue();
      if (route.scope() != null) {
        assertThat(route.scopes())
            .as("%s: writes need :write, reads :read", route)
            .allMatch(scope -> scope.endsWith(route.isWrite() ? ":write" : ":read"));
      }
    }
    assertThat(routes.stream().filter(Route::adminOnly).map(Route::path))
        .allMatch(p -> p.startsWith("/v1/workspaces") || p.startsWith("/v1/admin-keys"));
  }

  @Autowired io.growthos.platform.pipeline.AccessDeclarations declarations;

  @Test
  void everyHandlerOfTheAppHasADeclarationThePipelineAccepts() {
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) ->
                assertThat(declarations.of(handler))
                    .as("%s declares @RequiresScope, @RequiresAdminKey or @PublicRoute", info)
                    .isPresent());
  }

  /**
   * HEAD and OPTIONS on every path of the route table: OPTIONS needs no key and lists the path's
   * methods in {@code Allow}; HEAD is a GET (its key, its scope, its status) without a body, and
   * 405 where the path has no GET.
   */
  @Test
  void headAndOptionsOnEveryPathFollowTheGetAndListTheMethods() {
    Tenant mine = newTenant();
    Map<String, String> ids = ownIds(mine);
    Map<String, List<Route>> byPath = new java.util.TreeMap<>();
    for (Route route : Routes.of(mapping)) {
      byPath.computeIfAbsent(route.path(), p -> new ArrayList<>()).add(route);
    }
    List<String> failures = new ArrayList<>();
    byPath.forEach(
        (pattern, routes) -> {
          Route any = routes.get(0);
          String path =
              any.adminOnly()
                  ? fill(any, Map.of("workspaces", mine.workspaceId()))
                  : fill(any, ids);
          Response options = call("OPTIONS", path, null, null);
          String allow = String.valueOf(options.header("Allow"));
          for (Route route : routes) {
            if (options.status() != 200 || !allow.contains(route.method())) {
              failures.add("OPTIONS " + path + " -> " + options.status() + " Allow " + allow);
            }
          }
          String key = any.adminOnly() ? newAdminKey() : mine.key();
          for (String credential : java.util.Arrays.asList(null, key)) {
            Response head = call("HEAD", path, credential, null);
            Response get = call("GET", path, credential, null);
            if (head.status() != get.status() || (head.raw() != null && !head.raw().isEmpty())) {
              failures.add(
                  "HEAD "
                      + path
                      + (credential == null ? " without a key" : " with a key")
                      + " -> "
                      + head.status()
                      + " (GET "
                      + get.status()
                      + ")");
            }
          }
        });
    assertThat(failures).isEmpty();
  }

  @TestFactory
  Stream<DynamicNode> scopeAndTenancyMatrix() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String adminKey = newAdminKey();
    String writeKey = newWriteKey(mine.workspaceId());
    Map<String, String> foreignIds = foreignIds(theirs);
    Map<String, String> ownIds = ownIds(mine);

    return Routes.of(mapping).stream()
        .map(
            route -> {
              List<DynamicTest> tests = new ArrayList<>();
              String ownPath = fill(route, ownIds);
              tests.add(
                  DynamicTest.dynamicTest(
                      "no key is 401",
                      () -> assertStatus(call(route, ownPath, null), 401, "unauthorized")));
              tests.add(
                  DynamicTest.dynamicTest(
                      "write key is 401",
                      () -> {
                        Response r = call(route, ownPath, writeKey);
                        assertStatus(r, 401, "unauthorized");
                        if (!route.adminOnly()) {
                          assertThat(r.body().path("error").path("message").asString())
                              .contains("Ingest API")
                              .contains("gos_sk_");
                        }
                      }));
              for (String malformed : MALFORMED_KEYS) {
                tests.add(
                    DynamicTest.dynamicTest(
                        "malformed key " + malformed.replace(' ', '_') + " is 401",
                        () -> assertStatus(call(route, ownPath, malformed), 401, "unauthorized")));
              }
              if (route.adminOnly()) {
                tests.add(
                    DynamicTest.dynamicTest(
                        "revoked admin key is 401",
                        () -> {
                          String key = newAdminKey();
                          jdbc.update(
                              "update admin_keys set status = 'revoked' where key_hash = ?",
                              (Object) io.growthos.model.keys.ApiKeys.hash(key));
                          assertStatus(
                              call(
                                  route,
                                  fill(route, Map.of("workspaces", mine.workspaceId())),
                                  key),
                              401,
                              "unauthorized");
                        }));
                tests.add(
                    DynamicTest.dynamicTest(
                        "secret key with * is 401",
                        () -> assertStatus(call(route, ownPath, mine.key()), 401, "unauthorized")));
                tests.add(
                    DynamicTest.dynamicTest(
                        "admin key passes",
                        () ->
                            assertPasses(
                                call(
                                    route,
                                    fill(route, Map.of("workspaces", mine.workspaceId())),
                                    adminKey))));
              } else {
                tests.add(
                    DynamicTest.dynamicTest(
                        "admin key is 401",
                        () -> assertStatus(call(route, ownPath, adminKey), 401, "unauthorized")));
                tests.add(
                    DynamicTest.dynamicTest(
                        "revoked key is 401",
                        () -> {
                          String key = newSecretKey(mine.workspaceId(), "*");
                          jdbc.update(
                              "update api_keys set status = 'revoked' where key_hash = ?",
                              (Object) io.growthos.model.keys.ApiKeys.hash(key));
                          assertStatus(call(route, ownPath, key), 401, "unauthorized");
                        }));
                tests.add(
                    DynamicTest.dynamicTest(
                        "rolled key past its grace period is 401",
                        () -> {
                          String key = newSecretKey(mine.workspaceId(), "*");
                          jdbc.update(
                              "update api_keys set expires_at = now() - interval '1 second'"
                                  + " where key_hash = ?",
                              (Object) io.growthos.model.keys.ApiKeys.hash(key));
                          assertStatus(call(route, ownPath, key), 401, "unauthorized");
                        }));
                tests.add(
                    DynamicTest.dynamicTest(
                        "key of another resource's scopes is 403 naming " + route.scope(),
                        () ->
                            assertForbidden(
                                call(
                                    route,
                                    ownPath,
                                    newSecretKey(
                                        mine.workspaceId(), otherResource(route) + ":write")),
                                route.scope())));
                if (route.scopes().size() > 1) {
                  // Every scope the key lacks is named, so one change to the key is enough
                  // (until 2026-12-07 only the first was).
                  tests.add(
                      DynamicTest.dynamicTest(
                          "a key lacking every scope is 403 naming each",
                          () -> {
                            String unrelated =
                                route.scopes().stream().anyMatch(sc -> sc.startsWith("settings"))
                                    ? "webhooks:read"
                                    : "settings:read";
                            Response r =
                                call(route, ownPath, newSecretKey(mine.workspaceId(), unrelated));
                            assertStatus(r, 403, "forbidden");
                            List<String> named = new ArrayList<>();
                            r.body()
                                .path("error")
                                .path("details")
                                .forEach(d -> named.add(d.path("message").asString()));
                            assertThat(named).containsExactlyElementsOf(route.scopes());
                          }));
                }
                if (route.isWrite()) {
                  tests.add(
                      DynamicTest.dynamicTest(
                          "read scope on a write route is 403",
                          () ->
                              assertForbidden(
                                  call(
                                      route,
                                      ownPath,
                                      newSecretKey(mine.workspaceId(), route.resource() + ":read")),
                                  route.scope())));
                } else {
                  tests.add(
                      DynamicTest.dynamicTest(
                          "write scope implies read",
                          () ->
                              assertPasses(
                                  call(
                                      route,
                                      ownPath,
                                      newSecretKey(
                                          mine.workspaceId(),
                                          route.scopes().stream()
                                              .map(sc -> sc.replace(":read", ":write"))
                                              .toArray(String[]::new))))));
                }
                tests.add(
                    DynamicTest.dynamicTest(
                        "exact scope passes",
                        () ->
                            assertPasses(
                                call(
                                    route,
                                    fill(route, ownIds(mine)),
                                    newSecretKey(
                                        mine.workspaceId(),
                                        route.scopes().toArray(String[]::new))))));
                tests.add(
                    DynamicTest.dynamicTest(
                        "scope * passes",
                        () -> assertPasses(call(route, fill(route, ownIds(mine)), mine.key()))));
                if (route.path().contains("{id}")) {
                  tests.add(
                      DynamicTest.dynamicTest(
                          "another workspace's id is 404 like a missing id",
                          () -> {
                            Response foreign = call(route, fill(route, foreignIds), mine.key());
                            Response missing =
                                call(route, fill(route, missingIds(route)), mine.key());
                            assertStatus(foreign, 404, "not_found");
                            assertStatus(missing, 404, "not_found");
                            assertThat(foreign.body().path("error").path("details"))
                                .isEqualTo(missing.body().path("error").path("details"));
                          }));
                }
              }
              return DynamicContainer.dynamicContainer(route.toString(), tests.stream());
            });
  }

  /**
   * Keys that are no key: a known prefix with too few or foreign characters, no prefix, another
   * scheme's token, and a key with a trailing character (a copy-paste slip).
   */
  private static final List<String> MALFORMED_KEYS =
      List.of(
          "gos_sk_short",
          "gos_sk_" + "!".repeat(32),
          "sk_live_" + "a".repeat(32),
          "gos_ak_" + "a".repeat(33),
          "gos_sk_" + "a".repeat(31) + "-");

  private Response call(Route route, String path, String key) {
    String body = route.method().equals("POST") || route.method().equals("PATCH") ? "{}" : null;
    return call(route.method(), path, key, body);
  }

  private static void assertStatus(Response r, int status, String code) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.errorCode()).isEqualTo(code);
    assertThat(r.header("X-Request-Id")).startsWith("req_");
    if (status == 401) {
      // RFC 9110 §11.6.1: a 401 names its scheme (none did until 2026-12-07).
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"GrowthOS\"");
    }
  }

  private static void assertForbidden(Response r, String scope) {
    assertStatus(r, 403, "forbidden");
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("scope");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("missing_scope");
    assertThat(r.firstDetail().path("message").asString()).isEqualTo(scope);
  }

  /** Past authentication: any outcome but 401/403 (an empty body may well be a 400). */
  private static void assertPasses(Response r) {
    assertThat(r.status()).as(r.raw()).isNotIn(401, 403);
    assertThat(r.status()).as(r.raw()).isLessThan(500);
  }

  private static String otherResource(Route route) {
    return route.resource().equals("contacts") ? "settings" : "contacts";
  }

  private static String fill(Route route, Map<String, String> idsByResource) {
    String path = route.path();
    if (!path.contains("{id}")) {
      return path;
    }
    String resource = path.split("/")[2];
    // Nested ids other than {pid} ({delivery_id}, …) stay unknown: scope and tenancy still hold.
    return path.replace("{id}", idsByResource.getOrDefault(resource, "none"))
        .replace("{pid}", idsByResource.getOrDefault("participants", "none"))
        .replaceAll("\\{[a-z_]+\\}", "none");
  }

  private Map<String, String> ownIds(Tenant t) {
    String contact = insertContact(t.workspaceId(), null, "{}");
    String campaign = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, settings) values (?, ?, 'waitlist',"
            + " 'c', '{\"spots_per_referral\": 1, \"require_verification\": false}'::jsonb)",
        t.workspaceId(),
        campaign);
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)",
        t.workspaceId(),
        campaign);
    return Map.of(
        "campaigns", campaign,
        "contacts", contact,
        "events", insertEvent(t.workspaceId(), contact, null, "Signed Up"),
        // keys:read: within the scopes of the keys:write key that rolls or revokes it.
        "api-keys", keyIdOf(newSecretKey(t.workspaceId(), "keys:read")),
        "segments", insertSegment(t.workspaceId()));
  }

  private String insertSegment(String workspaceId) {
    String id = Ids.next(IdPrefix.SEGMENT);
    jdbc.update(
        "insert into segments (workspace_id, id, name, filter) values (?, ?, 's', '{\"all\": []}')",
        workspaceId,
        id);
    return id;
  }

  private Map<String, String> foreignIds(Tenant t) {
    return ownIds(t);
  }

  private static Map<String, String> missingIds(Route route) {
    return Map.of(
        "campaigns", Ids.next(IdPrefix.CAMPAIGN),
        "participants", Ids.next(IdPrefix.PARTICIPANT),
        "contacts", io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.CONTACT),
        "events", io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.EVENT),
        "api-keys", io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.API_KEY),
        "segments", io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.SEGMENT));
  }
}
