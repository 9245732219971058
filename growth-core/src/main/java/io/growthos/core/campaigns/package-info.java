/**
 * Campaign rules of SPEC §8 that both services apply: the status state machine, campaign types and
 * their settings, referral codes, e-mail normalisation for fraud checks and the waitlist position
 * rule (a Fenwick tree over scores, stored by the services in a table), social-proof templates,
 * masking and feeds. Plain code, no web layer; what reads or writes the database ({@code
 * Participants}, {@code SocialProofFeeds}) does it with plain SQL in the caller's transaction.
 */
package io.growthos.core.campaigns;
