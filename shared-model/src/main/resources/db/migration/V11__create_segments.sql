-- Saved segments (SPEC §7): a name and a filter of the one filter grammar, evaluated live when
-- read. The filter is stored as the client sent it (validated); references to other segments are
-- found with a jsonpath query over this table (a workspace has few segments).
create table segments (
    workspace_id text collate "C" not null references workspaces (id) on delete cascade,
    id           text collate "C" not null,
    name         text        not null,
    description  text,
    filter       jsonb       not null,
    version      integer     not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (workspace_id, id)
);
