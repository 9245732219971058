package io.growthos.core.campaigns;

import java.time.Instant;

/**
 * A participant row with its standing. {@code position}, {@code ahead} and {@code waiting} are null
 * when it was not read (lists) or does not apply (admitted participants, referral programs).
 */
public record Participant(
    String id,
    String campaignId,
    String contactId,
    String email,
    String referralCode,
    String referredBy,
    long joinSeq,
    int qualifiedReferrals,
    Instant verifiedAt,
    Instant admittedAt,
    Instant createdAt,
    Long position,
    Long ahead,
    Long waiting) {}
