package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.AtOnce;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Well-formed writes of one contact racing each other on real threads against the real database:
 * the Management API's PATCH and DELETE, and the Ingest API's identify, whose transaction is played
 * here statement for statement as its group commit runs it ({@code ContactLinker}: the merging
 * UPDATE, the link of a new anonymous id, {@code FOR KEY SHARE} on the contact, the first/last-seen
 * UPDATE), holding the row between statements as a group of many events does.
 */
class ContactRaceTests extends ApiTestSupport {

  private static final int ROUNDS = 8;
  private static final int EACH = 3;

  @Autowired DataSource dataSource;

  /**
   * SPEC §4 and docs/contacts.md ("Versions"): a PATCH without {@code version} or {@code If-Match}
   * is applied whatever else wrote the contact meanwhile; only a stale version is 409. Every PATCH
   * and every identify of each round is applied: no 409, no 5xx, no lost trait, and every change
   * bumped the version once.
   */
  @Test
  void patchesWithoutAVersionRacingIdentifiesOfTheSameContactAreAllApplied() throws Exception {
    Tenant t = newTenant();
    String id = insertContact(t.workspaceId(), "u-race", "{}");
    int versionBefore = version(t, id);
    List<String> expectedTraits = new ArrayList<>();
    int changes = 0;
    for (int round = 0; round < ROUNDS; round++) {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < EACH; i++) {
        String patchTrait = "p" + round + "_" + i;
        String identifyTrait = "i" + round + "_" + i;
        String anonymousId = "anon-" + round + "-" + i;
        expectedTraits.add(patchTrait);
        expectedTraits.add(identifyTrait);
        calls.add(
            () -> {
              Response r =
                  patch(
                      "/v1/contacts/" + id, t.key(), "{\"traits\":{\"" + patchTrait + "\":true}}");
              assertThat(r.status()).as(r.raw()).isEqualTo(200);
              return 1;
            });
        calls.add(() -> identify(t.workspaceId(), id, identifyTrait, anonymousId));
      }
      for (int bumps : concurrently(calls)) {
        changes += bumps;
      }
    }
    Response after = get("/v1/contacts/" + id, t.key());
    assertThat(after.body().path("traits").propertyNames())
        .containsExactlyInAnyOrderElementsOf(expectedTraits);
    assertThat(after.body().path("version").asInt()).isEqualTo(versionBefore + changes);
  }

  /**
   * DELETE twice and PATCH at the same moment: one DELETE deletes (204), the others find nothing
   * (404); each PATCH ran before the deletion (200) or after it (404); never a 409 or a 5xx. The
   * contact stays deleted and its webhook events are the one {@code contact.deleted}: the updates
   * of PATCHes that ran first carry the person and go with the deletion (docs/contacts.md).
   */
  @Test
  void deletesAndPatchesOfOneContactAtOnceDeleteItOnceAndAnswerOnlyDocumentedStatuses()
      throws Exception {
    Tenant t = newTenant();
    for (int round = 0; round < ROUNDS; round++) {
      String id =
          post("/v1/contacts", t.key(), "{\"user_id\":\"u-del-" + round + "\"}")
              .body()
              .path("id")
              .asString();
      List<Callable<Response>> calls = new ArrayList<>();
      for (int i = 0; i < EACH; i++) {
        int mine = i;
        calls.add(() -> delete("/v1/contacts/" + id, t.key()));
        calls.add(() -> patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"m" + mine + "\":1}}"));
      }
      List<Response> responses = concurrently(calls);
      List<Integer> deletes = new ArrayList<>();
      for (int i = 0; i < responses.size(); i++) {
        Response r = responses.get(i);
        if (i % 2 == 0) {
          assertThat(r.status()).as(r.raw()).isIn(204, 404);
          deletes.add(r.status());
        } else {
          assertThat(r.status()).as(r.raw()).isIn(200, 404);
        }
      }
      assertThat(deletes).containsOnlyOnce(204);
      assertThat(get("/v1/contacts/" + id, t.key()).status()).isEqualTo(404);
      List<Map<String, Object>> outbox =
          jdbc.queryForList(
              "select type from webhook_outbox where workspace_id = ? and payload->>'id' = ?",
              t.workspaceId(),
              id);
      assertThat(outbox).extracting(row -> row.get("type")).containsExactly("contact.deleted");
    }
  }

  /**
   * One identify as the Ingest API's group commit runs it, in its own transaction, holding the row
   * a little between statements. Returns how many times it bumped the version (2: traits, seen).
   */
  private int identify(String workspaceId, String contactId, String trait, String anonymousId)
      throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int bumps =
            update(
                c,
                """
                update contacts c
                   set traits = c.traits || p.added, version = c.version + 1, updated_at = now()
                  from (select ?::jsonb as added) p
                 where c.workspace_id = ? and c.id = ? and c.traits || p.added <> c.traits
                """,
                "{\"" + trait + "\":true}",
                workspaceId,
                contactId);
        Thread.sleep(15);
        update(
            c,
            "insert into contact_identities (workspace_id, kind, value, contact_id)"
                + " values (?, 'anonymous_id', ?, ?) on conflict do nothing",
            workspaceId,
            anonymousId,
            contactId);
        try (PreparedStatement s =
            c.prepareStatement(
                "select id from contacts where workspace_id = ? and id = any(?) order by id"
                    + " for key share")) {
          s.setString(1, workspaceId);
          s.setArray(2, c.createArrayOf("text", new String[] {contactId}));
          s.executeQuery().close();
        }
        Thread.sleep(15);
        bumps +=
            update(
                c,
                """
                update contacts c
                   set last_seen_at = greatest(coalesce(c.last_seen_at, now()), now()),
                       version = c.version + 1, updated_at = now()
                 where c.workspace_id = ? and c.id = ?
                   and (c.last_seen_at is null or c.last_seen_at < now())
                """,
                workspaceId,
                contactId);
        c.commit();
        return bumps;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    }
  }

  /**
   * docs/contacts.md ("Identity"): concurrent creates offering one id, as the same kind or as
   * different kinds (one's {@code user_id} the other's anonymous id, or crossed: each one's user id
   * the other's anonymous id), end with one contact known by it; every other create is a clean 409
   * {@code duplicate_resource} naming the field, never a 500 or a second contact the id points at.
   */
  @Test
  void concurrentCreatesOfferingOneIdEndWithOneContactAndCleanConflicts() throws Exception {
    List<List<String>> shapes =
        List.of(
            List.of("{\"user_id\":\"X\"}", "{\"user_id\":\"X\"}", "{\"user_id\":\"X\"}"),
            List.of("{\"user_id\":\"X\"}", "{\"anonymous_ids\":[\"X\"]}"),
            List.of(
                "{\"anonymous_ids\":[\"X\"]}", "{\"user_id\":\"u2\",\"anonymous_ids\":[\"X\"]}"),
            List.of(
                "{\"user_id\":\"X\",\"anonymous_ids\":[\"Y\"]}",
                "{\"user_id\":\"Y\",\"anonymous_ids\":[\"X\"]}"));
    for (int round = 0; round < ROUNDS; round++) {
      for (List<String> bodies : shapes) {
        Tenant t = newTenant();
        List<Callable<Response>> calls = new ArrayList<>();
        for (String body : bodies) {
          calls.add(() -> post("/v1/contacts", t.key(), body));
        }
        int created = 0;
        for (Response r : concurrently(calls)) {
          if (r.status() == 201) {
            created++;
          } else {
            assertThat(r.status()).as(bodies + " " + r.raw()).isEqualTo(409);
            assertThat(r.body().path("error").path("code").asString())
                .as(r.raw())
                .isEqualTo("duplicate_resource");
            assertThat(r.firstDetail().path("field").asString())
                .as(r.raw())
                .isIn("user_id", "anonymous_ids");
          }
        }
        assertThat(created).as(bodies.toString()).isEqualTo(1);
        assertThat(
                jdbc.queryForObject(
                    "select count(*) from contacts where workspace_id = ?",
                    Long.class,
                    t.workspaceId()))
            .isEqualTo(1);
        assertThat(
                jdbc.queryForObject(
                    "select count(distinct contact_id) from contact_identities"
                        + " where workspace_id = ? and value = 'X'",
                    Long.class,
                    t.workspaceId()))
            .isEqualTo(1);
      }
    }
  }

  private int version(Tenant t, String id) {
    return get("/v1/contacts/" + id, t.key()).body().path("version").asInt();
  }

  private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
    return AtOnce.all(calls);
  }
}
