-- A manual resend (POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend) restarts the
-- delivery's automatic retries: its failures count from the attempts it had when it was resent.
-- Before, each failed resend took the next step of the schedule (5 s, 5 min, 30 min, 2 h, 5 h,
-- 10 h, 10 h), so seven resends during an outage, seconds apart, marked the delivery failed and
-- left nothing scheduled for when the receiver came back (black-box review Q).
-- attempts still counts every attempt made, for the delivery log.
alter table webhook_deliveries add column retry_base integer not null default 0;
