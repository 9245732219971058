-- Idempotency-Key records of the Management API (SPEC §4): the first response to a key,
-- kept 24 h per secret key. A row in state 'in_flight' is a claim: a second request with the
-- same key gets 409 until the first completes (or its claim goes stale after a crash).
create table idempotency_records (
    workspace_id    text collate "C" not null,
    api_key_id      text collate "C" not null,
    idempotency_key text        not null,
    request_hash    bytea       not null,
    method          text        not null,
    path            text        not null,
    state           text        not null check (state in ('in_flight', 'completed')),
    response_status integer,
    response_body   text,
    response_headers jsonb,
    created_at      timestamptz not null default now(),
    completed_at    timestamptz,
    expires_at      timestamptz not null,
    primary key (workspace_id, api_key_id, idempotency_key)
);
create index idempotency_records_expires_idx on idempotency_records (expires_at);
