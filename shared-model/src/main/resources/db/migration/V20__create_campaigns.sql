-- Campaigns (SPEC §8): referral programs, waitlists, surveys and social proof share one table;
-- what differs per type lives in `settings`, validated by the application
-- (io.growthos.core.campaigns.CampaignSettings) and stored with its defaults filled in.
create table campaigns (
    workspace_id text collate "C" not null references workspaces (id) on delete cascade,
    id           text collate "C" not null,
    type         text        not null check (type in ('referral', 'waitlist', 'survey', 'social_proof')),
    name         text        not null,
    status       text        not null default 'draft' check (status in ('draft', 'active', 'paused', 'ended')),
    starts_at    timestamptz,
    ends_at      timestamptz,
    -- A filter of SPEC §7 (object) or a segment id (string); null means everyone.
    audience     jsonb,
    settings     jsonb       not null default '{}'::jsonb,
    version      integer     not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (workspace_id, id),
    check (ends_at is null or starts_at is null or ends_at > starts_at)
);
create index campaigns_type_idx on campaigns (workspace_id, type, id);
create index campaigns_status_idx on campaigns (workspace_id, status, id);
