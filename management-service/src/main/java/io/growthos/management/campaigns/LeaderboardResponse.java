package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A campaign's leaderboard: participants ranked by qualified referrals. */
@Schema(name = "CampaignLeaderboard")
public record LeaderboardResponse(
    @Schema(allowableValues = "leaderboard") String object,
    String campaignId,
    @Schema(allowableValues = {"all_time", "month"}) String period,
    @Schema(
            description =
                "Start of the period (month: the 1st, 00:00 in the workspace's time zone)")
        @Nullable Instant from,
    @Schema(description = "Most qualified referrals first; equal counts: who joined first")
        List<Entry> data) {

  /** One ranked participant. */
  @Schema(name = "CampaignLeaderboardEntry")
  public record Entry(
      int rank,
      String participantId,
      String contactId,
      @Nullable String email,
      @Schema(
              description =
                  "What widgets show for this participant: first name and last initial from"
                      + " traits, null when no first name is known",
              example = "Ada L.")
          @Nullable String displayName,
      String referralCode,
      @Schema(description = "Qualified referrals in the period") long referrals,
      Instant joinedAt) {}
}
