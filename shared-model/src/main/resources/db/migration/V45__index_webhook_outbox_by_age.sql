-- Webhooks (docs/webhooks.md, "Retention"): the management service deletes events older than
-- growthos.webhooks.retention, with their delivery logs, oldest first. This index lets it find them
-- without reading the whole outbox; only fanned-out events are ever deleted.
create index webhook_outbox_retention_idx on webhook_outbox (created_at)
    where dispatched_at is not null;
