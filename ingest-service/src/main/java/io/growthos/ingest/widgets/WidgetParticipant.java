package io.growthos.ingest.widgets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A participant's own state, as its browser sees it: never an e-mail, an id or anyone else's data.
 */
@Schema(name = "WidgetParticipant")
public record WidgetParticipant(
    @JsonProperty("object") @Schema(allowableValues = "widget_participant") String object,
    @JsonProperty("campaign_id") String campaignId,
    @JsonProperty("campaign_type") @Schema(allowableValues = {"referral", "waitlist"})
        String campaignType,
    @JsonProperty("participant_token")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            description =
                "Only in the join response: keep it (e.g. localStorage) and send it as the"
                    + " GrowthOS-Participant-Token header to read this state again. A replayed"
                    + " join (same client_id) issues a new one and the old one stops working.")
        @Nullable String participantToken,
    @JsonProperty("referral_code") String referralCode,
    @JsonProperty("share_url")
        @Schema(description = "The campaign's landing URL with ref=<code>; null without one")
        @Nullable String shareUrl,
    @JsonProperty("position")
        @Schema(
            description =
                "Waitlists: 1 is next to be admitted; null once admitted, and for referral"
                    + " programs")
        @Nullable Long position,
    @JsonProperty("people_ahead")
        @Schema(description = "Waitlists: position - 1; null when position is")
        @Nullable Long peopleAhead,
    @JsonProperty("total")
        @Schema(
            description =
                "Waitlists: people waiting, this one included; null once admitted, and for"
                    + " referral programs")
        @Nullable Long total,
    @JsonProperty("qualified_referrals")
        @Schema(description = "Referrals that count (on a waitlist, each moves this one up)")
        int qualifiedReferrals,
    @JsonProperty("referrals") Referrals referrals,
    @JsonProperty("verification_required") boolean verificationRequired,
    @JsonProperty("verified") boolean verified,
    @JsonProperty("admitted") boolean admitted,
    @JsonProperty("joined_at") Instant joinedAt) {

  /** The participant's referrals by state (rejected ones are not shown to the browser). */
  @Schema(name = "WidgetReferralCounts")
  public record Referrals(
      @JsonProperty("pending") long pending,
      @JsonProperty("qualified") long qualified,
      @JsonProperty("rewarded") long rewarded) {}
}
