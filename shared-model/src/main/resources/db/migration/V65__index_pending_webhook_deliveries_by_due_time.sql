-- The webhook dispatcher's look before its claim (WebhookDispatcher.ANY_DUE): is any pending
-- delivery due? The claim itself starts from every enabled endpoint, so with tens of thousands of
-- them it cost 93-162 ms each poll (every 200 ms) even when nothing was due. This index answers the
-- look in a few buffers: the pending deliveries in the order they fall due. Only pending rows are
-- in it (a delivery leaves it once it succeeded or failed for good), as in webhook_deliveries_due_idx.
-- Not led by workspace_id: the dispatcher looks across workspaces (a _queue_idx, as MigrationsTests
-- allows for background workers' partial indexes).
create index webhook_deliveries_next_due_queue_idx
    on webhook_deliveries (next_attempt_at) where status = 'pending';
