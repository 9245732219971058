package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A participant of a referral program or waitlist, with its standing. */
@Schema(name = "CampaignParticipant")
public record ParticipantResponse(
    @Schema(example = "part_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "participant") String object,
    String campaignId,
    String contactId,
    @Nullable String email,
    @Schema(description = "Case-insensitive; unique in the workspace") String referralCode,
    @Schema(description = "The landing URL with ref=<code>; null without a landing URL")
        @Nullable String shareUrl,
    @Schema(description = "The participant whose code brought this one")
        @Nullable String referredBy,
    int qualifiedReferrals,
    @Schema(description = "Waitlists: 1 for the next to be admitted; null once admitted")
        @Nullable Long position,
    @Schema(description = "Waitlists: people ahead (position - 1)") @Nullable Long peopleAhead,
    @Schema(description = "Waitlists: people waiting in all") @Nullable Long totalWaiting,
    @Nullable Instant verifiedAt,
    @Nullable Instant admittedAt,
    Instant createdAt,
    @Schema(
            description =
                "Only in the response that created the participant: the bearer token its widget"
                    + " reads its own state with (header GrowthOS-Participant-Token)")
        @Nullable String participantToken,
    @Schema(
            description =
                "Only in the response that created the participant, when the campaign requires"
                    + " verification: send it to the person (e.g. in a link) and POST it to"
                    + " …/verify")
        @Nullable String verificationToken) {}
