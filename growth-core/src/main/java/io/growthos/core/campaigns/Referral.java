package io.growthos.core.campaigns;

import java.time.Instant;

/**
 * A referral: a referrer's code brought a referee. State {@code pending → qualified → rewarded}, or
 * {@code rejected} with a {@code reason} ({@link ReferralFraud}).
 *
 * @param referrer the referring participant
 * @param referee the referred contact
 * @param refereeParticipant the referee's participant, when it joined the campaign
 * @param source how it was made: {@code api}, {@code widget} (a join with a code) or {@code ingest}
 *     (an ingested event carried the code)
 */
public record Referral(
    String id,
    String campaignId,
    String referrer,
    String referee,
    String refereeParticipant,
    String state,
    String reason,
    String source,
    Instant createdAt,
    Instant qualifiedAt) {}
