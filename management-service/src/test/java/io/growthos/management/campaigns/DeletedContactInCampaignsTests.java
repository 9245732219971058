package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.AtOnce;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What deleting a contact ({@code DELETE /v1/contacts/{id}}) does to the referral programs and
 * waitlists it took part in (docs/campaigns.md "Deleted contacts", docs/contacts.md "Deletion"):
 * the rewards it was still waiting for are voided, the referrals that can no longer qualify are
 * rejected, and nothing that touches them afterwards fails.
 */
class DeletedContactInCampaignsTests extends ApiTestSupport {

  private static final String BOTH_SIDES_EVERY_ONE =
      "[{\"side\": \"both\", \"every\": 1, \"reward\": {\"type\": \"cash\", \"amount\": 10,"
          + " \"currency\": \"EUR\"}}]";

  private String campaign(Tenant t, String type, String settings) {
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \""
                + type
                + "\", \"name\": \"C\", \"status\": \"active\", \"settings\": "
                + settings
                + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private String program(Tenant t, String extra) {
    return campaign(
        t,
        "referral",
        "{\"landing_url\": \"https://example.com/r\", \"reward_rules\": "
            + BOTH_SIDES_EVERY_ONE
            + extra
            + "}");
  }

  private List<JsonNode> rewards(Tenant t, String campaign) {
    Response r = get("/v1/campaigns/" + campaign + "/rewards?limit=100", t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.body().path("data").forEach(out::add);
    return out;
  }

  private JsonNode rewardOf(Tenant t, String campaign, String side) {
    return rewards(t, campaign).stream()
        .filter(r -> r.path("side").asString().equals(side))
        .findFirst()
        .orElseThrow();
  }

  private List<JsonNode> referrals(Tenant t, String campaign) {
    List<JsonNode> out = new ArrayList<>();
    get("/v1/campaigns/" + campaign + "/referrals?limit=100", t.key())
        .body()
        .path("data")
        .forEach(out::add);
    return out;
  }

  private int outbox(Tenant t, String type) {
    return jdbc.queryForObject(
        "select count(*) from webhook_outbox where workspace_id = ? and type = ?",
        Integer.class,
        t.workspaceId(),
        type);
  }

  @Test
  void aDeletedReferrersPendingRewardIsVoidedAndApprovingItIsRefusedNamingTheDeletion() {
    Tenant t = newTenant();
    String c = program(t, "");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    join(t, c, "friend@example.com", referrer.path("referral_code").asString());
    assertThat(rewards(t, c))
        .hasSize(2)
        .allMatch(r -> r.path("state").asString().equals("pending"));

    assertThat(delete("/v1/contacts/" + referrer.path("contact_id").asString(), t.key()).status())
        .isEqualTo(204);

    JsonNode voided = rewardOf(t, c, "referrer");
    assertThat(voided.path("state").asString()).isEqualTo("rejected");
    assertThat(voided.path("reason").asString()).isEqualTo("contact_deleted");
    assertThat(voided.path("rejected_at").isNull()).isFalse();
    // The friend is still there: its reward for the same referral is untouched.
    assertThat(rewardOf(t, c, "referee").path("state").asString()).isEqualTo("pending");

    String path = "/v1/campaigns/" + c + "/rewards/" + voided.path("id").asString();
    for (String move : List.of("approve", "fulfil")) {
      Response refused = post(path + "/" + move, t.key(), "");
      assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
      assertThat(refused.errorCode()).isEqualTo("unprocessable_entity");
      assertThat(refused.firstDetail().path("field").asString()).isEqualTo("state");
      assertThat(refused.firstDetail().path("reason").asString()).isEqualTo("contact_deleted");
      assertThat(refused.body().path("error").path("message").asString())
          .contains("contact was deleted");
    }
    // Rejecting it again is the move that already happened: 200, unchanged.
    Response again = post(path + "/reject", t.key(), "{\"reason\": \"fraud\"}");
    assertThat(again.status()).as(again.raw()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(get(path, t.key()).body());
    assertThat(again.body().path("reason").asString()).isEqualTo("contact_deleted");
    assertThat(outbox(t, "reward.approved")).isZero();
  }

  @Test
  void aDeletedRefereesPendingRewardIsVoidedToo() {
    Tenant t = newTenant();
    String c = program(t, "");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    JsonNode friend = join(t, c, "friend@example.com", referrer.path("referral_code").asString());

    assertThat(delete("/v1/contacts/" + friend.path("contact_id").asString(), t.key()).status())
        .isEqualTo(204);

    JsonNode voided = rewardOf(t, c, "referee");
    assertThat(voided.path("state").asString()).isEqualTo("rejected");
    assertThat(voided.path("reason").asString()).isEqualTo("contact_deleted");
    assertThat(rewardOf(t, c, "referrer").path("state").asString()).isEqualTo("pending");
    // The referral stays the referrer's record: rewarded, as it was.
    assertThat(referrals(t, c))
        .singleElement()
        .satisfies(r -> assertThat(r.path("state").asString()).isEqualTo("rewarded"));
  }

  @Test
  void anApprovedRewardOfADeletedContactStaysApprovedAndCanBeFulfilled() {
    Tenant t = newTenant();
    String c = program(t, ", \"approval\": \"auto\"");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    join(t, c, "friend@example.com", referrer.path("referral_code").asString());
    assertThat(delete("/v1/contacts/" + referrer.path("contact_id").asString(), t.key()).status())
        .isEqualTo(204);
    JsonNode approved = rewardOf(t, c, "referrer");
    assertThat(approved.path("state").asString()).isEqualTo("approved");
    // It may already be on its way: recording that it was paid stays possible.
    Response fulfilled =
        post(
            "/v1/campaigns/" + c + "/rewards/" + approved.path("id").asString() + "/fulfil",
            t.key(),
            "");
    assertThat(fulfilled.status()).as(fulfilled.raw()).isEqualTo(200);
  }

  /**
   * A waitlist joiner verified after its referrer was deleted: the verification qualified the
   * referral and credited a participant that no longer existed (500). Now the deletion rejects the
   * referrals still waiting to credit the deleted person ({@code referrer_deleted}), and the
   * verification just verifies.
   */
  @Test
  void verifyingAJoinerWhoseReferrerWasDeletedVerifiesItAndItsReferralIsRejected() {
    Tenant t = newTenant();
    String c = campaign(t, "waitlist", "{\"require_verification\": true}");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    JsonNode friend = join(t, c, "friend@example.com", referrer.path("referral_code").asString());
    assertThat(referrals(t, c))
        .singleElement()
        .satisfies(r -> assertThat(r.path("state").asString()).isEqualTo("pending"));
    int rejectedBefore = outbox(t, "referral.rejected");

    assertThat(delete("/v1/contacts/" + referrer.path("contact_id").asString(), t.key()).status())
        .isEqualTo(204);

    Response verified =
        post(
            "/v1/campaigns/" + c + "/participants/" + friend.path("id").asString() + "/verify",
            t.key(),
            json(Map.of("token", friend.path("verification_token").asString())));
    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    assertThat(verified.body().path("verified_at").isNull()).isFalse();
    assertThat(verified.body().path("position").asLong()).isEqualTo(1);

    JsonNode referral = referrals(t, c).get(0);
    assertThat(referral.path("state").asString()).isEqualTo("rejected");
    assertThat(referral.path("reason").asString()).isEqualTo("referrer_deleted");
    assertThat(outbox(t, "referral.rejected")).isEqualTo(rejectedBefore + 1);
    assertThat(outbox(t, "referral.qualified")).isZero();
  }

  /**
   * A referee deleted while its referral waits for its qualifying event: it can never qualify (its
   * ids are suppressed, its events dropped), so it no longer shows as pending.
   */
  @Test
  void aDeletedRefereesPendingReferralIsRejected() {
    Tenant t = newTenant();
    String c = program(t, ", \"qualifying_event\": {\"event\": \"Order Completed\"}");
    JsonNode referrer = join(t, c, "ref@example.com", null);
    JsonNode friend = join(t, c, "friend@example.com", referrer.path("referral_code").asString());
    assertThat(delete("/v1/contacts/" + friend.path("contact_id").asString(), t.key()).status())
        .isEqualTo(204);
    JsonNode referral = referrals(t, c).get(0);
    assertThat(referral.path("state").asString()).isEqualTo("rejected");
    assertThat(referral.path("reason").asString()).isEqualTo("referee_deleted");
    JsonNode stats = get("/v1/campaigns/" + c + "/stats", t.key()).body();
    assertThat(stats.path("referrals").path("pending").asLong()).isZero();
    assertThat(stats.path("referrals").path("rejected").asLong()).isEqualTo(1);
  }

  /**
   * Approving a reward while its contact is being deleted: the two are applied one after the other,
   * so the reward ends approved (the approval came first, and an approved reward is kept) or voided
   * (the deletion came first, and the approval is refused) — never approved after the deletion
   * voided it, and {@code reward.approved} is written exactly when it ends approved.
   */
  @Test
  void approvingARewardWhileItsContactIsDeletedEndsEitherApprovedOrVoidedNeverBoth()
      throws Exception {
    Tenant t = newTenant();
    String c = program(t, "");
    for (int round = 0; round < 6; round++) {
      JsonNode referrer = join(t, c, "ref" + round + "@example.com", null);
      join(t, c, "friend" + round + "@example.com", referrer.path("referral_code").asString());
      String rewardId =
          jdbc.queryForObject(
              "select id from rewards where workspace_id = ? and contact_id = ?",
              String.class,
              t.workspaceId(),
              referrer.path("contact_id").asString());
      int approvedBefore = outbox(t, "reward.approved");
      String contact = referrer.path("contact_id").asString();
      List<Response> answers =
          AtOnce.all(
              List.<Callable<Response>>of(
                  () ->
                      post("/v1/campaigns/" + c + "/rewards/" + rewardId + "/approve", t.key(), ""),
                  () -> delete("/v1/contacts/" + contact, t.key())));
      assertThat(answers.get(1).status()).isEqualTo(204);
      Response approved = answers.get(0);
      JsonNode stored = get("/v1/campaigns/" + c + "/rewards/" + rewardId, t.key()).body();
      if (approved.status() == 200) {
        assertThat(stored.path("state").asString()).as("round " + round).isEqualTo("approved");
        assertThat(outbox(t, "reward.approved")).isEqualTo(approvedBefore + 1);
      } else {
        assertThat(approved.status()).as(approved.raw()).isEqualTo(422);
        assertThat(approved.firstDetail().path("reason").asString()).isEqualTo("contact_deleted");
        assertThat(stored.path("state").asString()).as("round " + round).isEqualTo("rejected");
        assertThat(outbox(t, "reward.approved")).isEqualTo(approvedBefore);
      }
    }
  }
}
