-- Events: the highest-volume table.
--
-- How it grows: rows are append-only and keyed (workspace_id, id) where id is time-ordered,
-- so inserts land at the right edge of the primary key index and keyset reads walk it.
-- When one table gets too large, it becomes range-partitioned by received_at (one
-- partition a month, created ahead by a job such as pg_partman) with the primary key
-- extended by received_at; on Citus it is distributed by workspace_id and partitioned by
-- time underneath. No query of the API needs a global (cross-workspace) index.
--
-- No foreign key to contacts: ingest writes must not wait on contact locks, and an
-- event may be stored before its contact exists. Deleting a contact deletes its events
-- in the same transaction, in the application.
create table events (
    workspace_id       text collate "C" not null,
    id                 text collate "C" not null,
    message_id         text        not null,
    type               text        not null check (type in ('track', 'identify', 'page', 'screen', 'group', 'alias')),
    event              text,
    name               text,
    user_id            text,
    anonymous_id       text,
    contact_id         text collate "C",
    group_id           text,
    previous_id        text,
    properties         jsonb,
    traits             jsonb,
    context            jsonb,
    integrations       jsonb,
    timestamp          timestamptz not null,
    sent_at            timestamptz,
    original_timestamp timestamptz,
    received_at        timestamptz not null,
    primary key (workspace_id, id)
);
create index events_contact_idx on events (workspace_id, contact_id, id) where contact_id is not null;
create index events_user_id_idx on events (workspace_id, user_id, id) where user_id is not null;
create index events_anonymous_id_idx on events (workspace_id, anonymous_id, id) where anonymous_id is not null;
create index events_type_event_idx on events (workspace_id, type, event, id);

-- Exactly-once by messageId. The primary key makes the claim atomic across every copy of
-- the ingest service: the writer inserts here with ON CONFLICT in the same transaction as
-- the event, so a messageId is stored at most once while its row lives. A row older than
-- the workspace's dedupe window may be re-claimed (and is purged by a periodic job), which
-- is what bounds this table: it holds one small row per message of the last window.
create table event_dedupe (
    workspace_id text collate "C" not null,
    message_id   text        not null,
    event_id     text collate "C" not null,
    received_at  timestamptz not null,
    primary key (workspace_id, message_id)
);
create index event_dedupe_received_idx on event_dedupe (received_at);
