package io.growthos.core.campaigns;

/**
 * The outcome of a join.
 *
 * @param participant the participant with its standing
 * @param created false when the request was a replay (same {@code client_id})
 * @param participantToken the bearer token to read one's own state; shown only here
 * @param verificationToken the token to verify the e-mail with, when the campaign wants one
 * @param referralId the referral the join created, if a valid code was given
 * @param referralState its state ({@code pending}, {@code qualified} or {@code rejected})
 * @param rejectionReason why it was rejected, if it was
 */
public record JoinResult(
    Participant participant,
    boolean created,
    String participantToken,
    String verificationToken,
    String referralId,
    String referralState,
    String rejectionReason) {}
