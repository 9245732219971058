package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.LockWaits;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The campaign widget routes of SPEC §8 over HTTP, against the real database. */
class WidgetCampaignTests extends WidgetTestSupport {

  @Autowired DataSource dataSource;

  private static final String BETA =
      "{\"spots_per_referral\": 2, \"landing_url\": \"https://example.com/beta\"}";

  @Test
  void aJoinReturnsTheTokenCodeAndPositionAndTheTokenReadsTheSameStateBack() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    joined(ws, c, "ann@example.com");
    joined(ws, c, "bob@example.com");
    JsonNode cat = joined(ws, c, "cat@example.com");

    assertThat(cat.path("participant_token").asString()).startsWith("pt_");
    assertThat(cat.path("referral_code").asString()).hasSize(8);
    assertThat(cat.path("share_url").asString())
        .isEqualTo("https://example.com/beta?ref=" + cat.path("referral_code").asString());
    assertThat(cat.path("position").asLong()).isEqualTo(3);
    assertThat(cat.path("people_ahead").asLong()).isEqualTo(2);
    assertThat(cat.path("total").asLong()).isEqualTo(3);
    assertThat(cat.path("campaign_type").asString()).isEqualTo("waitlist");

    JsonNode state = myState(ws, c, cat);
    assertThat(state.has("participant_token")).as("the token is not echoed").isFalse();
    assertThat(state.path("referral_code").asString())
        .isEqualTo(cat.path("referral_code").asString());
    assertThat(state.path("position").asLong()).isEqualTo(3);
    assertThat(state.path("people_ahead").asLong()).isEqualTo(2);
    assertThat(state.path("total").asLong()).isEqualTo(3);
    assertThat(state.path("admitted").asBoolean()).isFalse();
    assertThat(state.path("verified").asBoolean()).isFalse();
    assertThat(state.path("qualified_referrals").asInt()).isZero();

    // A later joiner grows the total but not cat's place.
    joined(ws, c, "dan@example.com");
    assertThat(myState(ws, c, cat).path("total").asLong()).isEqualTo(4);
    assertThat(myState(ws, c, cat).path("position").asLong()).isEqualTo(3);
  }

  @Test
  void aJoinThatCreatesAContactEmitsContactCreatedOnce() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    String other = waitlist(ws, BETA);
    joined(ws, c, "eve@example.com");
    joined(ws, other, "Eve@Example.com");
    List<String> created =
        jdbc.queryForList(
            "select payload::text from webhook_outbox where workspace_id = ?"
                + " and type = 'contact.created'",
            String.class,
            ws.id());
    assertThat(created).hasSize(1);
    JsonNode contact = JSON.readTree(created.get(0));
    assertThat(contact.path("email").asString()).isEqualTo("eve@example.com");
    assertThat(contact.path("id").asString())
        .isEqualTo(
            jdbc.queryForObject(
                "select id from contacts where workspace_id = ? and email = 'eve@example.com'",
                String.class,
                ws.id()));
  }

  /**
   * A waitlist's audience decides who may join: a contact in it joins, one outside it and an
   * address with no contact are 422 not_in_audience, and the refused join leaves no contact behind.
   * Until 2026-12-07 the audience was stored and ignored: everyone joined (black-box review R).
   */
  @Test
  void onlyContactsInTheCampaignsAudienceMayJoin() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    jdbc.update(
        "update campaigns set audience = '{\"field\": \"traits.plan\", \"op\": \"eq\","
            + " \"value\": \"pro\"}'::jsonb where workspace_id = ? and id = ?",
        ws.id(),
        c);
    for (String[] person :
        new String[][] {
          {"u-pro", "pro@example.com", "pro"}, {"u-free", "free@example.com", "free"}
        }) {
      HttpResponse<String> identify =
          post(
              "/v1/identify",
              "{\"userId\":\""
                  + person[0]
                  + "\",\"traits\":{\"email\":\""
                  + person[1]
                  + "\",\"plan\":\""
                  + person[2]
                  + "\"}}",
              "Authorization",
              ws.basic());
      assertThat(identify.statusCode()).as(identify.body()).isEqualTo(200);
    }
    joined(ws, c, "pro@example.com");
    for (String outside : List.of("free@example.com", "stranger@example.com")) {
      HttpResponse<String> refused = join(ws, c, "{\"email\":\"" + outside + "\"}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      assertThat(json(refused).at("/error/details/0/field").asString()).isEqualTo("email");
      assertThat(json(refused).at("/error/details/0/reason").asString())
          .isEqualTo("not_in_audience");
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from campaign_participants where workspace_id = ?",
                Long.class,
                ws.id()))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ? and email like 'stranger%'",
                Long.class, ws.id()))
        .as("the refused join created no contact")
        .isZero();
  }

  @Test
  void theOwnStateNeedsTheTokenOfThisCampaign() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    String other = waitlist(ws, BETA);
    JsonNode ann = joined(ws, c, "ann@example.com");

    HttpResponse<String> none = me(ws, c, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).at("/error/details/0/reason").asString()).isEqualTo("missing");

    HttpResponse<String> wrong = me(ws, c, "pt_" + "x".repeat(32));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).at("/error/details/0/reason").asString()).isEqualTo("invalid_token");

    HttpResponse<String> elsewhere = me(ws, other, ann.path("participant_token").asString());
    assertThat(elsewhere.statusCode()).isEqualTo(401);
    assertThat(json(elsewhere).path("error").path("message").asString())
        .isEqualTo(json(wrong).path("error").path("message").asString());
  }

  @Test
  void aJoinIsIdempotentOnItsClientId() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    joined(ws, c, "ann@example.com");
    String body = "{\"email\":\"bob@example.com\",\"client_id\":\"cl-123\"}";

    HttpResponse<String> first = join(ws, c, body);
    HttpResponse<String> again = join(ws, c, body);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    JsonNode a = json(first);
    JsonNode b = json(again);
    assertThat(b.path("referral_code").asString()).isEqualTo(a.path("referral_code").asString());
    assertThat(b.path("position").asLong()).isEqualTo(2);
    assertThat(b.path("total").asLong()).isEqualTo(2);
    assertThat(participants(ws, c)).isEqualTo(2);
    // The replay hands out a new token; the first one stops working.
    assertThat(me(ws, c, a.path("participant_token").asString()).statusCode()).isEqualTo(401);
    assertThat(me(ws, c, b.path("participant_token").asString()).statusCode()).isEqualTo(200);

    // The same client_id with another e-mail hands out nothing and leaves the token alone.
    HttpResponse<String> reused =
        join(ws, c, "{\"email\":\"eve@example.com\",\"client_id\":\"cl-123\"}");
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(json(reused).at("/error/details/0/reason").asString()).isEqualTo("client_id_reused");
    assertThat(me(ws, c, b.path("participant_token").asString()).statusCode()).isEqualTo(200);

    // The same e-mail without the client_id is a second join: 409, and nothing about bob.
    HttpResponse<String> duplicate = join(ws, c, "{\"email\":\"Bob@Example.com\"}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(participants(ws, c)).isEqualTo(2);
  }

  /**
   * A retry of the very same join (same body, same client_id) replays it, whatever spelling of the
   * address the form sent: the stored address is the contact field's form (trimmed of Unicode
   * spaces, NFC), so the replay compares addresses by that rule, not by its own.
   */
  @Test
  void aRetryOfTheSameJoinReplaysItWhateverSpellingOfTheAddressItCarries() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    for (String email : List.of("zoe\u0308@example.com", "\u00a0ada@example.com\u00a0")) {
      String body = "{\"email\":\"" + email + "\",\"client_id\":\"cl-" + email.length() + "\"}";
      HttpResponse<String> first = join(ws, c, body);
      HttpResponse<String> again = join(ws, c, body);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
      assertThat(again.statusCode()).as("retry of " + body + ": " + again.body()).isEqualTo(200);
      assertThat(json(again).path("referral_code").asString())
          .isEqualTo(json(first).path("referral_code").asString());
    }
    assertThat(participants(ws, c)).isEqualTo(2);
  }

  @Test
  void concurrentJoinsGetUniqueGapFreePositionsAndRetriesOfOneJoinMakeOneParticipant()
      throws Exception {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    int people = 24;
    int retries = 6;
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<HttpResponse<String>>> joins = new ArrayList<>();
      for (int i = 0; i < people; i++) {
        String body = "{\"email\":\"p" + i + "@example.com\",\"client_id\":\"c-" + i + "\"}";
        joins.add(pool.submit(() -> join(ws, c, body)));
      }
      List<Future<HttpResponse<String>>> sameJoin = new ArrayList<>();
      for (int i = 0; i < retries; i++) {
        sameJoin.add(
            pool.submit(
                () -> join(ws, c, "{\"email\":\"retry@example.com\",\"client_id\":\"dbl\"}")));
      }
      List<Long> positions = new ArrayList<>();
      for (Future<HttpResponse<String>> f : joins) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      List<Integer> statuses = new ArrayList<>();
      JsonNode last = null;
      for (Future<HttpResponse<String>> f : sameJoin) {
        HttpResponse<String> r = f.get();
        statuses.add(r.statusCode());
        last = json(r);
      }
      assertThat(statuses).containsOnly(200, 201);
      assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
      assertThat(participants(ws, c)).isEqualTo(people + 1);
      // Positions read back through the widget (each one's latest token is the one it got).
      for (Future<HttpResponse<String>> f : joins) {
        positions.add(myState(ws, c, json(f.get())).path("position").asLong());
      }
      // Each replay replaced the token: only the latest one reads the state.
      HttpResponse<String> latest =
          join(ws, c, "{\"email\":\"retry@example.com\",\"client_id\":\"dbl\"}");
      assertThat(latest.statusCode()).isEqualTo(200);
      assertThat(json(latest).path("referral_code").asString())
          .isEqualTo(last.path("referral_code").asString());
      positions.add(myState(ws, c, json(latest)).path("position").asLong());
      assertThat(positions)
          .containsExactlyInAnyOrderElementsOf(
              LongStream.rangeClosed(1, people + 1).boxed().toList());
      assertThat(
              jdbc.queryForList(
                  "select join_seq from campaign_participants where workspace_id = ? and"
                      + " campaign_id = ? order by join_seq",
                  Long.class,
                  ws.id(),
                  c))
          .containsExactlyElementsOf(LongStream.rangeClosed(1, people + 1).boxed().toList());
      assertThat(
              jdbc.queryForList(
                  "select join_seq from campaign_participants where workspace_id = ? and"
                      + " campaign_id = ? order by created_at, join_seq",
                  Long.class,
                  ws.id(),
                  c))
          .as("joined_at follows the join order (it was the transaction's start)")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, people + 1).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondAddressTypedIntoTheReferrersOwnBrowserIsASelfReferralNotAFriend() {
    // The widgets send the visitor's anonymous id with a join. Until 2026-12-06 a widget join's
    // referral was checked by e-mail only: the referrer typing a second address into her own
    // browser (her share link opened there) moved her up as a friend would.
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    JsonNode ann =
        json(join(ws, c, "{\"email\":\"ann@example.com\",\"anonymous_id\":\"browser-1\"}"));
    String code = ann.path("referral_code").asString();

    HttpResponse<String> second =
        join(
            ws,
            c,
            "{\"email\":\"ann.other@example.net\",\"referral_code\":\""
                + code
                + "\",\"anonymous_id\":\"browser-1\"}");
    HttpResponse<String> friend =
        join(
            ws,
            c,
            "{\"email\":\"bob@example.com\",\"referral_code\":\""
                + code
                + "\",\"anonymous_id\":\"browser-2\"}");

    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(friend.statusCode()).as(friend.body()).isEqualTo(201);
    assertThat(
            jdbc.queryForList(
                "select p.email_normalized, r.state, r.reason from referrals r join"
                    + " campaign_participants p on p.workspace_id = r.workspace_id and"
                    + " p.campaign_id = r.campaign_id and p.contact_id = r.referee_contact_id"
                    + " where r.workspace_id = ? and r.campaign_id = ? order by p.join_seq",
                ws.id(),
                c))
        .extracting(m -> m.get("email_normalized") + " " + m.get("state") + " " + m.get("reason"))
        .containsExactly(
            "ann.other@example.net rejected same_anonymous_id", "bob@example.com qualified null");
    JsonNode after = myState(ws, c, ann);
    assertThat(after.path("qualified_referrals").asInt()).isEqualTo(1);
    assertThat(after.path("referrals").path("qualified").asLong()).isEqualTo(1);
  }

  @Test
  void aJoinsAnonymousIdIsAtMostTheLengthOfATrackingIdAndBlankIsNone() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    String emoji = "\uD83D\uDE00";

    HttpResponse<String> tooLong =
        join(ws, c, "{\"email\":\"a@example.com\",\"anonymous_id\":\"" + emoji.repeat(256) + "\"}");
    HttpResponse<String> longest =
        join(ws, c, "{\"email\":\"b@example.com\",\"anonymous_id\":\"" + emoji.repeat(255) + "\"}");
    HttpResponse<String> blank =
        join(ws, c, "{\"email\":\"c@example.com\",\"anonymous_id\":\"  \"}");

    assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
    assertThat(json(tooLong).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
    assertThat(json(tooLong).at("/error/details/0/reason").asString()).isEqualTo("too_long");
    assertThat(longest.statusCode()).as(longest.body()).isEqualTo(201);
    assertThat(blank.statusCode()).as(blank.body()).isEqualTo(201);
    assertThat(
            jdbc.queryForList(
                "select coalesce(length(join_anonymous_id), -1) from campaign_participants where"
                    + " workspace_id = ? and campaign_id = ? order by join_seq",
                Integer.class,
                ws.id(),
                c))
        .containsExactly(255, -1);
  }

  @Test
  void aFriendJoiningWithTheCodeMovesTheReferrerUp() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    joined(ws, c, "ann@example.com");
    joined(ws, c, "bob@example.com");
    JsonNode cat = joined(ws, c, "cat@example.com");
    assertThat(myState(ws, c, cat).path("position").asLong()).isEqualTo(3);

    // Typed in lower case from the share link: codes are case-insensitive.
    JsonNode dan =
        joined(ws, c, "dan@example.com", cat.path("referral_code").asString().toLowerCase());
    assertThat(dan.path("position").asLong()).isEqualTo(4);

    // Score 3 - 2 = 1 ties ann's 1; ann joined first.
    JsonNode after = myState(ws, c, cat);
    assertThat(after.path("position").asLong()).isEqualTo(2);
    assertThat(after.path("people_ahead").asLong()).isEqualTo(1);
    assertThat(after.path("total").asLong()).isEqualTo(4);
    assertThat(after.path("qualified_referrals").asInt()).isEqualTo(1);
    assertThat(after.path("referrals").path("qualified").asLong()).isEqualTo(1);

    // The public info shows the counts and cat on the leaderboard, masked.
    jdbc.update(
        "update contacts set traits = '{\"first_name\":\"Catherine Ann\",\"last_name\":\"smith\"}'"
            + " where workspace_id = ? and lower(email) = 'cat@example.com'",
        ws.id());
    JsonNode campaign = json(info(ws, c));
    assertThat(campaign.path("counts").path("participants").asLong()).isEqualTo(4);
    assertThat(campaign.path("counts").path("waiting").asLong()).isEqualTo(4);
    assertThat(campaign.path("leaderboard")).hasSize(1);
    assertThat(campaign.at("/leaderboard/0/name").asString()).isEqualTo("Catherine S.");
    assertThat(campaign.at("/leaderboard/0/referrals").asLong()).isEqualTo(1);
    assertThat(campaign.at("/leaderboard/0/rank").asInt()).isEqualTo(1);
  }

  @Test
  void thePublicInfoDescribesWhatTheWidgetRenders() {
    Workspace ws = newWorkspace();
    String c =
        campaign(
            ws,
            "referral",
            "active",
            "{\"landing_url\":\"https://shop.example.com/?utm=x\",\"qualifying_event\":"
                + "{\"event\":\"Order Completed\"},\"reward_rules\":[{\"side\":\"both\",\"every\":1,"
                + "\"reward\":{\"type\":\"credit\",\"amount\":10,\"currency\":\"usd\","
                + "\"description\":\"$10 each\"}}]}");
    HttpResponse<String> r = info(ws, c);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode info = json(r);
    assertThat(info.path("object").asString()).isEqualTo("widget_campaign");
    assertThat(info.path("type").asString()).isEqualTo("referral");
    assertThat(info.path("status").asString()).isEqualTo("active");
    assertThat(info.at("/referral/landing_url").asString())
        .isEqualTo("https://shop.example.com/?utm=x");
    assertThat(info.at("/referral/share_parameter").asString()).isEqualTo("ref");
    assertThat(info.at("/referral/rewards/0/reward/currency").asString()).isEqualTo("USD");
    assertThat(info.at("/referral/rewards/0/reward/description").asString()).isEqualTo("$10 each");
    assertThat(info.at("/counts/waiting").isNull()).isTrue();
    assertThat(info.has("settings")).as("internal settings stay internal").isFalse();
    assertThat(r.body()).doesNotContain("Order Completed", "velocity", "approval");

    // A referral program: referral counts, no position; a friend's referral waits for the event.
    JsonNode ada = joined(ws, c, "ada@example.com");
    assertThat(ada.path("position").isNull()).isTrue();
    assertThat(ada.path("share_url").asString())
        .isEqualTo("https://shop.example.com/?utm=x&ref=" + ada.path("referral_code").asString());
    joined(ws, c, "bea@example.com", ada.path("referral_code").asString());
    JsonNode state = myState(ws, c, ada);
    assertThat(state.path("referrals").path("pending").asLong()).isEqualTo(1);
    assertThat(state.path("qualified_referrals").asInt()).isZero();
    // Nobody qualified yet: an empty board, and someone without a first name shows as Someone.
    assertThat(json(info(ws, c)).path("leaderboard")).isEmpty();
    assertThat(json(info(ws, c)).at("/counts/participants").asLong()).isEqualTo(2);
  }

  @Test
  void anotherWorkspacesCampaignIsNotFoundLikeOneThatDoesNotExist() {
    Workspace mine = newWorkspace();
    Workspace theirs = newWorkspace();
    String c = waitlist(theirs, BETA);
    JsonNode token = joined(theirs, c, "ann@example.com");
    String unknown = "cmp_" + "0".repeat(23);

    for (String id : List.of(c, unknown)) {
      HttpResponse<String> info = info(mine, id);
      HttpResponse<String> join = join(mine, id, "{\"email\":\"x@example.com\"}");
      HttpResponse<String> me = me(mine, id, token.path("participant_token").asString());
      for (HttpResponse<String> r : List.of(info, join, me)) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(json(r).path("error").path("code").asString()).isEqualTo("not_found");
      }
    }
    assertThat(participants(theirs, c)).isEqualTo(1);
    assertThat(json(info(mine, c)).path("error").path("message").asString().replace(c, "ID"))
        .isEqualTo(
            json(info(mine, unknown))
                .path("error")
                .path("message")
                .asString()
                .replace(unknown, "ID"));
  }

  @Test
  void onlyActiveCampaignsInsideTheirDatesAnswer() {
    Workspace ws = newWorkspace();
    Instant now = Instant.now();
    Duration day = Duration.ofDays(1);
    List<String> silent =
        List.of(
            campaign(ws, "waitlist", "draft", BETA),
            campaign(ws, "waitlist", "paused", BETA),
            campaign(ws, "waitlist", "ended", BETA),
            campaign(ws, "waitlist", "active", BETA, now.plus(day), null),
            campaign(
                ws, "waitlist", "active", BETA, now.minus(day.multipliedBy(2)), now.minus(day)),
            campaign(ws, "survey", "active", null));
    for (String c : silent) {
      assertThat(info(ws, c).statusCode()).as(c).isEqualTo(404);
      assertThat(join(ws, c, "{\"email\":\"a@example.com\"}").statusCode()).as(c).isEqualTo(404);
      assertThat(me(ws, c, "pt_" + "y".repeat(32)).statusCode()).as(c).isEqualTo(404);
    }
    String live = campaign(ws, "waitlist", "active", BETA, now.minus(day), now.plus(day));
    assertThat(info(ws, live).statusCode()).isEqualTo(200);

    // A participant of a campaign that is paused later can no longer read its state.
    JsonNode ann = joined(ws, live, "ann@example.com");
    jdbc.update(
        "update campaigns set status = 'paused' where workspace_id = ? and id = ?", ws.id(), live);
    assertThat(me(ws, live, ann.path("participant_token").asString()).statusCode()).isEqualTo(404);
  }

  @Test
  void joinBodiesAreStrict() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);

    HttpResponse<String> unknown =
        join(ws, c, "{\"email\":\"a@example.com\",\"first_name\":\"Ada\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).at("/error/details/0/field").asString()).isEqualTo("first_name");
    assertThat(json(unknown).at("/error/details/0/reason").asString()).isEqualTo("unknown_field");

    HttpResponse<String> bodyKey =
        join(ws, c, "{\"email\":\"a@example.com\",\"writeKey\":\"" + ws.writeKey() + "\"}");
    assertThat(bodyKey.statusCode()).isEqualTo(400);

    assertThat(json(join(ws, c, "{}")).at("/error/details/0/field").asString()).isEqualTo("email");
    assertThat(
            json(join(ws, c, "{\"email\":\"not-an-address\"}"))
                .at("/error/details/0/field")
                .asString())
        .isEqualTo("email");
    assertThat(
            join(ws, c, "{\"email\":\"a@example.com\",\"client_id\":\"has space\"}").statusCode())
        .isEqualTo(400);
    assertThat(join(ws, c, "[1]").statusCode()).isEqualTo(400);
    assertThat(join(ws, c, "{\"email\":").statusCode()).isEqualTo(400);
    assertThat(participants(ws, c)).isZero();

    // The write key goes in the header: in the body it does not authenticate.
    HttpResponse<String> noHeader =
        postJson(
            "/v1/widgets/campaigns/" + c + "/participants",
            "{\"email\":\"a@example.com\",\"writeKey\":\"" + ws.writeKey() + "\"}");
    assertThat(noHeader.statusCode()).isEqualTo(401);
    assertThat(get("/v1/widgets/campaigns/" + c).statusCode()).isEqualTo(401);
  }

  @Test
  void eachJoinFieldOfTheWrongJsonTypeIsRefusedOnceNamingItAndNothingIsStored() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    String[][] cases = {
      {"email", "123"},
      {"email", "true"},
      {"email", "{\"a\":1}"},
      {"email", "[\"a@example.com\"]"},
      {"referral_code", "123"},
      {"referral_code", "1.5"},
      {"referral_code", "false"},
      {"referral_code", "{}"},
      {"referral_code", "[\"7K3MQ2ZD\"]"},
      {"client_id", "123"},
      {"client_id", "true"},
      {"client_id", "{}"},
      {"client_id", "[]"},
      {"anonymous_id", "123"},
      {"anonymous_id", "{}"},
    };
    for (String[] k : cases) {
      String body =
          "email".equals(k[0])
              ? "{\"email\":" + k[1] + "}"
              : "{\"email\":\"a@example.com\",\"" + k[0] + "\":" + k[1] + "}";

      HttpResponse<String> r = join(ws, c, body);

      assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
      JsonNode details = json(r).at("/error/details");
      assertThat(details.size()).as(r.body()).isEqualTo(1);
      assertThat(details.at("/0/field").asString()).as(r.body()).isEqualTo(k[0]);
      assertThat(details.at("/0/reason").asString()).as(r.body()).isEqualTo("invalid_type");
    }
    assertThat(participants(ws, c)).isZero();
  }

  @Test
  void aJoinTakesTheAddressesAContactsEmailFieldTakesAndNoOther() {
    // ContactEmail's rule, as identify's email trait and the Management API's email field: an
    // address with whitespace inside is no address (it created a contact with it before).
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    for (String bad : new String[] {"a b@example.com", "ann@exa mple.com", "@example.com"}) {
      HttpResponse<String> r = join(ws, c, "{\"email\":\"" + bad + "\"}");
      assertThat(r.statusCode()).as(bad + " -> " + r.body()).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("email");
      assertThat(json(r).at("/error/details/0/reason").asString()).isEqualTo("invalid_email");
    }
    assertThat(participants(ws, c)).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ?", Long.class, ws.id()))
        .isZero();
    joined(ws, c, "ann@example.com");
  }

  /**
   * Addresses the contact's email field takes (ContactEmail.isAddress) but the self-referral key
   * cannot fold (EmailNormalizer: nothing left once the +tag or Gmail's dots are dropped): an
   * e-mail-to-SMS address such as "+15551234567@tmomail.net" is a real mailbox. A join takes them,
   * as identify and the Management API take them as a contact's field.
   */
  /**
   * A landing URL may carry parameters of its own, a {@code ref} among them ("?ref=launch" of an
   * ad). The share link must still carry the participant's code where every reader looks first: the
   * components and the SDK read the first {@code ref} (URLSearchParams.get), ingest attribution too
   * ({@code ReferralContext}). Appending a second {@code ref} left the landing URL's in front, so
   * no friend's visit or join was ever attributed.
   */
  @Test
  void theShareLinkCarriesTheParticipantsCodeEvenWhenTheLandingUrlHasARefOfItsOwn() {
    Workspace ws = newWorkspace();
    String c =
        waitlist(ws, "{\"landing_url\": \"https://example.com/beta?ref=launch&utm_source=ph\"}");
    JsonNode ann = joined(ws, c, "ann@example.com");
    String code = ann.path("referral_code").asString();
    String share = ann.path("share_url").asString();
    assertThat(
            io.growthos.core.campaigns.ReferralContext.code(
                "{\"page\": {\"url\": \"" + share + "\"}}"))
        .as(share)
        .contains(code);
    assertThat(share).isEqualTo("https://example.com/beta?utm_source=ph&ref=" + code);
  }

  @Test
  void aJoinTakesAddressesTheSelfReferralKeyCannotFold() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    for (String address : List.of("+15551234567@tmomail.net", "...@gmail.com")) {
      HttpResponse<String> r = join(ws, c, "{\"email\":\"" + address + "\"}");
      assertThat(r.statusCode()).as(address + " -> " + r.body()).isEqualTo(201);
    }
    assertThat(participants(ws, c)).isEqualTo(2);
  }

  @Test
  void aJoinTakesAddressesAsLongAsAContactsEmailFieldTakes() {
    // ContactEmail.MAX_CHARS (320), as the Management API's join and identify: the widget capped
    // at 254, so an address the server-side join took was 400 from the page.
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    String longest = "a".repeat(320 - "@example.com".length()) + "@example.com";
    joined(ws, c, longest);
    HttpResponse<String> over = join(ws, c, "{\"email\":\"b" + longest + "\"}");
    assertThat(over.statusCode()).as(over.body()).isEqualTo(400);
    assertThat(json(over).at("/error/details/0/field").asString()).isEqualTo("email");
    assertThat(json(over).at("/error/details/0/reason").asString()).isEqualTo("too_long");
  }

  @Test
  void widgetTimestampsAreRfc3339UtcWithMilliseconds() {
    // SPEC §2, as the Management API writes them: exactly three fractional digits, also when they
    // are zero (Jackson's default wrote 2026-01-01T00:00:00Z) or when PostgreSQL kept micros.
    Workspace ws = newWorkspace();
    String c =
        campaign(
            ws,
            "waitlist",
            "active",
            BETA,
            Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2999-01-01T00:00:00.123456Z"));
    java.util.regex.Pattern millis =
        java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    JsonNode campaign = json(info(ws, c));
    assertThat(campaign.path("starts_at").asString()).isEqualTo("2020-01-01T00:00:00.000Z");
    assertThat(campaign.path("ends_at").asString()).isEqualTo("2999-01-01T00:00:00.123Z");

    JsonNode ann = joined(ws, c, "ann@example.com");
    assertThat(ann.path("joined_at").asString()).matches(millis);
    assertThat(myState(ws, c, ann).path("joined_at").asString()).matches(millis);
  }

  @Test
  void aNullReferralCodeOrClientIdIsTheSameAsLeavingItOut() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);

    HttpResponse<String> r =
        join(ws, c, "{\"email\":\"a@example.com\",\"referral_code\":null,\"client_id\":null}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /**
   * A join whose check of the campaign happened before an operator's pause committed, and whose
   * write would commit after it, is refused (404, nothing stored): the join is accepted only if the
   * campaign is live when its transaction holds the campaign. Forced interleaving: the test holds
   * the campaign's counter row (as a concurrent join does), waits until the widget join is blocked
   * behind it, commits the pause, then lets the join go on.
   */
  @Test
  void aJoinRacingAPauseOfTheCampaignIsRefusedOnceThePauseCommitted() throws Exception {
    for (String change :
        List.of("status = 'paused'", "status = 'ended'", "ends_at = now() - interval '1 second'")) {
      Workspace ws = newWorkspace();
      String c = waitlist(ws, BETA);
      CompletableFuture<HttpResponse<String>> raced =
          tx().execute(
                  status -> {
                    jdbc.queryForList(
                        "select last_join_seq from campaign_counters where workspace_id = ? and"
                            + " campaign_id = ? for update",
                        ws.id(),
                        c);
                    CompletableFuture<HttpResponse<String>> sent =
                        CompletableFuture.supplyAsync(
                            () -> join(ws, c, "{\"email\":\"ann@example.com\"}"));
                    LockWaits.awaitLockWait(dataSource, sent, "%campaign_counters%");
                    // The operator's change, in its own transaction, committed now.
                    CompletableFuture.runAsync(
                            () ->
                                jdbc.update(
                                    "update campaigns set "
                                        + change
                                        + " where workspace_id = ? and id = ?",
                                    ws.id(),
                                    c))
                        .join();
                    return sent;
                  });
      HttpResponse<String> r = raced.get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(change + ": " + r.body()).isEqualTo(404);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("id");
      assertThat(participants(ws, c)).as(change).isZero();
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from webhook_outbox where workspace_id = ? and type ="
                      + " 'waitlist.joined'",
                  Long.class,
                  ws.id()))
          .isZero();
    }
  }

  /**
   * A join racing the deletion of its campaign (which locks the counter, then the campaign's row,
   * then deletes it, as the Management API does) waits for it and is 404: no deadlock between the
   * join's lock of the campaign row and the deletion's, no 409 or 500.
   */
  @Test
  void aJoinRacingTheDeletionOfTheCampaignIsNotFound() throws Exception {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    CompletableFuture<HttpResponse<String>> raced =
        tx().execute(
                status -> {
                  jdbc.queryForList(
                      "select last_join_seq from campaign_counters where workspace_id = ? and"
                          + " campaign_id = ? for update",
                      ws.id(),
                      c);
                  CompletableFuture<HttpResponse<String>> sent =
                      CompletableFuture.supplyAsync(
                          () -> join(ws, c, "{\"email\":\"ann@example.com\"}"));
                  LockWaits.awaitLockWait(dataSource, sent, "%campaign_counters%");
                  jdbc.queryForList(
                      "select id from campaigns where workspace_id = ? and id = ? for update",
                      ws.id(),
                      c);
                  jdbc.update(
                      "delete from campaigns where workspace_id = ? and id = ?", ws.id(), c);
                  return sent;
                });
    HttpResponse<String> r = raced.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("id");
    assertThat(participants(ws, c)).isZero();
  }

  /**
   * The widget's counts are the people in the campaign, as the Management API's stats count them: a
   * participant removed with its contact (a deletion) leaves {@code participants} as it leaves
   * {@code waiting}. The join counter used to count every join ever made, so the widget kept
   * showing the deleted person ("3 people joined") while the stats said 2.
   */
  @Test
  void theWidgetsParticipantCountLeavesOutParticipantsDeletedWithTheirContact() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    joined(ws, c, "ann@example.com");
    joined(ws, c, "bob@example.com");
    joined(ws, c, "cat@example.com");
    String bob =
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and email = 'bob@example.com'",
            String.class,
            ws.id());
    tx().executeWithoutResult(
            s ->
                new io.growthos.core.contacts.ContactDeletion(
                        jdbc, new io.growthos.core.contacts.ContactSuppressions(jdbc))
                    .delete(ws.id(), bob));

    JsonNode counts = json(info(ws, c)).path("counts");
    assertThat(counts.path("participants").asLong()).isEqualTo(participants(ws, c)).isEqualTo(2);
    assertThat(counts.path("waiting").asLong()).isEqualTo(2);
    // A later join counts once more, and takes the next place.
    assertThat(joined(ws, c, "dan@example.com").path("position").asLong()).isEqualTo(3);
    assertThat(json(info(ws, c)).at("/counts/participants").asLong()).isEqualTo(3);
  }

  /**
   * Positions after deletions stay gap-free and keep credits: the people behind a deleted
   * participant move up, and a referrer keeps the places its deleted referee's qualified referral
   * gave it (the referral is the referrer's record).
   */
  @Test
  void positionsCloseUpWhenAParticipantIsDeletedAndCreditsStay() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA); // 2 spots per referral
    JsonNode ann = joined(ws, c, "ann@example.com");
    JsonNode bob = joined(ws, c, "bob@example.com");
    JsonNode cat = joined(ws, c, "cat@example.com");
    joined(ws, c, "dan@example.com", cat.path("referral_code").asString());
    // Scores: ann 1, bob 2, cat 3 - 2 = 1 (after ann: joined later), dan 4.
    assertThat(myState(ws, c, ann).path("position").asLong()).isEqualTo(1);
    assertThat(myState(ws, c, cat).path("position").asLong()).isEqualTo(2);
    assertThat(myState(ws, c, bob).path("position").asLong()).isEqualTo(3);

    deleteContact(ws, "ann@example.com");
    deleteContact(ws, "dan@example.com");

    JsonNode catNow = myState(ws, c, cat);
    assertThat(catNow.path("position").asLong()).isEqualTo(1);
    assertThat(catNow.path("qualified_referrals").asInt()).isEqualTo(1);
    assertThat(catNow.path("total").asLong()).isEqualTo(2);
    assertThat(myState(ws, c, bob).path("position").asLong()).isEqualTo(2);
    assertThat(json(info(ws, c)).path("counts").path("waiting").asLong()).isEqualTo(2);
  }

  private void deleteContact(Workspace ws, String email) {
    String contact =
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and email = ?",
            String.class,
            ws.id(),
            email);
    tx().executeWithoutResult(
            s ->
                new io.growthos.core.contacts.ContactDeletion(
                        jdbc, new io.growthos.core.contacts.ContactSuppressions(jdbc))
                    .delete(ws.id(), contact));
  }

  private TransactionTemplate tx() {
    return new TransactionTemplate(new JdbcTransactionManager(dataSource));
  }

  private long participants(Workspace ws, String campaign) {
    return jdbc.queryForObject(
        "select count(*) from campaign_participants where workspace_id = ? and campaign_id = ?",
        Long.class,
        ws.id(),
        campaign);
  }
}
