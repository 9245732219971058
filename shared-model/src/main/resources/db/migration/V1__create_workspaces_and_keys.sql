-- Workspaces and the keys that reach them.
--
-- Distribution plan (SPEC §1): every workspace-owned table carries workspace_id and leads
-- its primary key and indexes with it, so each can be distributed by workspace_id on a
-- distributed PostgreSQL such as Citus. `workspaces`, `api_keys` and `admin_keys` are small
-- and looked up by id or key hash on every request; on Citus they become reference tables.
--
-- Ids are prefixed, time-ordered random strings (see io.growthos.model.ids.Ids) stored with
-- the "C" collation so that text order equals creation order and keyset pagination can
-- walk the primary key.

create table workspaces (
    id                    text collate "C" primary key,
    name                  text        not null,
    plan                  text        not null check (plan in ('free', 'growth', 'scale')),
    timezone              text        not null default 'UTC',
    allowed_origins       text[]      not null default '{}',
    dedupe_window_seconds integer     not null default 604800 check (dedupe_window_seconds > 0),
    version               integer     not null default 1,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);

-- Write keys (Ingest API) and secret keys (Management API). Only a SHA-256 hash of the key is
-- kept: keys carry >= 128 random bits, so a fast hash cannot be brute-forced.
create table api_keys (
    workspace_id text collate "C" not null references workspaces (id) on delete cascade,
    id           text collate "C" not null,
    type         text        not null check (type in ('write', 'secret')),
    name         text        not null default '',
    key_hash     bytea       not null,
    prefix       text        not null,
    last_four    text        not null,
    scopes       text[]      not null default '{}',
    status       text        not null default 'active' check (status in ('active', 'revoked')),
    -- Set when the key was rolled: the key keeps working until then.
    expires_at   timestamptz,
    rolled_to_id text collate "C",
    version      integer     not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (workspace_id, id)
);
create unique index api_keys_key_hash_uq on api_keys (key_hash);

-- Operator keys: they manage workspaces and plans and belong to no workspace.
create table admin_keys (
    id         text collate "C" primary key,
    name       text        not null default '',
    key_hash   bytea       not null unique,
    prefix     text        not null,
    last_four  text        not null,
    status     text        not null default 'active' check (status in ('active', 'revoked')),
    created_at timestamptz not null default now()
);
