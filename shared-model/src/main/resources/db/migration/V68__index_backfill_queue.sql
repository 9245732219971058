-- The back-fill queue (contact_backfills) is taken oldest first, one job per transaction
-- (ContactBackfills.CLAIM_NEXT: order by created_at limit 1 for update skip locked). Without an
-- index each claim read and sorted the whole queue: after 100,000 identifies of new users (each
-- queues a back-fill, most with nothing to link) a black-box review saw it drain at 3-20 jobs a
-- second, and a visitor's events before sign-up waited minutes for their contact.
-- Not led by workspace_id: the workers take the queue across workspaces, oldest first (a _queue_idx,
-- as MigrationsTests allows for such queues).
create index contact_backfills_queue_idx on contact_backfills (created_at);
