package io.growthos.management.campaigns;

import io.growthos.core.campaigns.Reward;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A reward of a referral program (the webhook payload of {@code reward.*} is the same document).
 */
@Schema(name = "Reward")
public record RewardResponse(
    @Schema(example = "rwd_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "reward") String object,
    String campaignId,
    @Schema(description = "The qualified referral that fired the rule") String referralId,
    @Schema(description = "Index of the rule in settings.reward_rules") int ruleIndex,
    @Schema(allowableValues = {"referrer", "referee"}) String side,
    @Schema(description = "The referrer participant whose qualified referrals fired the rule")
        String referrer,
    @Schema(description = "The earning participant; null for a referee that never joined")
        @Nullable String participantId,
    @Schema(description = "The earning contact") String contactId,
    @Schema(allowableValues = {"credit", "discount", "cash", "custom"}) String type,
    @Nullable BigDecimal amount,
    @Nullable String currency,
    @Nullable String description,
    @Schema(allowableValues = {"pending", "approved", "fulfilled", "rejected"}) String state,
    @Schema(
            description =
                "Why it was rejected, when a reason was given; contact_deleted when it was voided"
                    + " by the deletion of the contact that would earn it")
        @Nullable String reason,
    int version,
    Instant createdAt,
    @Nullable Instant approvedAt,
    @Nullable Instant fulfilledAt,
    @Nullable Instant rejectedAt,
    Instant updatedAt) {

  static RewardResponse of(Reward r) {
    return new RewardResponse(
        r.id(),
        "reward",
        r.campaignId(),
        r.referralId(),
        r.ruleIndex(),
        r.side(),
        r.referrer(),
        r.participantId(),
        r.contactId(),
        r.type(),
        r.amount(),
        r.currency(),
        r.description(),
        r.state(),
        r.reason(),
        r.version(),
        r.createdAt(),
        r.approvedAt(),
        r.fulfilledAt(),
        r.rejectedAt(),
        r.updatedAt());
  }
}
