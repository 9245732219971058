-- Referral attribution from ingested events, and the rewards referral programs issue (SPEC §8).

-- The attribution inbox: one row per stored event that may matter to a referral program (its
-- context carries a referral code, or it is a track event named as some campaign's qualifying
-- event). Ingest writes the rows in the group-commit transaction of the events themselves (one
-- statement per group, and only when the group has such events), so a row is visible exactly when
-- its event is: no tail of the events table, no row skipped because its transaction committed
-- late. The attribution worker claims due rows with FOR UPDATE SKIP LOCKED (any number of service
-- copies share the work), applies them and deletes them in the same transaction.
create table referral_inbox (
    workspace_id    text collate "C" not null,
    event_id        text collate "C" not null,
    -- A code carrier whose caller is not a contact yet is retried until its ids are linked.
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    created_at      timestamptz not null default now(),
    primary key (workspace_id, event_id)
);
-- Workers of every workspace claim due rows (cross-workspace, like webhook_outbox_queue_idx).
create index referral_inbox_queue_idx on referral_inbox (next_attempt_at);

-- What the fraud checks and audits need of a referral attributed from an event.
alter table referrals add column event_id text collate "C";
alter table referrals add column ip text;
alter table referrals add column user_agent text;
-- A track event qualifies its contact's pending referrals, across the workspace's campaigns.
create index referrals_pending_referee_idx on referrals (workspace_id, referee_contact_id)
    where state = 'pending';

-- Rewards: one per (referral that fired a rule, rule, side), which makes issuing exactly-once
-- however often a qualification is retried.
create table rewards (
    workspace_id   text collate "C" not null,
    id             text collate "C" not null,   -- rwd_…
    campaign_id    text collate "C" not null,
    referral_id    text collate "C" not null,
    rule_index     integer     not null,
    side           text        not null check (side in ('referrer', 'referee')),
    -- The referrer whose qualified referrals fired the rule (a rule's limit counts per referrer).
    referrer_id    text collate "C" not null,
    -- Who earns it: the referrer's participant (side referrer), or the referee (its contact, and
    -- its participant when it joined the campaign).
    participant_id text collate "C",
    contact_id     text collate "C" not null,
    type           text        not null check (type in ('credit', 'discount', 'cash', 'custom')),
    amount         numeric,
    currency       text,
    description    text,
    state          text        not null check (state in ('pending', 'approved', 'fulfilled', 'rejected')),
    reason         text,
    version        integer     not null default 1,
    created_at     timestamptz not null default now(),
    approved_at    timestamptz,
    fulfilled_at   timestamptz,
    rejected_at    timestamptz,
    updated_at     timestamptz not null default now(),
    primary key (workspace_id, id),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade,
    foreign key (workspace_id, referral_id) references referrals (workspace_id, id) on delete cascade
);
create unique index rewards_once_uq on rewards (workspace_id, referral_id, rule_index, side);
create index rewards_campaign_idx on rewards (workspace_id, campaign_id, id);
-- A rule's per-participant limit counts the rewards it already fired for that referrer.
create index rewards_rule_idx on rewards (workspace_id, campaign_id, rule_index, referrer_id);
