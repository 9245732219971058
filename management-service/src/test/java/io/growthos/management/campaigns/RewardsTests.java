package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.AtOnce;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rewards of referral programs over the Management API: reward rules fire on qualified referrals
 * (here: programs without a qualifying event, so a join with a code qualifies at once), manual and
 * automatic approval, the state machine of the approve/reject/fulfil routes, and the webhook events
 * each change writes to the outbox in its transaction.
 */
class RewardsTests extends ApiTestSupport {

  private String program(Tenant t, String rules, String approval) {
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"referral\", \"name\": \"Refer\", \"status\": \"active\", \"settings\":"
                + " {\"landing_url\": \"https://example.com/r\", \"approval\": \""
                + approval
                + "\", \"reward_rules\": "
                + rules
                + "}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private List<JsonNode> rewards(Tenant t, String campaign, String query) {
    Response r = get("/v1/campaigns/" + campaign + "/rewards" + query, t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    r.body().path("data").forEach(out::add);
    return out;
  }

  private List<Map<String, Object>> outbox(Tenant t, String type) {
    return jdbc.queryForList(
        "select id, payload::text as payload from webhook_outbox where workspace_id = ? and type ="
            + " ? order by id",
        t.workspaceId(),
        type);
  }

  private static final String EVERY_TWO_REFERRER =
      "[{\"side\": \"referrer\", \"every\": 2, \"reward\": {\"type\": \"cash\", \"amount\": 25,"
          + " \"currency\": \"EUR\"}}]";

  @Test
  void everyNthQualifiedReferralIssuesAPendingRewardUnderManualApproval() {
    Tenant t = newTenant();
    String c = program(t, EVERY_TWO_REFERRER, "manual");
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    join(t, c, "f1@example.com", code);
    assertThat(rewards(t, c, "")).isEmpty();
    join(t, c, "f2@example.com", code);
    join(t, c, "f3@example.com", code);
    List<JsonNode> issued = rewards(t, c, "");
    assertThat(issued).hasSize(1);
    JsonNode reward = issued.get(0);
    assertThat(reward.path("id").asString()).startsWith("rwd_");
    assertThat(reward.path("state").asString()).isEqualTo("pending");
    assertThat(reward.path("side").asString()).isEqualTo("referrer");
    assertThat(reward.path("amount").decimalValue()).isEqualByComparingTo("25");
    assertThat(reward.path("currency").asString()).isEqualTo("EUR");
    // The two referrals that earned it are rewarded; the third waits for the next one.
    List<String> states = new java.util.ArrayList<>();
    get("/v1/campaigns/" + c + "/referrals", t.key())
        .body()
        .path("data")
        .forEach(r -> states.add(r.path("state").asString()));
    assertThat(states).containsExactlyInAnyOrder("rewarded", "rewarded", "qualified");
    assertThat(outbox(t, "reward.created")).hasSize(1);
    assertThat(outbox(t, "reward.approved")).isEmpty();
  }

  @Test
  void approveThenFulfilMovesTheRewardAndEmitsEachStep() {
    Tenant t = newTenant();
    String path = pendingReward(t).path();

    Response early = post(path + "/fulfil", t.key(), "");
    assertThat(early.status()).isEqualTo(422);
    assertThat(early.firstDetail().path("field").asString()).isEqualTo("state");
    assertThat(early.firstDetail().path("reason").asString()).isEqualTo("invalid_transition");

    Response approved = post(path + "/approve", t.key(), "", "Idempotency-Key", "approve-1");
    assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
    assertThat(approved.body().path("state").asString()).isEqualTo("approved");
    assertThat(approved.body().path("approved_at").asString()).matches(".*\\.\\d{3}Z");
    assertThat(approved.body().path("version").asInt()).isEqualTo(2);
    // A replay under the same key answers the same; approving again changes nothing.
    assertThat(post(path + "/approve", t.key(), "", "Idempotency-Key", "approve-1").body())
        .isEqualTo(approved.body());
    assertThat(post(path + "/approve", t.key(), "").body().path("version").asInt()).isEqualTo(2);

    Response fulfilled = post(path + "/fulfil", t.key(), "");
    assertThat(fulfilled.body().path("state").asString()).isEqualTo("fulfilled");
    assertThat(post(path + "/reject", t.key(), "").status()).isEqualTo(422);
    assertThat(get(path, t.key()).body()).isEqualTo(fulfilled.body());

    assertThat(outbox(t, "reward.approved")).hasSize(1);
    List<Map<String, Object>> done = outbox(t, "reward.fulfilled");
    assertThat(done).hasSize(1);
    // The payload is the reward as the API returns it.
    assertThat(JSON.readTree((String) done.get(0).get("payload"))).isEqualTo(fulfilled.body());
  }

  @Test
  void rejectKeepsTheReasonAndIsFinal() {
    Tenant t = newTenant();
    PendingReward pending = pendingReward(t);
    String c = pending.campaign();
    String path = pending.path();
    assertThat(post(path + "/reject", t.key(), "{\"nope\": 1}").status()).isEqualTo(400);
    Response rejected = post(path + "/reject", t.key(), "{\"reason\": \"refunded order\"}");
    assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
    assertThat(rejected.body().path("state").asString()).isEqualTo("rejected");
    assertThat(rejected.body().path("reason").asString()).isEqualTo("refunded order");
    assertThat(post(path + "/approve", t.key(), "").status()).isEqualTo(422);
    assertThat(rewards(t, c, "?state=rejected")).hasSize(1);
    assertThat(rewards(t, c, "?state=pending")).isEmpty();
    assertThat(get("/v1/campaigns/" + c + "/rewards?state=bogus", t.key()).status()).isEqualTo(400);
  }

  /**
   * A rejection's reason is "at most 500 characters", counted as every text limit of both services
   * is (TextLength: code points, an emoji is one): 500 emoji are taken, 501 characters are not.
   */
  @Test
  void aRejectionReasonOf500CharactersIsTakenWhateverTheCharacters() {
    Tenant t = newTenant();
    String path = pendingReward(t).path();
    String tooLong = "x".repeat(501);
    Response refused = post(path + "/reject", t.key(), json(Map.of("reason", tooLong)));
    assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
    assertThat(refused.firstDetail().path("field").asString()).isEqualTo("reason");
    String emoji = "\uD83D\uDCB8".repeat(500);
    Response rejected = post(path + "/reject", t.key(), json(Map.of("reason", emoji)));
    assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
    assertThat(rejected.body().path("reason").asString()).isEqualTo(emoji);
  }

  @Test
  void autoApprovalMilestonesBothSidesAndLimits() {
    Tenant t = newTenant();
    String c =
        program(
            t,
            "[{\"side\": \"both\", \"milestones\": [1, 3], \"reward\": {\"type\": \"discount\","
                + " \"amount\": 10}}, {\"side\": \"referee\", \"every\": 1, \"limit\": 2,"
                + " \"reward\": {\"type\": \"custom\", \"description\": \"sticker\"}}]",
            "auto");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    String code = referrer.path("referral_code").asString();
    JsonNode f1 = join(t, c, "f1@example.com", code);
    join(t, c, "f2@example.com", code);
    join(t, c, "f3@example.com", code);
    join(t, c, "f4@example.com", code);
    List<JsonNode> all = rewards(t, c, "?limit=100");
    // Milestones 1 and 3 for both sides (4 rewards), stickers for the first two referees (limit 2).
    assertThat(all).hasSize(6);
    assertThat(all).allMatch(r -> r.path("state").asString().equals("approved"));
    assertThat(all.stream().filter(r -> r.path("rule_index").asInt() == 1))
        .hasSize(2)
        .allMatch(r -> r.path("side").asString().equals("referee"));
    assertThat(
            all.stream()
                .filter(r -> r.path("side").asString().equals("referee"))
                .map(r -> r.path("participant_id").asString()))
        .contains(f1.path("id").asString());
    assertThat(
            all.stream()
                .filter(r -> r.path("side").asString().equals("referrer"))
                .map(r -> r.path("participant_id").asString()))
        .containsOnly(referrer.path("id").asString());
    assertThat(outbox(t, "reward.created")).hasSize(6);
    assertThat(outbox(t, "reward.approved")).hasSize(6);
  }

  @Test
  void aJoinWithACodeQualifiesAtOnceWhenTheQualifyingEventWasStoredBefore() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"referral\", \"name\": \"R\", \"status\": \"active\", \"settings\":"
                + " {\"landing_url\": \"https://example.com/r\", \"qualifying_event\": {\"event\":"
                + " \"Order Completed\", \"where\": [{\"field\": \"properties.n\", \"op\": \"gte\","
                + " \"value\": 1}]}}}");
    String c = created.body().path("id").asString();
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    String buyer = insertContact(t.workspaceId(), "buyer", "{}");
    jdbc.update(
        "update contacts set email = 'buyer@example.com' where workspace_id = ? and id = ?",
        t.workspaceId(),
        buyer);
    insertEvent(t.workspaceId(), buyer, "buyer", "Order Completed");
    join(t, c, "other@example.com", code);
    join(t, c, "buyer@example.com", code);
    List<String> states = new java.util.ArrayList<>();
    get("/v1/campaigns/" + c + "/referrals", t.key())
        .body()
        .path("data")
        .forEach(r -> states.add(r.path("state").asString()));
    // Newest first: the buyer's referral qualified at once, the other still waits.
    assertThat(states).containsExactly("qualified", "pending");
  }

  private static final String ONE_PER_REFERRER =
      "[{\"side\": \"referrer\", \"every\": 1, \"limit\": 1, \"reward\": {\"type\":"
          + " \"cash\", \"amount\": 10, \"currency\": \"EUR\"}}]";

  /**
   * A rule's {@code limit} counts the rewards the referrer holds or was given (pending, approved,
   * fulfilled), not those the operator rejected: after a rejection the next qualified referral
   * earns the reward again, and the one after it does not (the limit is reached again).
   */
  @Test
  void aRejectedRewardNoLongerCountsTowardItsRulesLimit() {
    Tenant t = newTenant();
    String c = program(t, ONE_PER_REFERRER, "manual");
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    join(t, c, "f1@example.com", code);
    String first = rewards(t, c, "").get(0).path("id").asString();
    Response rejected = post("/v1/campaigns/" + c + "/rewards/" + first + "/reject", t.key(), "");
    assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);

    join(t, c, "f2@example.com", code);
    assertThat(rewards(t, c, "?state=pending")).hasSize(1);
    join(t, c, "f3@example.com", code);
    assertThat(rewards(t, c, "?state=pending")).hasSize(1);
    assertThat(rewards(t, c, "?limit=100")).hasSize(2);
    assertThat(outbox(t, "reward.created")).hasSize(2);
  }

  /**
   * A reward voided because its contact was deleted (reason {@code contact_deleted}) no longer
   * counts toward the limit either: here a referee-side rule with limit 1, whose first referee
   * deleted their account before the reward was approved, gives the reward to the next referee.
   */
  @Test
  void aRewardVoidedByAContactDeletionNoLongerCountsTowardItsRulesLimit() {
    Tenant t = newTenant();
    String c =
        program(
            t,
            "[{\"side\": \"referee\", \"every\": 1, \"limit\": 1, \"reward\": {\"type\":"
                + " \"discount\", \"amount\": 10}}]",
            "manual");
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    JsonNode f1 = join(t, c, "f1@example.com", code);
    Response deleted = delete("/v1/contacts/" + f1.path("contact_id").asString(), t.key());
    assertThat(deleted.status()).as(deleted.raw()).isIn(200, 204);
    assertThat(rewards(t, c, "?state=rejected").get(0).path("reason").asString())
        .isEqualTo("contact_deleted");

    JsonNode f2 = join(t, c, "f2@example.com", code);
    List<JsonNode> pending = rewards(t, c, "?state=pending");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).path("participant_id").asString())
        .isEqualTo(f2.path("id").asString());
    join(t, c, "f3@example.com", code);
    assertThat(rewards(t, c, "?state=pending")).hasSize(1);
  }

  /**
   * Concurrent conversions never exceed a limit, before or after rejections: twenty referees at
   * once under "every 1, limit 5" give five rewards; two of them rejected, twenty more at once give
   * exactly two more.
   */
  @Test
  void concurrentConversionsNeverExceedTheLimitOfLiveRewards() throws Exception {
    Tenant t = newTenant();
    String c =
        program(
            t,
            "[{\"side\": \"referrer\", \"every\": 1, \"limit\": 5, \"reward\": {\"type\":"
                + " \"cash\", \"amount\": 10, \"currency\": \"EUR\"}}]",
            "manual");
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    joinAtOnce(t, c, code, "a", 20);
    List<JsonNode> first = rewards(t, c, "?limit=100");
    assertThat(first).hasSize(5);
    for (JsonNode r : first.subList(0, 2)) {
      assertThat(
              post(
                      "/v1/campaigns/" + c + "/rewards/" + r.path("id").asString() + "/reject",
                      t.key(),
                      "")
                  .status())
          .isEqualTo(200);
    }
    joinAtOnce(t, c, code, "b", 20);
    assertThat(rewards(t, c, "?limit=100")).hasSize(7);
    assertThat(rewards(t, c, "?state=pending&limit=100")).hasSize(5);
    assertThat(outbox(t, "reward.created")).hasSize(7);
  }

  private void joinAtOnce(Tenant t, String c, String code, String prefix, int joiners)
      throws Exception {
    List<Response> joined =
        AtOnce.times(
            joiners,
            i -> {
              String body =
                  json(Map.of("email", prefix + i + "@example.com", "referral_code", code));
              return () -> post("/v1/campaigns/" + c + "/participants", t.key(), body);
            });
    for (Response r : joined) {
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }
  }

  /**
   * Twenty referees of one referrer join at the same time, every second one firing the rule: each
   * threshold fires once (ten rewards, no lost or doubled count), the referrer has twenty qualified
   * referrals, and every referral that earned a reward is rewarded.
   */
  @Test
  void concurrentConversionsOfOneReferrerFireEachThresholdExactlyOnce() throws Exception {
    Tenant t = newTenant();
    String c = program(t, EVERY_TWO_REFERRER, "manual");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    String code = referrer.path("referral_code").asString();
    int joiners = 20;
    joinAtOnce(t, c, code, "f", joiners);
    assertThat(rewards(t, c, "?limit=100")).hasSize(joiners / 2);
    assertThat(outbox(t, "reward.created")).hasSize(joiners / 2);
    assertThat(
            get("/v1/campaigns/" + c + "/participants/" + referrer.path("id").asString(), t.key())
                .body()
                .path("qualified_referrals")
                .asInt())
        .isEqualTo(joiners);
    JsonNode stats = get("/v1/campaigns/" + c + "/stats", t.key()).body();
    assertThat(stats.path("referrals").path("rewarded").asLong()).isEqualTo(joiners);
    assertThat(stats.path("referrals").path("qualified").asLong()).isZero();
  }

  /**
   * Eight approvals of one reward at once: all answer the approved reward, one event is written.
   */
  @Test
  void concurrentApprovalsOfOneRewardApproveItOnce() throws Exception {
    Tenant t = newTenant();
    String path = pendingReward(t).path();
    for (Response r : AtOnce.times(8, i -> () -> post(path + "/approve", t.key(), ""))) {
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      assertThat(r.body().path("state").asString()).isEqualTo("approved");
      assertThat(r.body().path("version").asInt()).isEqualTo(2);
    }
    assertThat(outbox(t, "reward.approved")).hasSize(1);
  }

  @Test
  void rewardsOfAnotherWorkspaceAreNotFoundAndAWaitlistHasNone() {
    Tenant t = newTenant();
    Tenant other = newTenant();
    String c = program(t, EVERY_TWO_REFERRER, "manual");
    assertThat(get("/v1/campaigns/" + c + "/rewards", other.key()).status()).isEqualTo(404);
    String w =
        post("/v1/campaigns", t.key(), "{\"type\": \"waitlist\", \"name\": \"W\"}")
            .body()
            .path("id")
            .asString();
    Response waitlist = get("/v1/campaigns/" + w + "/rewards", t.key());
    assertThat(waitlist.status()).isEqualTo(422);
    assertThat(waitlist.firstDetail().path("reason").asString()).isEqualTo("not_supported");
    assertThat(post("/v1/campaigns/" + c + "/rewards/rwd_nope/approve", t.key(), "").status())
        .isEqualTo(404);
  }

  @Test
  void campaignJoinsAndStatusChangesReachTheOutbox() {
    Tenant t = newTenant();
    Response w =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"W\", \"settings\": {\"require_verification\":"
                + " true}}");
    String c = w.body().path("id").asString();
    Response active = patch("/v1/campaigns/" + c, t.key(), "{\"status\": \"active\"}");
    List<Map<String, Object>> changed = outbox(t, "campaign.status_changed");
    assertThat(changed).hasSize(1);
    assertThat(JSON.readTree((String) changed.get(0).get("payload"))).isEqualTo(active.body());
    patch("/v1/campaigns/" + c, t.key(), "{\"name\": \"renamed\"}");
    assertThat(outbox(t, "campaign.status_changed")).hasSize(1);

    JsonNode a = join(t, c, "a@example.com", null);
    JsonNode b = join(t, c, "b@example.com", a.path("referral_code").asString());
    List<Map<String, Object>> joined = outbox(t, "waitlist.joined");
    assertThat(joined).hasSize(2);
    JsonNode payload = JSON.readTree((String) joined.get(1).get("payload"));
    assertThat(payload.path("id").asString()).isEqualTo(b.path("id").asString());
    // The app e-mails the verification token; the widget's bearer token never leaves.
    assertThat(payload.path("verification_token").asString())
        .isEqualTo(b.path("verification_token").asString());
    assertThat(payload.path("participant_token").isNull()).isTrue();
    assertThat(outbox(t, "referral.created")).hasSize(1);
    post(
        "/v1/campaigns/" + c + "/participants/" + b.path("id").asString() + "/verify",
        t.key(),
        "{\"token\": \"" + b.path("verification_token").asString() + "\"}");
    assertThat(outbox(t, "waitlist.verified")).hasSize(1);
    assertThat(outbox(t, "referral.qualified")).hasSize(1);
    post("/v1/campaigns/" + c + "/participants/" + a.path("id").asString() + "/admit", t.key(), "");
    List<Map<String, Object>> admitted = outbox(t, "waitlist.admitted");
    assertThat(admitted).hasSize(1);
    JsonNode got =
        get("/v1/campaigns/" + c + "/participants/" + a.path("id").asString(), t.key()).body();
    assertThat(JSON.readTree((String) admitted.get(0).get("payload"))).isEqualTo(got);
  }

  /**
   * A pending reward and its campaign: a manual-approval program rewarding every second referral,
   * whose referrer brought two friends.
   */
  private PendingReward pendingReward(Tenant t) {
    String c = program(t, EVERY_TWO_REFERRER, "manual");
    String code = join(t, c, "ref@example.com", null).path("referral_code").asString();
    join(t, c, "f1@example.com", code);
    join(t, c, "f2@example.com", code);
    return new PendingReward(
        c, "/v1/campaigns/" + c + "/rewards/" + rewards(t, c, "").get(0).path("id").asString());
  }

  private record PendingReward(String campaign, String path) {}
}
