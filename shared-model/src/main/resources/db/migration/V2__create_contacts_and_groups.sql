-- Contacts (people), the identities that point at them, groups (accounts) and membership.

create table contacts (
    workspace_id  text collate "C" not null references workspaces (id) on delete cascade,
    id            text collate "C" not null,
    user_id       text,
    email         text,
    traits        jsonb       not null default '{}'::jsonb,
    first_seen_at timestamptz,
    last_seen_at  timestamptz,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    primary key (workspace_id, id)
);
create unique index contacts_user_id_uq on contacts (workspace_id, user_id) where user_id is not null;
create unique index contacts_email_uq on contacts (workspace_id, lower(email)) where email is not null;

-- Every id a contact is known by: its userId and every anonymousId that was identified as it
-- (or aliased to it). An id maps to exactly one contact within a workspace.
create table contact_identities (
    workspace_id text collate "C" not null,
    kind         text        not null check (kind in ('user_id', 'anonymous_id')),
    value        text        not null,
    contact_id   text collate "C" not null,
    created_at   timestamptz not null default now(),
    primary key (workspace_id, kind, value),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index contact_identities_contact_idx on contact_identities (workspace_id, contact_id);

create table groups (
    workspace_id text collate "C" not null references workspaces (id) on delete cascade,
    id           text collate "C" not null,
    group_id     text        not null,
    traits       jsonb       not null default '{}'::jsonb,
    version      integer     not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (workspace_id, id)
);
create unique index groups_group_id_uq on groups (workspace_id, group_id);

create table group_memberships (
    workspace_id text collate "C" not null,
    group_id     text collate "C" not null,
    contact_id   text collate "C" not null,
    created_at   timestamptz not null default now(),
    primary key (workspace_id, group_id, contact_id),
    foreign key (workspace_id, group_id) references groups (workspace_id, id) on delete cascade,
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index group_memberships_contact_idx on group_memberships (workspace_id, contact_id);
