-- The anonymous id of the browser a participant joined from (the widget join's anonymous_id, which
-- <growthos-waitlist> and <growthos-referral> send: the visitor's gos_anonymous_id). The
-- same_anonymous_id fraud rule (ReferralFraud) compares a referee's anonymous ids with the
-- referrer's contact's and with this one, so a second address typed into the referrer's own
-- browser is a self-referral even when that browser never sent an event. Null for joins made
-- before 2026-12-06, by the Management API, or by a client that does not send it.
alter table campaign_participants add column join_anonymous_id text;
