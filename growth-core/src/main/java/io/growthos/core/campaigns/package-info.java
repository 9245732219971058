/**
 * Campaign rules of SPEC §8 that both services apply: the status state machine, campaign types and
 * their settings, referral codes, e-mail normalisation for fraud checks and the waitlist position
 * rule (a Fenwick tree over scores, stored by the services in a table). Plain code, no web layer,
 * no database access.
 */
package io.growthos.core.campaigns;
