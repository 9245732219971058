package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.AtOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WaitlistTests extends ApiTestSupport {

  @org.springframework.beans.factory.annotation.Autowired javax.sql.DataSource dataSource;

  private String waitlist(Tenant t, String settings) {
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"Beta\", \"status\": \"active\", \"settings\": "
                + settings
                + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private JsonNode participant(Tenant t, String campaign, String id) {
    return get("/v1/campaigns/" + campaign + "/participants/" + id, t.key()).body();
  }

  private long position(Tenant t, String campaign, JsonNode p) {
    return participant(t, campaign, p.path("id").asString()).path("position").asLong();
  }

  @Test
  void aJoinThatCreatesAContactEmitsContactCreatedAndAKnownEmailEmitsNone() {
    Tenant t = newTenant();
    String c = waitlist(t, "{}");
    String other = waitlist(t, "{}");
    JsonNode joined = join(t, c, "New.Person@example.com", null);
    String contactId = joined.path("contact_id").asString();
    assertThat(contactId).startsWith("cntct_");

    List<String> created =
        jdbc.queryForList(
            "select payload::text from webhook_outbox where workspace_id = ?"
                + " and type = 'contact.created'",
            String.class,
            t.workspaceId());
    assertThat(created).hasSize(1);
    assertThat(JSON.readTree(created.get(0)))
        .isEqualTo(get("/v1/contacts/" + contactId, t.key()).body());

    // The same person joining another waitlist, in any case, and a contact made through the API
    // joining: their contacts exist, so no second contact.created for them.
    join(t, other, "new.person@EXAMPLE.com", null);
    Response known = post("/v1/contacts", t.key(), "{\"email\":\"known@example.com\"}");
    assertThat(known.status()).as(known.raw()).isEqualTo(201);
    join(t, c, "known@example.com", null);
    assertThat(
            jdbc.queryForList(
                "select payload->>'id' from webhook_outbox where workspace_id = ?"
                    + " and type = 'contact.created' order by id",
                String.class,
                t.workspaceId()))
        .containsExactlyInAnyOrder(contactId, known.body().path("id").asString());
  }

  /**
   * The audience decides who may join through the Management API too (a segment id here): a contact
   * in the segment joins, and joins once its traits put it in; a social proof campaign takes no
   * audience (400 naming it), which until 2026-12-07 was stored and ignored.
   */
  @Test
  void aJoinOutsideTheAudienceIs422AndASocialProofCampaignTakesNoAudience() {
    Tenant t = newTenant();
    String pros =
        post(
                "/v1/segments",
                t.key(),
                "{\"name\": \"Pros\", \"filter\": {\"field\": \"traits.plan\", \"op\":"
                    + " \"eq\", \"value\": \"pro\"}}")
            .body()
            .path("id")
            .asString();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"Pros first\", \"audience\": \"" + pros + "\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String join = "/v1/campaigns/" + created.body().path("id").asString() + "/participants";
    String kim =
        post(
                "/v1/contacts",
                t.key(),
                "{\"email\": \"kim@example.com\", \"traits\": {\"plan\": \"free\"}}")
            .body()
            .path("id")
            .asString();

    Response refused = post(join, t.key(), "{\"email\": \"kim@example.com\"}");
    assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
    assertThat(refused.firstDetail().path("reason").asString()).isEqualTo("not_in_audience");
    assertThat(post(join, t.key(), "{\"email\": \"new@example.com\"}").status()).isEqualTo(422);
    Response none = get("/v1/contacts?email=new@example.com", t.key());
    assertThat(none.status()).as(none.raw()).isEqualTo(200);
    assertThat(none.body().path("data").isArray()).isTrue();
    assertThat(none.body().path("data")).isEmpty();

    patch("/v1/contacts/" + kim, t.key(), "{\"traits\": {\"plan\": \"pro\"}}");
    Response joined = post(join, t.key(), "{\"email\": \"kim@example.com\"}");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(201);

    Response proof =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"social_proof\", \"name\": \"x\", \"audience\": \""
                + pros
                + "\", \"settings\": {\"source\": {\"event\": \"Signed Up\"},"
                + " \"template\": \"{name} signed up {time_ago}\"}}");
    assertThat(proof.status()).as(proof.raw()).isEqualTo(400);
    assertThat(proof.firstDetail().path("field").asString()).isEqualTo("audience");
    assertThat(proof.firstDetail().path("reason").asString()).isEqualTo("not_supported");
  }

  @Test
  void positionIsSignupOrderUntilSomeoneRefers() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 3, \"landing_url\": \"https://x.io/beta\"}");
    List<JsonNode> people = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      people.add(join(t, c, name + "@example.com", null));
    }
    JsonNode e = people.get(4);
    assertThat(e.path("position").asLong()).isEqualTo(5);
    assertThat(e.path("people_ahead").asLong()).isEqualTo(4);
    assertThat(e.path("total_waiting").asLong()).isEqualTo(5);
    assertThat(e.path("participant_token").asString()).startsWith("pt_");
    assertThat(e.path("referral_code").asString()).hasSize(8);
    assertThat(e.path("share_url").asString())
        .isEqualTo("https://x.io/beta?ref=" + e.path("referral_code").asString());

    // f joins with e's code, typed in lower case: e moves up 3 spots, ties go to who joined first.
    JsonNode f = join(t, c, "f@example.com", e.path("referral_code").asString().toLowerCase());
    assertThat(f.path("referred_by").asString()).isEqualTo(e.path("id").asString());
    assertThat(f.path("position").asLong()).isEqualTo(6);
    assertThat(position(t, c, e)).isEqualTo(3);
    assertThat(position(t, c, people.get(1))).isEqualTo(2);
    assertThat(position(t, c, people.get(2))).isEqualTo(4);
    assertThat(participant(t, c, e.path("id").asString()).path("qualified_referrals").asInt())
        .isEqualTo(1);
    assertThat(participant(t, c, e.path("id").asString()).has("participant_token")).isTrue();
    assertThat(participant(t, c, e.path("id").asString()).path("participant_token").isNull())
        .as("the token is shown once")
        .isTrue();

    JsonNode stats = get("/v1/campaigns/" + c + "/stats", t.key()).body();
    assertThat(stats.path("participants").asLong()).isEqualTo(6);
    assertThat(stats.path("referrals").path("qualified").asLong()).isEqualTo(1);
    assertThat(stats.path("conversion_rate").asDouble()).isEqualTo(1.0);
  }

  @Test
  void deletingAContactTakesItsPlaceOutOfTheWaitlistAndThePeopleBehindMoveUp() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 1}");
    JsonNode a = join(t, c, "a@example.com", null);
    JsonNode b = join(t, c, "b@example.com", null);
    JsonNode d = join(t, c, "d@example.com", null);
    // a also joined a referral program: its participants are not in any position index.
    Response program =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"referral\", \"name\": \"Refer\", \"status\": \"active\","
                + " \"settings\": {\"landing_url\": \"https://x.io\"}}");
    assertThat(program.status()).as(program.raw()).isEqualTo(201);
    Response joined =
        post(
            "/v1/campaigns/" + program.body().path("id").asString() + "/participants",
            t.key(),
            "{\"email\": \"a@example.com\"}");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(201);
    assertThat(position(t, c, d)).isEqualTo(3);

    String contact = participant(t, c, a.path("id").asString()).path("contact_id").asString();
    assertThat(contact).startsWith("cntct_");
    assertThat(delete("/v1/contacts/" + contact, t.key()).status()).isEqualTo(204);

    assertThat(
            get("/v1/campaigns/" + c + "/participants/" + a.path("id").asString(), t.key())
                .status())
        .isEqualTo(404);
    JsonNode last = participant(t, c, d.path("id").asString());
    assertThat(last.path("position").asLong()).isEqualTo(2);
    assertThat(last.path("people_ahead").asLong()).isEqualTo(1);
    assertThat(last.path("total_waiting").asLong()).isEqualTo(2);
    assertThat(position(t, c, b)).isEqualTo(1);
    // A new joiner queues behind the two left, not behind a place nobody holds.
    assertThat(join(t, c, "e@example.com", null).path("position").asLong()).isEqualTo(3);
  }

  /**
   * A campaign whose {@code ends_at} has passed is over, whatever its status says: the widgets
   * already answered 404 for it, while the Management API still let people join it and credited
   * their referrers. Now such a join is the 422 {@code campaign_ended} of an ended campaign, and
   * nobody is added or credited.
   */
  @Test
  void aJoinAfterTheEndDateIsRefusedAsForAnEndedCampaign() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"Over\", \"status\": \"active\","
                + " \"starts_at\": \"2020-01-01T00:00:00Z\", \"ends_at\": \"2020-02-01T00:00:00Z\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String c = created.body().path("id").asString();
    Response joined =
        post("/v1/campaigns/" + c + "/participants", t.key(), "{\"email\": \"a@example.com\"}");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(422);
    assertThat(joined.firstDetail().path("field").asString()).isEqualTo("status");
    assertThat(joined.firstDetail().path("reason").asString()).isEqualTo("campaign_ended");
    assertThat(get("/v1/campaigns/" + c + "/participants", t.key()).body().path("data").size())
        .isZero();
  }

  @Test
  void neverBelowOneAndTheSameEmailCannotJoinTwice() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 100}");
    JsonNode a = join(t, c, "a@example.com", null);
    JsonNode b = join(t, c, "b@example.com", null);
    join(t, c, "c@example.com", b.path("referral_code").asString());
    assertThat(position(t, c, b)).isEqualTo(1);
    assertThat(position(t, c, a)).isEqualTo(2);
    Response again =
        post("/v1/campaigns/" + c + "/participants", t.key(), "{\"email\": \"A@example.com\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("duplicate_resource");
  }

  @Test
  void rejectsSelfReferralByNormalisedEmail() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 5}");
    join(t, c, "first@example.com", null);
    JsonNode jane = join(t, c, "Jane.Doe@gmail.com", null);
    join(t, c, "jane.doe+again@googlemail.com", jane.path("referral_code").asString());
    assertThat(position(t, c, jane)).isEqualTo(2);
    JsonNode referral =
        get("/v1/campaigns/" + c + "/referrals", t.key()).body().path("data").path(0);
    assertThat(referral.path("state").asString()).isEqualTo("rejected");
    assertThat(referral.path("reason").asString()).isEqualTo("self_referral");
  }

  @Test
  void unverifiedJoinersDoNotCountUntilVerified() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 2, \"require_verification\": true}");
    join(t, c, "a@example.com", null);
    join(t, c, "b@example.com", null);
    JsonNode referrer = join(t, c, "c@example.com", null);
    JsonNode friend = join(t, c, "d@example.com", referrer.path("referral_code").asString());
    String token = friend.path("verification_token").asString();
    assertThat(token).startsWith("vt_");
    assertThat(position(t, c, referrer)).isEqualTo(3);
    String verify =
        "/v1/campaigns/" + c + "/participants/" + friend.path("id").asString() + "/verify";
    Response wrong = post(verify, t.key(), "{\"token\": \"vt_nope\"}");
    assertThat(wrong.status()).isEqualTo(422);
    Response ok = post(verify, t.key(), json(java.util.Map.of("token", token)));
    assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    assertThat(ok.body().path("verified_at").isNull()).isFalse();
    // Score 3 - 2 = 1 ties with a's 1: a joined first.
    assertThat(position(t, c, referrer)).isEqualTo(2);
    // Verifying again changes nothing.
    post(verify, t.key(), json(java.util.Map.of("token", token)));
    assertThat(
            participant(t, c, referrer.path("id").asString()).path("qualified_referrals").asInt())
        .isEqualTo(1);
  }

  /**
   * A referee who verifies after the waitlist's end date is verified, but credits nobody: the
   * waitlist is over (CampaignInfo.isOverAt), as for joins and for qualifying events. Before, the
   * verification qualified the referral and moved the referrer up a waitlist that had ended.
   */
  @Test
  void aVerificationAfterTheEndDateCreditsNobody() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 2, \"require_verification\": true}");
    JsonNode referrer = join(t, c, "c@example.com", null);
    JsonNode friend = join(t, c, "d@example.com", referrer.path("referral_code").asString());
    jdbc.update(
        "update campaigns set ends_at = now() - interval '1 second' where id = ?", (Object) c);
    String verify =
        "/v1/campaigns/" + c + "/participants/" + friend.path("id").asString() + "/verify";
    Response ok =
        post(
            verify,
            t.key(),
            json(java.util.Map.of("token", friend.path("verification_token").asString())));
    assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    assertThat(ok.body().path("verified_at").isNull()).isFalse();
    assertThat(
            participant(t, c, referrer.path("id").asString()).path("qualified_referrals").asInt())
        .isZero();
    JsonNode referral =
        get("/v1/campaigns/" + c + "/referrals", t.key()).body().path("data").path(0);
    assertThat(referral.path("state").asString()).isEqualTo("pending");
  }

  /**
   * A join and a verification whose campaign was read before an operator ended it, and that reach
   * the campaign's lock after the end committed, see the end: the join is the 422 {@code
   * campaign_ended} and the verification credits nobody. Forced interleaving: the test holds the
   * campaign's counter row, waits until the request is blocked behind it, commits the end, then
   * lets it go on. Before, both used the campaign as read before their lock: the join was 201 and
   * the verification moved the referrer up a waitlist that had ended.
   */
  @Test
  void aJoinOrVerificationRacingTheEndOfTheWaitlistSeesTheEnd() throws Exception {
    Tenant t = newTenant();
    String ended = waitlist(t, "{}");
    Response joined =
        whileTheCounterIsHeld(
            t,
            ended,
            () ->
                post(
                    "/v1/campaigns/" + ended + "/participants",
                    t.key(),
                    "{\"email\": \"late@example.com\"}"),
            "update campaigns set status = 'ended' where id = ?");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(422);
    assertThat(joined.firstDetail().path("reason").asString()).isEqualTo("campaign_ended");
    assertThat(get("/v1/campaigns/" + ended + "/participants", t.key()).body().path("data").size())
        .isZero();

    String c = waitlist(t, "{\"spots_per_referral\": 2, \"require_verification\": true}");
    JsonNode referrer = join(t, c, "c@example.com", null);
    JsonNode friend = join(t, c, "d@example.com", referrer.path("referral_code").asString());

    Response verified =
        whileTheCounterIsHeld(
            t,
            c,
            () ->
                post(
                    "/v1/campaigns/"
                        + c
                        + "/participants/"
                        + friend.path("id").asString()
                        + "/verify",
                    t.key(),
                    json(Map.of("token", friend.path("verification_token").asString()))),
            "update campaigns set ends_at = now() - interval '1 second' where id = ?");
    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    assertThat(
            participant(t, c, referrer.path("id").asString()).path("qualified_referrals").asInt())
        .isZero();
  }

  /**
   * Runs {@code request} while the test holds the campaign's counter row; once the request waits
   * for it, commits {@code change} (an update of the campaign, in its own transaction), then lets
   * the request go on.
   */
  private Response whileTheCounterIsHeld(
      Tenant t, String c, java.util.concurrent.Callable<Response> request, String change)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      return new org.springframework.transaction.support.TransactionTemplate(
              new org.springframework.jdbc.support.JdbcTransactionManager(dataSource))
          .execute(
              status -> {
                jdbc.queryForList(
                    "select last_join_seq from campaign_counters where workspace_id = ? and"
                        + " campaign_id = ? for update",
                    t.workspaceId(),
                    c);
                Future<Response> sent = pool.submit(request);
                io.growthos.testsupport.LockWaits.awaitLockWait(
                    dataSource, sent, "%campaign_counters%");
                try {
                  // The operator's change, committed in its own transaction.
                  pool.submit(() -> jdbc.update(change, c)).get();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return sent;
              })
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void admitsOneOrTheTopN() {
    Tenant t = newTenant();
    String c = waitlist(t, "{}");
    List<JsonNode> people = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      people.add(join(t, c, "p" + i + "@example.com", null));
    }
    Response page1 = get("/v1/campaigns/" + c + "/participants?limit=4", t.key());
    assertThat(ids(page1)).hasSize(4).doesNotHaveDuplicates();
    Response page2 =
        get(
            "/v1/campaigns/"
                + c
                + "/participants?limit=4&cursor="
                + page1.body().path("next_cursor").asString(),
            t.key());
    assertThat(ids(page2)).hasSize(2).doesNotContainAnyElementsOf(ids(page1));
    // A participant token ("pt_" after no id character), not those three letters anywhere: the
    // page's base64url cursor can hold them by chance.
    assertThat(page1.raw()).doesNotContainPattern("(?<![A-Za-z0-9_-])pt_");
    String p2 = people.get(2).path("id").asString();
    Response one = post("/v1/campaigns/" + c + "/participants/" + p2 + "/admit", t.key(), null);
    assertThat(one.status()).as(one.raw()).isEqualTo(200);
    assertThat(one.body().path("admitted_at").isNull()).isFalse();
    assertThat(one.body().path("position").isNull()).isTrue();
    assertThat(position(t, c, people.get(3))).isEqualTo(3);
    // Admitting again answers the participant unchanged (a retried admit), with no second event.
    Response again = post("/v1/campaigns/" + c + "/participants/" + p2 + "/admit", t.key(), null);
    assertThat(again.status()).as(again.raw()).isEqualTo(200);
    assertThat(again.body().path("admitted_at").asString())
        .isEqualTo(one.body().path("admitted_at").asString());
    assertThat(
            jdbc.queryForObject(
                "select count(*) from webhook_outbox where workspace_id = ? and type ="
                    + " 'waitlist.admitted' and payload->>'id' = ?",
                Long.class,
                t.workspaceId(),
                p2))
        .isEqualTo(1);
    assertThat(position(t, c, people.get(3))).isEqualTo(3);
    Response top = post("/v1/campaigns/" + c + "/admit", t.key(), "{\"count\": 2}");
    assertThat(top.status()).as(top.raw()).isEqualTo(200);
    assertThat(ids(top))
        .containsExactly(people.get(0).path("id").asString(), people.get(1).path("id").asString());
    JsonNode last = participant(t, c, people.get(5).path("id").asString());
    assertThat(last.path("position").asLong()).isEqualTo(3);
    assertThat(last.path("total_waiting").asLong()).isEqualTo(3);
    // The list shows the same standing as the single read: waiting people have their position,
    // admitted ones none.
    Response listed = get("/v1/campaigns/" + c + "/participants?limit=10", t.key());
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    listed.body().path("data").forEach(p -> byId.put(p.path("id").asString(), p));
    for (int i = 0; i < 6; i++) {
      String id = people.get(i).path("id").asString();
      JsonNode single = participant(t, c, id);
      assertThat(byId.get(id).path("position")).as("p" + i).isEqualTo(single.path("position"));
      assertThat(byId.get(id).path("total_waiting")).isEqualTo(single.path("total_waiting"));
    }
    assertThat(byId.get(people.get(5).path("id").asString()).path("position").asLong())
        .isEqualTo(3);
    assertThat(post("/v1/campaigns/" + c + "/admit", t.key(), "{\"count\": 0}").status())
        .isEqualTo(400);
  }

  @Test
  void concurrentJoinsGetUniqueGapFreePositions() throws Exception {
    Tenant t = newTenant();
    String c = waitlist(t, "{}");
    int n = 40;
    List<Response> joins =
        AtOnce.times(
            n,
            i -> {
              String body = json(java.util.Map.of("email", "racer" + i + "@example.com"));
              return () -> post("/v1/campaigns/" + c + "/participants", t.key(), body);
            });
    for (Response r : joins) {
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }
    List<Long> seqs =
        jdbc.queryForList(
            "select join_seq from campaign_participants where workspace_id = ? and campaign_id = ?"
                + " order by join_seq",
            Long.class,
            t.workspaceId(),
            c);
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
    List<String> ids =
        jdbc.queryForList(
            "select id from campaign_participants where workspace_id = ? and campaign_id = ?",
            String.class,
            t.workspaceId(),
            c);
    List<Long> positions =
        ids.stream().map(id -> participant(t, c, id).path("position").asLong()).sorted().toList();
    assertThat(positions)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, n).mapToObj(i -> (long) i).toList());
  }

  /**
   * A vanity code is 3 to 32 characters in the form it is stored and read in (upper case). "ß"
   * upper-cases to "SS", so 20 of them make a 40-character code: refused as too long (400 on
   * vanity_code), as any other code over 32, not a 500.
   */
  @Test
  void aVanityCodeLongerThan32OnceUpperCasedIsRefusedNamingIt() {
    Tenant t = newTenant();
    String c = waitlist(t, "{}");
    Response r =
        post(
            "/v1/campaigns/" + c + "/participants",
            t.key(),
            json(Map.of("email", "v@example.com", "vanity_code", "\u00df".repeat(20))));
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("vanity_code");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from campaign_participants where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .isZero();
  }

  /**
   * A vanity code is unique in the workspace, across its campaigns; joins of different campaigns do
   * not share a counter lock, so two of them asking for the same code at once both found it free.
   * One gets it (201), every other one is 409 naming {@code vanity_code}, as when they come one
   * after the other: never a 500.
   */
  @Test
  void concurrentJoinsOfTwoCampaignsAskingForOneVanityCodeGiveItToOneAndAre409ForTheOthers()
      throws Exception {
    Tenant t = newTenant();
    List<String> campaigns = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      campaigns.add(waitlist(t, "{}"));
    }
    for (int round = 0; round < 5; round++) {
      String code = "launch-" + round;
      int r = round;
      List<Response> joins =
          AtOnce.times(
              campaigns.size(),
              i -> {
                String body =
                    json(Map.of("email", "v" + r + "-" + i + "@example.com", "vanity_code", code));
                return () ->
                    post("/v1/campaigns/" + campaigns.get(i) + "/participants", t.key(), body);
              });
      List<Integer> statuses = joins.stream().map(Response::status).sorted().toList();
      assertThat(statuses)
          .as("round %d: %s", round, joins.stream().map(Response::raw).toList())
          .containsExactly(201, 409, 409, 409);
      for (Response j : joins) {
        if (j.status() == 409) {
          assertThat(j.body().at("/error/details/0/field").asString()).isEqualTo("vanity_code");
        }
      }
    }
  }

  /**
   * A referrer's contact deleted while people join with its code: the deletion used to lock the
   * participant rows and the rank tree without the campaign's counter, so it deadlocked with a join
   * crediting that referrer (one of them 409 {@code concurrent_update}), or removed the referrer
   * between the join's lookup of the code and its fraud checks (500). Now every request succeeds:
   * each join either credits the referrer before the deletion or finds the code gone.
   */
  @Test
  void deletingAReferrerWhilePeopleJoinWithItsCodeNeitherDeadlocksNorFails() throws Exception {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 2}");
    int joiners = 8;
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 3; i++) {
        join(t, c, "other" + round + "-" + i + "@example.com", null);
      }
      JsonNode referrer = join(t, c, "referrer" + round + "@example.com", null);
      String code = referrer.path("referral_code").asString();
      String contact = referrer.path("contact_id").asString();
      List<Callable<Response>> calls = new ArrayList<>();
      for (int i = 0; i < joiners; i++) {
        String body =
            json(
                Map.of(
                    "email", "referee" + round + "-" + i + "@example.com", "referral_code", code));
        calls.add(() -> post("/v1/campaigns/" + c + "/participants", t.key(), body));
        if (i == joiners / 2) {
          calls.add(() -> delete("/v1/contacts/" + contact, t.key()));
        }
      }
      for (Response r : AtOnce.all(calls)) {
        assertThat(r.status()).as("round " + round + ": " + r.raw()).isIn(201, 204);
      }
    }
    List<String> waiting =
        jdbc.queryForList(
            "select id from campaign_participants where workspace_id = ? and campaign_id = ?",
            String.class,
            t.workspaceId(),
            c);
    List<Long> positions =
        waiting.stream()
            .map(id -> participant(t, c, id).path("position").asLong())
            .sorted()
            .toList();
    assertThat(positions)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, waiting.size()).boxed().toList());
  }

  /**
   * A waitlist deleted while people join it: the deletion locked the campaign's row and then,
   * cascading, its counter, while each join held the counter and waited for the row (the foreign
   * key of its participant): deadlocks, answered 409 {@code concurrent_update} to joins and to the
   * deletion itself. Now the deletion takes the counter first: each join either finishes before it
   * (201) or finds the campaign gone (404), and the deletion succeeds.
   */
  @Test
  void deletingAWaitlistWhilePeopleJoinIsNeitherADeadlockNorAConflict() throws Exception {
    Tenant t = newTenant();
    int joiners = 8;
    for (int round = 0; round < 5; round++) {
      String c = waitlist(t, "{}");
      for (int i = 0; i < 3; i++) {
        join(t, c, "early" + round + "-" + i + "@example.com", null);
      }
      List<Callable<Response>> calls = new ArrayList<>();
      for (int i = 0; i < joiners; i++) {
        String body = json(Map.of("email", "late" + round + "-" + i + "@example.com"));
        calls.add(() -> post("/v1/campaigns/" + c + "/participants", t.key(), body));
      }
      // The deletion, released with the joins; its answer is the last.
      calls.add(() -> delete("/v1/campaigns/" + c, t.key()));
      List<Response> answers = AtOnce.all(calls);
      for (Response r : answers.subList(0, joiners)) {
        assertThat(r.status()).as("round " + round + ": " + r.raw()).isIn(201, 404);
      }
      Response deleted = answers.get(joiners);
      assertThat(deleted.status()).as("round " + round + ": " + deleted.raw()).isEqualTo(204);
    }
  }

  @Test
  void participantsOfAnotherWorkspaceAreNotFound() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String c = waitlist(theirs, "{}");
    String p = join(theirs, c, "x@example.com", null).path("id").asString();
    assertThat(get("/v1/campaigns/" + c + "/participants/" + p, mine.key()).status())
        .isEqualTo(404);
    String own = waitlist(mine, "{}");
    assertThat(get("/v1/campaigns/" + own + "/participants/" + p, mine.key()).status())
        .isEqualTo(404);
  }
}
