package io.growthos.core.campaigns;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reward a referral program issued: to the referrer whose qualified referrals fired a reward
 * rule, or to the referee of the referral that fired it. State: {@code pending → approved →
 * fulfilled}, or {@code rejected} (from pending or approved).
 *
 * @param referralId the qualified referral that fired the rule
 * @param ruleIndex the rule's index in {@code settings.reward_rules}
 * @param side {@code referrer} or {@code referee}
 * @param referrer the referrer participant whose count fired the rule
 * @param participantId the earning participant (null for a referee that never joined)
 * @param contactId the earning contact
 */
public record Reward(
    String id,
    String campaignId,
    String referralId,
    int ruleIndex,
    String side,
    String referrer,
    String participantId,
    String contactId,
    String type,
    BigDecimal amount,
    String currency,
    String description,
    String state,
    String reason,
    int version,
    Instant createdAt,
    Instant approvedAt,
    Instant fulfilledAt,
    Instant rejectedAt,
    Instant updatedAt) {}
