/**
 * Referral attribution on the Ingest API: the in-memory watch of qualifying event names the write
 * path consults, and the worker that drains the attribution inbox after commit (the rules are
 * {@code io.growthos.core.campaigns.ReferralAttribution}).
 */
package io.growthos.ingest.referrals;
