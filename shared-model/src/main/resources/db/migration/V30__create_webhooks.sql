-- Webhooks (SPEC §9): the transactional outbox, the endpoints that subscribe to it and one
-- delivery row per (event, matching endpoint).
--
-- Every service writes an outbox row in the same transaction as the change that caused it
-- (io.growthos.core.outbox.Outbox), so a crash can neither lose an event nor invent one. The
-- management service's dispatcher fans each row out to the matching endpoints and delivers.

create table webhook_outbox (
    workspace_id  text collate "C" not null references workspaces (id) on delete cascade,
    id            text collate "C" not null,   -- evt_…, sent as webhook-id
    type          text        not null,
    payload       jsonb       not null,        -- the resource as the API returns it
    created_at    timestamptz not null default now(),
    -- Set when the dispatcher has written this event's deliveries (fan-out done).
    dispatched_at timestamptz,
    primary key (workspace_id, id)
);
-- The dispatcher's queue: rows not fanned out yet, oldest first, across workspaces. Partial, so
-- it holds only the backlog; not unique, so it does not constrain distribution by workspace.
create index webhook_outbox_queue_idx on webhook_outbox (created_at) where dispatched_at is null;
create index webhook_outbox_created_idx on webhook_outbox (workspace_id, created_at);

create table webhook_endpoints (
    workspace_id        text collate "C" not null references workspaces (id) on delete cascade,
    id                  text collate "C" not null,   -- we_…
    url                 text        not null,
    description         text        not null default '',
    events              text[]      not null,        -- event types, or '*'
    status              text        not null default 'enabled' check (status in ('enabled', 'disabled')),
    disabled_reason     text,
    secret              text        not null,        -- whsec_…: needed to sign, so kept (not hashed)
    -- After a rotation the previous secret also signs until previous_secret_expires_at.
    previous_secret     text,
    previous_secret_expires_at timestamptz,
    -- Start of the current run of failed attempts (null while deliveries succeed).
    failing_since       timestamptz,
    version             integer     not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    primary key (workspace_id, id)
);

create table webhook_deliveries (
    workspace_id     text collate "C" not null,
    id               text collate "C" not null,   -- dlv_…
    endpoint_id      text collate "C" not null,
    event_id         text collate "C" not null,
    event_type       text        not null,
    status           text        not null default 'pending'
                     check (status in ('pending', 'succeeded', 'failed')),
    attempts         integer     not null default 0,  -- attempts made so far
    next_attempt_at  timestamptz,                     -- null once succeeded or given up
    -- A dispatcher copy that claimed the row owns it until then (crash: another takes over).
    lease_until      timestamptz,
    lease_token      text,
    last_attempt_at  timestamptz,
    response_status  integer,
    latency_ms       integer,
    last_error       text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (workspace_id, id),
    unique (workspace_id, endpoint_id, id),
    foreign key (workspace_id, endpoint_id) references webhook_endpoints (workspace_id, id) on delete cascade,
    foreign key (workspace_id, event_id) references webhook_outbox (workspace_id, id) on delete cascade
);
-- The delivery queue of each endpoint: the dispatcher takes a few due rows per endpoint, so one
-- slow endpoint's backlog cannot hold back the others.
create index webhook_deliveries_due_idx
    on webhook_deliveries (workspace_id, endpoint_id, next_attempt_at) where status = 'pending';
create unique index webhook_deliveries_event_endpoint_uq
    on webhook_deliveries (workspace_id, event_id, endpoint_id);
