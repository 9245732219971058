package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CampaignSettingsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  @Test
  void fillsWaitlistDefaults() {
    JsonNode out = CampaignSettings.validate(CampaignType.WAITLIST, null);
    assertThat(out.path("spots_per_referral").asInt()).isEqualTo(1);
    assertThat(out.path("require_verification").asBoolean()).isFalse();
    assertThat(out.path("landing_url").isNull()).isTrue();
  }

  @Test
  void acceptsAFullReferralProgram() {
    JsonNode out =
        CampaignSettings.validate(
            CampaignType.REFERRAL,
            json(
                """
                {"landing_url": "https://example.com/join",
                 "qualifying_event": {"event": "Order Completed",
                   "where": [{"field": "properties.total", "op": "gte", "value": 20}]},
                 "reward_rules": [{"side": "both", "every": 3, "limit": 2,
                   "reward": {"type": "credit", "amount": 10, "currency": "usd"}}],
                 "approval": "auto", "fraud": {"velocity_per_day": 5}}
                """));
    assertThat(out.path("reward_rules").path(0).path("reward").path("currency").asString())
        .isEqualTo("USD");
    assertThat(out.path("fraud").path("self_referral").asBoolean()).isTrue();
    assertThat(out.path("fraud").path("velocity_per_day").asInt()).isEqualTo(5);
  }

  @Test
  void aLandingUrlWithAFragmentIsTakenAndItsShareUrlsKeepTheFragmentAfterTheCode() {
    JsonNode out =
        CampaignSettings.validate(
            CampaignType.WAITLIST,
            json("{\"landing_url\": \"https://app.example.com/?x=1#/signup\"}"));
    assertThat(out.path("landing_url").asString())
        .isEqualTo("https://app.example.com/?x=1#/signup");
    assertThat(ShareUrls.of(out.path("landing_url").asString(), "AB12"))
        .isEqualTo("https://app.example.com/?x=1&ref=AB12#/signup");
  }

  @Test
  void namesEveryBadFieldByPath() {
    assertThatThrownBy(
            () ->
                CampaignSettings.validate(
                    CampaignType.REFERRAL,
                    json(
                        """
                        {"landing_url": "ftp://x", "colour": "red",
                         "reward_rules": [{"side": "nobody", "every": 0, "reward": {"type": "cash"}}]}
                        """)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details().stream().map(ErrorDetail::field))
                  .contains(
                      "settings.landing_url",
                      "settings.colour",
                      "settings.reward_rules[0].side",
                      "settings.reward_rules[0].every",
                      "settings.reward_rules[0].reward.amount",
                      "settings.reward_rules[0].reward.currency");
            });
  }

  @Test
  void rejectsNegativeSpotsAndUnknownWaitlistFields() {
    assertThatThrownBy(
            () ->
                CampaignSettings.validate(
                    CampaignType.WAITLIST, json("{\"spots_per_referral\": -1, \"x\": 1}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details().stream().map(ErrorDetail::field))
                    .containsExactlyInAnyOrder("settings.spots_per_referral", "settings.x"));
  }

  @Test
  void integersTooLargeForALongAreOutOfRangeNotA500() {
    // 2^64 + 5: Jackson 3's longValue() throws for it, which was a 500.
    String big = "18446744073709551621";
    assertThatThrownBy(
            () ->
                CampaignSettings.validate(
                    CampaignType.WAITLIST, json("{\"spots_per_referral\": " + big + "}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details())
                    .extracting(ErrorDetail::field, ErrorDetail::reason)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.spots_per_referral", "out_of_range")));
    assertThatThrownBy(
            () ->
                CampaignSettings.validate(
                    CampaignType.REFERRAL,
                    json(
                        """
                        {"landing_url": "https://x.io", "reward_rules": [
                          {"side": "referrer", "milestones": [1, %s],
                           "reward": {"type": "custom"}},
                          {"side": "referrer", "every": %s, "limit": %s,
                           "reward": {"type": "custom"}}]}
                        """
                            .formatted(big, big, big))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details())
                    .extracting(ErrorDetail::field, ErrorDetail::reason)
                    .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.reward_rules[0].milestones[1]", "out_of_range"),
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.reward_rules[1].every", "out_of_range"),
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.reward_rules[1].limit", "out_of_range")));
  }

  @Test
  void shareUrlAddsTheCode() {
    assertThat(ShareUrls.of("https://x.io/a", "AB12CD34")).isEqualTo("https://x.io/a?ref=AB12CD34");
    assertThat(ShareUrls.of("https://x.io/a?b=1#top", "AB"))
        .isEqualTo("https://x.io/a?b=1&ref=AB#top");
  }

  /** The landing URL's own ref (any case of encoding) goes; the code is the only ref left. */
  @Test
  void shareUrlReplacesARefTheLandingUrlCarries() {
    assertThat(ShareUrls.of("https://x.io/a?ref=ad&b=1&r%65f=x&refx=2#top", "AB"))
        .isEqualTo("https://x.io/a?b=1&refx=2&ref=AB#top");
    assertThat(ShareUrls.of("https://x.io/a?ref", "AB")).isEqualTo("https://x.io/a?ref=AB");
    assertThat(ShareUrls.of("https://x.io/a?", "AB")).isEqualTo("https://x.io/a?ref=AB");
  }
}
