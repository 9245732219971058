package io.growthos.management.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.query.ReadQueries;
import io.growthos.model.errors.ApiException;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class SegmentsTests extends ApiTestSupport {

  @Autowired ReadQueries reads;

  static String q(String json) {
    return json.replace('\'', '"');
  }

  String create(Tenant t, String filter) {
    Response r = post("/v1/segments", t.key(), q("{'name':'s','filter':" + filter + "}"));
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  @Test
  void crudRoundTrip() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/segments",
            t.key(),
            q(
                "{'name':'Pros','description':'paying','filter':{'field':'traits.plan','op':'eq',"
                    + "'value':'pro'}}"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    assertThat(id).startsWith("seg_");
    assertThat(created.body().path("object").asString()).isEqualTo("segment");
    assertThat(created.body().path("version").asInt()).isEqualTo(1);
    assertThat(created.body().path("filter").path("value").asString()).isEqualTo("pro");
    assertThat(created.body().path("created_at").asString()).matches(".*\\.\\d{3}Z");

    assertThat(get("/v1/segments/" + id, t.key()).body().path("name").asString()).isEqualTo("Pros");
    Response patched = patch("/v1/segments/" + id, t.key(), q("{'name':'Payers','version':1}"));
    assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
    assertThat(patched.body().path("version").asInt()).isEqualTo(2);
    assertThat(patched.body().path("description").asString()).isEqualTo("paying");
    assertThat(patch("/v1/segments/" + id, t.key(), q("{'name':'x','version':1}")).status())
        .isEqualTo(409);
    Response unchanged = patch("/v1/segments/" + id, t.key(), q("{'name':'Payers'}"));
    assertThat(unchanged.status()).as(unchanged.raw()).isEqualTo(200);
    assertThat(unchanged.body().path("version").asInt()).as("nothing changed").isEqualTo(2);
    assertThat(unchanged.body().path("updated_at")).isEqualTo(patched.body().path("updated_at"));
    // description null clears it (it used to be read as absent, and nothing changed)
    Response cleared =
        patch("/v1/segments/" + id, t.key(), q("{'name':'Payers','description':null}"));
    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(cleared.body().path("description").isNull()).isTrue();
    assertThat(cleared.body().path("version").asInt()).isEqualTo(3);
    assertThat(ids(get("/v1/segments", t.key()))).containsExactly(id);
    assertThat(delete("/v1/segments/" + id, t.key()).status()).isEqualTo(204);
    assertThat(get("/v1/segments/" + id, t.key()).status()).isEqualTo(404);
  }

  /**
   * An address is stored in NFC without the spaces around it (ContactEmail.normalize, the one rule
   * of both services); a filter's email is compared by the same rule, so an address typed
   * decomposed (as macOS keyboards may send it) or pasted with a no-break space finds its contact,
   * in eq, in and the text matches.
   */
  @Test
  void anEmailFilterFindsTheContactWhateverUnicodeFormOrSurroundingSpaceTheValueIsTypedIn() {
    Tenant t = newTenant();
    Response created = post("/v1/contacts", t.key(), "{\"email\":\"zo\u00eb@example.com\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    for (String filter :
        List.of(
            "{\"field\":\"email\",\"op\":\"eq\",\"value\":\"zoe\u0308@example.com\"}",
            "{\"field\":\"email\",\"op\":\"eq\",\"value\":\"\u00a0ZOE\u0308@example.com \"}",
            "{\"field\":\"email\",\"op\":\"in\",\"value\":[\"x@y.z\",\"zoe\u0308@example.com\"]}",
            "{\"field\":\"email\",\"op\":\"starts_with\",\"value\":\"zoe\u0308@\"}")) {
      Response preview = post("/v1/segments/preview", t.key(), "{\"filter\":" + filter + "}");
      assertThat(preview.status()).as(preview.raw()).isEqualTo(200);
      assertThat(preview.body().path("sample").findValuesAsString("id"))
          .as("%s: %s", filter, preview.raw())
          .containsExactly(id);
    }
  }

  @Test
  void invalidFilterIs400AtItsPath() {
    Tenant t = newTenant();
    Response r =
        post(
            "/v1/segments",
            t.key(),
            q(
                "{'name':'s','filter':{'all':[{'field':'traits.a','op':'eq','value':1},"
                    + "{'field':'created_at','op':'gt','value':5},{'field':'x','op':'like'}]}}"));
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_error");
    List<String> fields = new ArrayList<>();
    r.body().path("error").path("details").forEach(d -> fields.add(d.path("field").asString()));
    assertThat(fields)
        .containsExactly("filter.all[1].value", "filter.all[2].field", "filter.all[2].op");
    Response unknownKey = post("/v1/segments", t.key(), q("{'name':'s','filter':{},'x':1}"));
    assertThat(unknownKey.status()).isEqualTo(400);
  }

  @Test
  void selfReferenceDirectOrThroughOthersIs422() {
    Tenant t = newTenant();
    String a = create(t, "{'field':'traits.plan','op':'exists'}");
    String b = create(t, "{'segment':'" + a + "'}");
    Response direct = patch("/v1/segments/" + a, t.key(), q("{'filter':{'segment':'" + a + "'}}"));
    assertThat(direct.status()).as(direct.raw()).isEqualTo(422);
    Response through =
        patch("/v1/segments/" + a, t.key(), q("{'filter':{'not':{'segment':'" + b + "'}}}"));
    assertThat(through.status()).as(through.raw()).isEqualTo(422);
    assertThat(through.body().path("error").path("message").asString()).contains(a, b);
    Response unknown =
        post("/v1/segments", t.key(), q("{'name':'s','filter':{'segment':'seg_nope'}}"));
    assertThat(unknown.status()).isEqualTo(422);
    Response inUse = delete("/v1/segments/" + a, t.key());
    assertThat(inUse.status()).as(inUse.raw()).isEqualTo(422);
    assertThat(inUse.raw()).contains(b);
  }

  @Test
  void anInvertedOrEmptyWindowIsRefusedAndOneStoredBeforeTheRuleIsNamedWhenCounted() {
    Tenant t = newTenant();
    Response inverted =
        post(
            "/v1/segments",
            t.key(),
            q("{'name':'s','filter':{'performed':'x','within':{'from':'-1d','to':'-2d'}}}"));
    assertThat(inverted.status()).as(inverted.raw()).isEqualTo(400);
    assertThat(inverted.raw()).contains("filter.within.to", "invalid_range");
    Response empty =
        post("/v1/segments", t.key(), q("{'name':'s','filter':{'performed':'x','within':'0d'}}"));
    assertThat(empty.status()).as(empty.raw()).isEqualTo(400);
    assertThat(empty.raw()).contains("filter.within", "invalid_value");

    // Stored before the rule (as SQL can still write it): read as stored, named when counted.
    String id = create(t, "{'performed':'x','within':'1d'}");
    jdbc.update(
        "update segments set filter = ?::jsonb where workspace_id = ? and id = ?",
        q("{'performed':'x','within':{'from':'-1d','to':'-2d'}}"),
        t.workspaceId(),
        id);
    assertThat(get("/v1/segments/" + id, t.key()).status()).isEqualTo(200);
    Response counted = get("/v1/segments/" + id + "/count", t.key());
    assertThat(counted.status()).as(counted.raw()).isEqualTo(400);
    assertThat(counted.raw()).contains("filter.within.to", "invalid_range");
    Response fixed =
        patch(
            "/v1/segments/" + id,
            t.key(),
            q("{'filter':{'performed':'x','within':{'from':'-2d','to':'-1d'}}}"));
    assertThat(fixed.status()).as(fixed.raw()).isEqualTo(200);
    assertThat(get("/v1/segments/" + id + "/count", t.key()).status()).isEqualTo(200);
  }

  String survey(Tenant t, String audience) {
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            q(
                "{'type':'survey','name':'s','audience':"
                    + audience
                    + ",'settings':{'questions':[{'id':'q','type':'rating','text':'t'}]}}"));
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  @Test
  void aSegmentACampaignsAudienceNamesCannotBeDeleted() {
    Tenant t = newTenant();
    String named = create(t, "{'field':'traits.plan','op':'exists'}");
    String inside = create(t, "{'field':'traits.plan','op':'exists'}");
    String byId = survey(t, "'" + named + "'");
    String byFilter =
        survey(
            t,
            "{'any':[{'field':'user_id','op':'eq','value':'u1'},{'not':{'segment':'"
                + inside
                + "'}}]}");

    Response refused = delete("/v1/segments/" + named, t.key());
    assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
    assertThat(refused.body().path("error").path("message").asString()).contains(byId);
    assertThat(refused.body().path("error").path("details").get(0).path("field").asString())
        .isEqualTo("id");
    assertThat(refused.body().path("error").path("details").get(0).path("reason").asString())
        .isEqualTo("segment_in_use");
    assertThat(refused.body().path("error").path("details").get(0).path("message").asString())
        .contains(byId);
    Response nested = delete("/v1/segments/" + inside, t.key());
    assertThat(nested.status()).as(nested.raw()).isEqualTo(422);
    assertThat(nested.raw()).contains(byFilter).doesNotContain(byId);
    assertThat(get("/v1/segments/" + named, t.key()).status()).isEqualTo(200);

    // Once no audience names them, they go.
    Response cleared = patch("/v1/campaigns/" + byId, t.key(), q("{'audience':null}"));
    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(delete("/v1/segments/" + named, t.key()).status()).isEqualTo(204);
    assertThat(delete("/v1/campaigns/" + byFilter, t.key()).status()).isEqualTo(204);
    assertThat(delete("/v1/segments/" + inside, t.key()).status()).isEqualTo(204);
  }

  @Test
  void aCampaignSavedWhileItsAudiencesSegmentIsDeletedNeverNamesADeletedSegment() throws Exception {
    Tenant t = newTenant();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String seg = create(t, "{'field':'traits.plan','op':'exists'}");
        CyclicBarrier race = new CyclicBarrier(2);
        Future<Response> saved =
            pool.submit(
                () -> {
                  race.await();
                  return post(
                      "/v1/campaigns",
                      t.key(),
                      q(
                          "{'type':'survey','name':'s','audience':{'segment':'"
                              + seg
                              + "'},'settings':{'questions':[{'id':'q','type':'rating',"
                              + "'text':'t'}]}}"));
                });
        Future<Response> deleted =
            pool.submit(
                () -> {
                  race.await();
                  return delete("/v1/segments/" + seg, t.key());
                });
        Response campaign = saved.get();
        int gone = deleted.get().status();
        // Either the campaign came first (the delete is then refused) or the delete did (the
        // campaign then names an unknown segment); never both.
        if (campaign.status() == 201) {
          assertThat(gone).as("round " + round).isEqualTo(422);
        } else {
          assertThat(campaign.status()).as("round " + round + " " + campaign.raw()).isEqualTo(422);
          assertThat(campaign.raw()).contains("unknown_segment");
          assertThat(gone).as("round " + round).isEqualTo(204);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentPatchesCannotCloseACycleAndACreateCannotReferToASegmentBeingDeleted()
      throws Exception {
    Tenant t = newTenant();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String a = create(t, "{'field':'traits.plan','op':'exists'}");
        String b = create(t, "{'field':'traits.plan','op':'exists'}");
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Response> ab =
            pool.submit(
                () -> {
                  start.await();
                  return patch(
                      "/v1/segments/" + a, t.key(), q("{'filter':{'segment':'" + b + "'}}"));
                });
        Future<Response> ba =
            pool.submit(
                () -> {
                  start.await();
                  return patch(
                      "/v1/segments/" + b, t.key(), q("{'filter':{'segment':'" + a + "'}}"));
                });
        List<Integer> statuses = List.of(ab.get().status(), ba.get().status());
        assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 422);
        // Whatever was stored still evaluates: no cycle reached the database.
        assertThat(get("/v1/segments/" + a + "/count", t.key()).status()).isEqualTo(200);
        assertThat(get("/v1/segments/" + b + "/count", t.key()).status()).isEqualTo(200);

        String c = create(t, "{'field':'traits.plan','op':'exists'}");
        CyclicBarrier race = new CyclicBarrier(2);
        Future<Response> referring =
            pool.submit(
                () -> {
                  race.await();
                  return post(
                      "/v1/segments", t.key(), q("{'name':'r','filter':{'segment':'" + c + "'}}"));
                });
        Future<Response> deleted =
            pool.submit(
                () -> {
                  race.await();
                  return delete("/v1/segments/" + c, t.key());
                });
        int created = referring.get().status();
        int gone = deleted.get().status();
        // Either the create came first (the delete is then refused: 422 in use) or the delete did
        // (the create then names an unknown segment: 422); never both 2xx.
        if (created == 201) {
          assertThat(gone).as("round " + round).isEqualTo(422);
        } else {
          assertThat(created).as("round " + round).isEqualTo(422);
          assertThat(gone).as("round " + round).isEqualTo(204);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void contactsCountPreviewAndMembershipAreLive() {
    Tenant t = newTenant();
    List<String> pros = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String c = insertContact(t.workspaceId(), "u" + i, "{\"plan\": \"pro\"}");
      pros.add(0, c);
      if (i % 2 == 0) {
        insertEvent(t.workspaceId(), c, "u" + i, "Bought");
      }
    }
    String free = insertContact(t.workspaceId(), "f", "{\"plan\": \"free\"}");
    String seg =
        create(
            t,
            "{'all':[{'field':'traits.plan','op':'eq','value':'pro'},"
                + "{'performed':'Bought','within':'30d'}]}");
    assertThat(get("/v1/segments/" + seg + "/count", t.key()).body().path("count").asLong())
        .isEqualTo(3);
    Response page1 = get("/v1/segments/" + seg + "/contacts?limit=2", t.key());
    assertThat(page1.status()).as(page1.raw()).isEqualTo(200);
    // Newest (largest id) first. Ids made in the same millisecond are ordered by their random
    // part, not by creation, so the test compares with the ids' own order.
    List<String> buyers = new ArrayList<>(List.of(pros.get(0), pros.get(2), pros.get(4)));
    buyers.sort(Comparator.reverseOrder());
    assertThat(ids(page1)).containsExactly(buyers.get(0), buyers.get(1));
    assertThat(page1.body().path("has_more").asBoolean()).isTrue();
    assertThat(page1.body().path("data").path(0).path("traits").path("plan").asString())
        .isEqualTo("pro");
    Response page2 =
        get(
            "/v1/segments/"
                + seg
                + "/contacts?limit=2&cursor="
                + page1.body().path("next_cursor").asString(),
            t.key());
    assertThat(ids(page2)).containsExactly(buyers.get(2));
    assertThat(page2.body().path("has_more").asBoolean()).isFalse();

    Response preview =
        post(
            "/v1/segments/preview",
            t.key(),
            q("{'filter':{'performed':'Bought','count':{'eq':0}}}"));
    assertThat(preview.status()).as(preview.raw()).isEqualTo(200);
    assertThat(preview.body().path("count").asLong()).isEqualTo(3);
    assertThat(preview.body().path("sample").size()).isEqualTo(3);
    assertThat(preview.body().path("sample").findValuesAsString("id"))
        .containsExactlyInAnyOrder(free, pros.get(1), pros.get(3));
    // A key that may read segments but not contacts counts them without seeing them.
    Response countOnly =
        post(
            "/v1/segments/preview",
            newSecretKey(t.workspaceId(), "segments:read"),
            q("{'filter':{'performed':'Bought','count':{'eq':0}}}"));
    assertThat(countOnly.status()).as(countOnly.raw()).isEqualTo(200);
    assertThat(countOnly.body().path("count").asLong()).isEqualTo(3);
    assertThat(countOnly.body().has("sample")).isFalse();
    assertThat(countOnly.raw()).doesNotContain(free);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from segments where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isEqualTo(1);

    String everyone = create(t, "{'all':[]}");
    assertThat(ids(get("/v1/contacts/" + pros.get(0) + "/segments", t.key())))
        .containsExactly(everyone, seg);
    assertThat(ids(get("/v1/contacts/" + free + "/segments", t.key()))).containsExactly(everyone);
  }

  @Test
  void anotherWorkspacesSegmentsAndEventsNeverCount() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String contact = insertContact(mine.workspaceId(), "u1", "{}");
    // their event carries my contact's id: it must not make my contact a buyer
    insertEvent(theirs.workspaceId(), contact, "u1", "Bought");
    String theirSegment = create(theirs, "{'all':[]}");
    String mySegment = create(mine, "{'performed':'Bought'}");
    assertThat(
            get("/v1/segments/" + mySegment + "/count", mine.key()).body().path("count").asLong())
        .isZero();
    assertThat(get("/v1/segments/" + theirSegment, mine.key()).status()).isEqualTo(404);
    assertThat(get("/v1/segments/" + theirSegment + "/contacts", mine.key()).status())
        .isEqualTo(404);
    Response ref =
        post(
            "/v1/segments",
            mine.key(),
            q("{'name':'s','filter':{'segment':'" + theirSegment + "'}}"));
    assertThat(ref.status()).isEqualTo(422);
    assertThat(ids(get("/v1/segments", mine.key()))).containsExactly(mySegment);
  }

  @Test
  void segmentContactsNeedBothScopes() {
    Tenant t = newTenant();
    String seg = create(t, "{'all':[]}");
    String segmentsOnly = newSecretKey(t.workspaceId(), "segments:read");
    Response r = get("/v1/segments/" + seg + "/contacts", segmentsOnly);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.firstDetail().path("message").asString()).isEqualTo("contacts:read");
    assertThat(get("/v1/segments/" + seg + "/count", segmentsOnly).status()).isEqualTo(200);
  }

  @Test
  void slowQueryIsCancelledAs503QueryTimeout() {
    assertThatThrownBy(
            () ->
                reads.run(
                    Duration.ofMillis(50),
                    jdbc -> jdbc.queryForObject("select pg_sleep(2)::text", String.class)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code().code()).isEqualTo("query_timeout");
            });
  }

  static String conditions(int n) {
    return "{'all':["
        + String.join(
            ",", java.util.Collections.nCopies(n, "{'field':'traits.plan','op':'exists'}"))
        + "]}";
  }

  static String refs(String segment, int n) {
    return "{'any':["
        + String.join(",", java.util.Collections.nCopies(n, "{'segment':'" + segment + "'}"))
        + "]}";
  }

  /** A segment stored as the API stored it before its rules refused {@code filter}. */
  String insertUnchecked(Tenant t, String filter) {
    String id = Ids.next(IdPrefix.SEGMENT);
    jdbc.update(
        "insert into segments (workspace_id, id, name, filter) values (?, ?, 'old', ?::jsonb)",
        t.workspaceId(),
        id,
        q(filter));
    return id;
  }

  static void assertDetail(Response r, int status, String field, String reason) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.firstDetail().path("field").asString()).as(r.raw()).isEqualTo(field);
    assertThat(r.firstDetail().path("reason").asString()).as(r.raw()).isEqualTo(reason);
  }

  @Test
  void aSegmentThatCannotRunIsRefusedAtSaveAndNeverFailsEveryContactsMembership() {
    Tenant t = newTenant();
    String contact = insertContact(t.workspaceId(), "u1", "{\"plan\": \"pro\"}");
    String poison = "{'field':'created_at','op':'gt','value':'+999999999-12-31T23:59:59Z'}";
    assertDetail(
        post("/v1/segments", t.key(), q("{'name':'p','filter':" + poison + "}")),
        400,
        "filter.value",
        "out_of_range");
    String good = create(t, "{'field':'traits.plan','op':'eq','value':'pro'}");
    String grown = create(t, "{'field':'traits.plan','op':'exists'}");
    String user = create(t, refs(grown, 2));
    // A segment saved before the rule existed (as the red team's was), and one whose reference
    // grew past the limits after it was saved: each answers why on its own routes, and
    // membership lists the segments that do run.
    String legacy = insertUnchecked(t, poison);
    // Grown as a PATCH could grow it until 2026-12-08 (now 422: see
    // aFilterChangeThatWouldPushAReferrerPastTheLimitsIs422NamingEachAndChangesNothing).
    jdbc.update(
        "update segments set filter = ?::jsonb where workspace_id = ? and id = ?",
        q(conditions(50)),
        t.workspaceId(),
        grown);
    assertDetail(
        get("/v1/segments/" + legacy + "/count", t.key()), 400, "filter.value", "out_of_range");
    assertDetail(
        get("/v1/segments/" + user + "/contacts", t.key()), 400, "filter", "too_many_conditions");
    Response member = get("/v1/contacts/" + contact + "/segments", t.key());
    assertThat(member.status()).as(member.raw()).isEqualTo(200);
    assertThat(ids(member)).containsExactlyInAnyOrder(good, grown);
  }

  /**
   * A filter or audience saved with a date in the form filters took until 2026-12-08 can be sent
   * back as GET returns it (a rename, a PATCH of the whole resource); a new such date is refused.
   */
  @Test
  void aFilterSavedWithADateInTheOldFormMayBeSentBackButNotGivenAnew() {
    Tenant t = newTenant();
    String old = "{'field':'created_at','op':'gt','value':'2026-06-01T00:00Z'}";
    String segment = insertUnchecked(t, old);
    Response renamed =
        patch("/v1/segments/" + segment, t.key(), q("{'name':'renamed','filter':" + old + "}"));
    assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
    assertThat(get("/v1/segments/" + segment + "/count", t.key()).status()).isEqualTo(200);
    assertDetail(
        patch(
            "/v1/segments/" + segment,
            t.key(),
            q("{'filter':{'field':'created_at','op':'gt','value':'2026-07-01T00:00Z'}}")),
        400,
        "filter.value",
        "invalid_value");

    String campaign = survey(t, "{'field':'user_id','op':'exists'}");
    jdbc.update(
        "update campaigns set audience = ?::jsonb where workspace_id = ? and id = ?",
        q(old),
        t.workspaceId(),
        campaign);
    Response sentBack =
        patch("/v1/campaigns/" + campaign, t.key(), q("{'name':'n','audience':" + old + "}"));
    assertThat(sentBack.status()).as(sentBack.raw()).isEqualTo(200);
    assertDetail(
        patch(
            "/v1/campaigns/" + campaign,
            t.key(),
            q("{'audience':{'field':'created_at','op':'gt','value':'2026-07-01T00:00Z'}}")),
        400,
        "audience.value",
        "invalid_value");
  }

  /**
   * A segment's new filter is checked as it runs inside every segment and campaign audience that
   * refers to it, directly or through other segments: one it would push past the limits is named,
   * and nothing is saved. A referrer already past the limits does not hold the change back.
   */
  @Test
  void aFilterChangeThatWouldPushAReferrerPastTheLimitsIs422NamingEachAndChangesNothing() {
    Tenant t = newTenant();
    String leaf = create(t, "{'field':'traits.plan','op':'exists'}");
    String twice = create(t, refs(leaf, 2));
    String top = create(t, "{'not':{'segment':'" + twice + "'}}");
    String unrelated = create(t, "{'field':'traits.plan','op':'eq','value':'pro'}");
    String audience = survey(t, refs(leaf, 2));
    // Saved before the references were bounded: 60 references, past the limits already.
    String legacy = insertUnchecked(t, refs(leaf, 60));
    int version = get("/v1/segments/" + leaf, t.key()).body().path("version").asInt();

    Response refused =
        patch("/v1/segments/" + leaf, t.key(), q("{'filter':" + conditions(30) + "}"));
    assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
    JsonNode details = refused.body().path("error").path("details");
    List<String> named = new ArrayList<>();
    details.forEach(
        d -> {
          assertThat(d.path("field").asString()).isEqualTo("filter");
          assertThat(d.path("reason").asString()).isEqualTo("segment_in_use");
          assertThat(d.path("message").asString()).contains("too_many_conditions");
          named.add(d.path("message").asString());
        });
    assertThat(named).hasSize(3);
    assertThat(String.join("\n", named))
        .contains("segment " + twice)
        .contains("segment " + top)
        .contains("campaign " + audience)
        .doesNotContain(legacy)
        .doesNotContain(unrelated);
    Response unchanged = get("/v1/segments/" + leaf, t.key());
    assertThat(unchanged.body().path("version").asInt()).isEqualTo(version);
    assertThat(unchanged.body().path("filter").path("op").asString()).isEqualTo("exists");

    // 25 conditions, inlined twice, are 50: within the limits for every referrer that runs.
    Response taken = patch("/v1/segments/" + leaf, t.key(), q("{'filter':" + conditions(25) + "}"));
    assertThat(taken.status()).as(taken.raw()).isEqualTo(200);
    assertThat(get("/v1/segments/" + top + "/count", t.key()).status()).isEqualTo(200);
  }

  @Test
  void segmentReferencesCountTowardsTheLimitsAtSaveAndAtPreview() {
    Tenant t = newTenant();
    insertContact(t.workspaceId(), "u1", "{\"plan\": \"pro\"}");
    String big = create(t, conditions(50));
    String one = create(t, "{'segment':'" + big + "'}");
    assertThat(get("/v1/segments/" + one + "/count", t.key()).body().path("count").asLong())
        .isEqualTo(1);
    // The red team's fan-out: 50 references to a segment of 50 conditions.
    assertDetail(
        post("/v1/segments", t.key(), q("{'name':'fan','filter':" + refs(big, 50) + "}")),
        400,
        "filter",
        "too_many_conditions");
    assertDetail(
        post("/v1/segments/preview", t.key(), q("{'filter':" + refs(big, 2) + "}")),
        400,
        "filter",
        "too_many_conditions");
    assertDetail(
        patch("/v1/segments/" + one, t.key(), q("{'filter':{'not':" + refs(big, 2) + "}}")),
        400,
        "filter",
        "too_many_conditions");
    String leaf = create(t, "{'field':'traits.plan','op':'exists'}");
    String deep =
        create(t, "{'all':[{'all':[{'all':[{'all':[{'all':[{'segment':'" + leaf + "'}]}]}]}]}]}");
    assertThat(deep).startsWith("seg_");
    assertDetail(
        post("/v1/segments/preview", t.key(), q("{'filter':{'not':{'segment':'" + deep + "'}}}")),
        400,
        "filter",
        "too_deep");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from segments where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isEqualTo(4);
  }

  /**
   * References are bounded when a filter is compiled. A bare {@code {"segment": …}} root keeps its
   * reference's level and is no condition, so neither limit stopped a chain of such segments (a
   * chain of thousands overflowed the stack: 500 on its count and on every contact's membership)
   * nor 50 references to segments of 50 references to an empty filter (50 to the power of the
   * levels inlined).
   */
  @Test
  void segmentReferencesAreBoundedInChainsAndInFanOuts() {
    Tenant t = newTenant();
    String contact = insertContact(t.workspaceId(), "u1", "{\"plan\": \"pro\"}");
    // A chain as PATCHes from its top down build it (each PATCH inlines one link): inserted here.
    int links = 20_000;
    List<String> chain = new ArrayList<>();
    for (int i = 0; i <= links; i++) {
      chain.add(Ids.next(IdPrefix.SEGMENT));
    }
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i <= links; i++) {
      String filter =
          i == 0
              ? q("{'field':'traits.plan','op':'exists'}")
              : q("{'segment':'" + chain.get(i - 1) + "'}");
      rows.add(new Object[] {t.workspaceId(), chain.get(i), "c" + i, filter});
    }
    jdbc.batchUpdate(
        "insert into segments (workspace_id, id, name, filter) values (?, ?, ?, ?::jsonb)", rows);
    String top = chain.get(links);
    assertDetail(
        get("/v1/segments/" + top + "/count", t.key()), 400, "filter", "too_many_references");
    assertDetail(
        post("/v1/segments/preview", t.key(), q("{'filter':{'segment':'" + top + "'}}")),
        400,
        "filter",
        "too_many_references");
    Response analytics =
        post(
            "/v1/analytics/query",
            t.key(),
            q("{'kind':'trends','series':[{'event':'e'}],'filter':{'segment':'" + top + "'}}"));
    assertDetail(analytics, 400, "filter", "too_many_references");
    assertThat(
            get("/v1/segments/" + chain.get(MAX_CHAIN_THAT_RUNS) + "/count", t.key())
                .body()
                .path("count")
                .asLong())
        .isEqualTo(1);
    Response member = get("/v1/contacts/" + contact + "/segments?limit=5", t.key());
    assertThat(member.status()).as(member.raw()).isEqualTo(200);

    String empty = create(t, "{'all':[]}");
    String fifty = create(t, refs(empty, 50));
    assertDetail(
        post("/v1/segments", t.key(), q("{'name':'fan','filter':" + refs(fifty, 50) + "}")),
        400,
        "filter",
        "too_many_references");
    assertDetail(
        post("/v1/segments/preview", t.key(), q("{'filter':" + refs(fifty, 2) + "}")),
        400,
        "filter",
        "too_many_references");
  }

  /** The longest chain of references that runs: 50 references, its last one to a condition. */
  private static final int MAX_CHAIN_THAT_RUNS = 50;

  @Test
  void anErrorListsAtMostAHundredDetailsAndHowManyMoreThereWere() {
    Tenant t = newTenant();
    // 50 leaves with three problems each: 150 problems.
    String bad = "{'field':'x','op':'like','value':1,'zz':1}";
    Response r =
        post(
            "/v1/segments/preview",
            t.key(),
            q(
                "{'filter':{'all':["
                    + String.join(",", java.util.Collections.nCopies(50, bad))
                    + "]}}"));
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    var details = r.body().path("error").path("details");
    assertThat(details.size()).isEqualTo(101);
    assertThat(details.path(100).path("field").asString()).isEqualTo("details");
    assertThat(details.path(100).path("reason").asString()).isEqualTo("truncated");
    assertThat(details.path(100).path("message").asString()).startsWith("50 more problems");
    // An array far over the limit is one problem, found before its elements are read.
    StringBuilder huge = new StringBuilder("{'filter':{'all':[1");
    for (int i = 0; i < 100_000; i++) {
      huge.append(",1");
    }
    Response one = post("/v1/segments/preview", t.key(), q(huge.append("]}}").toString()));
    assertDetail(one, 400, "filter", "too_many_conditions");
    assertThat(one.raw().length()).isLessThan(2_000);
  }
}
