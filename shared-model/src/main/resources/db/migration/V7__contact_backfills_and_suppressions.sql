-- Contact identity work kept out of the ingest hot transaction, and the deletion guarantee.
-- Rules: docs/contacts.md.

-- Back-fill queue. When an id is newly linked to a contact (identify, alias, or a contact
-- created through the Management API with anonymous ids), its earlier events without a
-- contact are given that contact later, by a background job, in chunks of a bounded number of
-- rows per transaction, so the first identify of an id with a long history never stalls the
-- shared group-commit transaction. Workers claim rows with FOR UPDATE SKIP LOCKED, so any
-- number of service copies share the queue. after_event_id is the keyset position of the
-- last chunk: each chunk reads only events it has not seen.
create table contact_backfills (
    workspace_id   text collate "C" not null,
    contact_id     text collate "C" not null,
    kind           text        not null check (kind in ('user_id', 'anonymous_id')),
    value          text        not null,
    after_event_id text collate "C" not null default '',
    created_at     timestamptz not null default now(),
    primary key (workspace_id, contact_id, kind, value),
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

-- Ids of deleted contacts (their user id and every anonymous or aliased id). Deleting a
-- contact deletes every event of these ids, and the Ingest API drops later events of them
-- (still answering 200, like Segment's suppression) so nothing resurrects the contact.
-- One value covers the id in any role: userId, anonymousId or previousId.
create table contact_suppressions (
    workspace_id text collate "C" not null references workspaces (id) on delete cascade,
    value        text        not null,
    contact_id   text collate "C" not null,
    created_at   timestamptz not null default now(),
    primary key (workspace_id, value)
);
