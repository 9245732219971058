/**
 * {@code /v1/campaigns} (SPEC §8): campaigns of every type with their status state machine and
 * per-type settings, and the participants, referrals, positions and admissions of waitlists and
 * referral programs. The rules live in {@code io.growthos.core.campaigns}; this package adds the
 * web layer, the persistence and the read paths.
 */
package io.growthos.management.campaigns;
