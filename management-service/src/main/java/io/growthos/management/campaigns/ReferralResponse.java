package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A referral: a referrer's code brought a referee. */
@Schema(name = "Referral")
public record ReferralResponse(
    @Schema(example = "refl_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "referral") String object,
    String campaignId,
    @Schema(description = "The referring participant") String referrer,
    @Schema(description = "The referred contact") String referee,
    @Schema(description = "The referred contact's participant, when it joined the campaign")
        @Nullable String refereeParticipant,
    @Schema(allowableValues = {"pending", "qualified", "rewarded", "rejected"}) String state,
    @Schema(
            description =
                "Why it was rejected: a fraud check, or the deletion of the contact it waited for"
                    + " (referrer_deleted, referee_deleted)",
            allowableValues = {
              "self_referral",
              "same_anonymous_id",
              "same_ip_user_agent",
              "existing_contact",
              "referral_cycle",
              "velocity_limit",
              "referrer_deleted",
              "referee_deleted"
            })
        @Nullable String reason,
    @Schema(
            description =
                "How it was made: api or widget (a join with a code), ingest (an ingested event"
                    + " carried the code)")
        String source,
    Instant createdAt,
    @Nullable Instant qualifiedAt) {}
