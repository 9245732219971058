-- Analytics (SPEC §7) reads events by name over a time range: trends, funnel steps, retention,
-- and the benchmark's baseline count all start with
--   where workspace_id = ? and event = ? and timestamp >= ? and timestamp < ?
-- The included columns are the actor of an event (contact, else anonymous id, else user id), so
-- counts, unique counts and funnels without property conditions are answered from the index
-- alone. Only track events carry an event name.
create index events_event_timestamp_idx
    on events (workspace_id, event, timestamp)
    include (contact_id, anonymous_id, user_id)
    where event is not null;
