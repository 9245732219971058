package io.growthos.ingest.widgets;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a web component ({@code <growthos-referral>}, {@code <growthos-waitlist>}) needs to render a
 * live campaign before anyone joined: its name, counts, how sharing works and the leaderboard with
 * masked names. Components that can be null say so ({@link Nullable}): the OpenAPI document types
 * them nullable and lists the others as required ({@code io.growthos.platform.web.WireSchemas}).
 */
@Schema(name = "WidgetCampaign")
public record WidgetCampaign(
    @JsonProperty("object") @Schema(allowableValues = "widget_campaign") String object,
    @JsonProperty("id") String id,
    @JsonProperty("type") @Schema(allowableValues = {"referral", "waitlist"}) String type,
    @JsonProperty("name") String name,
    @JsonProperty("status") @Schema(allowableValues = "active") String status,
    @JsonProperty("starts_at") @Nullable Instant startsAt,
    @JsonProperty("ends_at") @Nullable Instant endsAt,
    @JsonProperty("counts") Counts counts,
    @JsonProperty("referral") Referral referral,
    @JsonProperty("leaderboard")
        @Schema(description = "Top 10 by qualified referrals (ties: who joined first)")
        List<LeaderboardEntry> leaderboard) {

  /** Counts shown by the widget. */
  @Schema(name = "WidgetCampaignCounts")
  public record Counts(
      @JsonProperty("participants")
          @Schema(description = "People in the campaign (those deleted with their contact left it)")
          long participants,
      @JsonProperty("waiting")
          @Schema(
              description = "Waitlists: people waiting (not admitted); null for referral programs")
          @Nullable Long waiting) {}

  /** How referring works on this campaign. */
  @Schema(name = "WidgetReferralSettings")
  public record Referral(
      @JsonProperty("landing_url")
          @Schema(description = "Base of share links; null when the campaign has none")
          @Nullable String landingUrl,
      @JsonProperty("share_parameter")
          @Schema(
              description = "Query parameter that carries the code in share links",
              example = "ref")
          String shareParameter,
      @JsonProperty("spots_per_referral")
          @Schema(
              description =
                  "Waitlists: places one moves up per qualified referral; null for referral"
                      + " programs")
          @Nullable Long spotsPerReferral,
      @JsonProperty("require_verification")
          @Schema(
              description =
                  "Waitlists: referred people count once their e-mail is verified; null for"
                      + " referral programs")
          @Nullable Boolean requireVerification,
      @JsonProperty("rewards")
          @Schema(description = "Referral programs: the reward rules; null for waitlists")
          @Nullable List<RewardRule> rewards) {}

  /** A reward rule, as shown to participants. */
  @Schema(name = "WidgetRewardRule")
  public record RewardRule(
      @JsonProperty("side") @Schema(allowableValues = {"referrer", "referee", "both"}) String side,
      @JsonProperty("every")
          @Schema(
              description = "A reward every this many qualified referrals; null with milestones")
          @Nullable Integer every,
      @JsonProperty("milestones")
          @Schema(description = "Rewards at these counts of qualified referrals; null with every")
          @Nullable List<Long> milestones,
      @JsonProperty("limit")
          @Schema(description = "Most rewards one participant gets from this rule; null: no limit")
          @Nullable Integer limit,
      @JsonProperty("reward") Reward reward) {}

  /** What a rule gives. */
  @Schema(name = "WidgetReward")
  public record Reward(
      @JsonProperty("type") @Schema(allowableValues = {"credit", "discount", "cash", "custom"})
          String type,
      @JsonProperty("amount") @Schema(description = "Null for a custom reward without one")
          @Nullable BigDecimal amount,
      @JsonProperty("currency") @Schema(description = "ISO 4217; null for a reward without one")
          @Nullable String currency,
      @JsonProperty("description") @Nullable String description) {}

  /** One leaderboard row: a masked name, never an e-mail or id. */
  @Schema(name = "WidgetLeaderboardEntry")
  public record LeaderboardEntry(
      @JsonProperty("rank") int rank,
      @JsonProperty("name")
          @Schema(
              description = "First name and last initial at most, else 'Someone'",
              example = "Ada L.")
          String name,
      @JsonProperty("referrals") long referrals) {}
}
