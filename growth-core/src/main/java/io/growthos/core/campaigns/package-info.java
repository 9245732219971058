/**
 * Campaign rules of SPEC §8 that both services apply: the status state machine, campaign types and
 * their settings, referral codes, e-mail normalisation for fraud checks and the waitlist position
 * rule (a Fenwick tree over scores, stored by the services in a table), social-proof templates,
 * masking and feeds, and the SQL both services run on participants ({@link
 * io.growthos.core.campaigns.Participants}), leaderboards ({@link
 * io.growthos.core.campaigns.Leaderboard}), stats ({@link
 * io.growthos.core.campaigns.CampaignStats}), social-proof feeds ({@link
 * io.growthos.core.campaigns.SocialProofFeeds}) and the masking of names shown to browsers ({@link
 * io.growthos.core.campaigns.DisplayNames}). No web layer; the callers own the transactions.
 */
package io.growthos.core.campaigns;
