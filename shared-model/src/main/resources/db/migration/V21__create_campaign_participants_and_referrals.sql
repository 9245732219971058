-- Participants of referral programs and waitlists, the referrals between them, the rewards
-- they earn, and the index that makes waitlist positions cheap to read.

-- One row per campaign: the join counter. Every change to a campaign's participants that moves
-- positions (join, qualified referral, admission) first locks this row, so join_seq is gap-free
-- and the rank tree below changes one transaction at a time per campaign.
create table campaign_counters (
    workspace_id  text collate "C" not null,
    campaign_id   text collate "C" not null,
    last_join_seq bigint      not null default 0,
    primary key (workspace_id, campaign_id),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade
);

create table campaign_participants (
    workspace_id         text collate "C" not null,
    campaign_id          text collate "C" not null,
    id                   text collate "C" not null,
    contact_id           text collate "C" not null,
    -- Comparison key for fraud checks (io.growthos.core.campaigns.EmailNormalizer).
    email_normalized     text,
    -- Canonical (upper case) form; unique per workspace across its campaigns.
    referral_code        text collate "C" not null,
    referred_by          text collate "C",
    join_seq             bigint      not null,
    qualified_referrals  integer     not null default 0,
    -- Waitlists: join_seq - spots_per_referral * qualified_referrals (WaitlistRanks).
    score                bigint      not null,
    -- SHA-256 of the token a widget reads the participant's own state with.
    participant_token_hash text collate "C",
    client_id            text,
    verification_token_hash text collate "C",
    verified_at          timestamptz,
    admitted_at          timestamptz,
    created_at           timestamptz not null default now(),
    primary key (workspace_id, campaign_id, id),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade,
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create unique index campaign_participants_contact_uq on campaign_participants (workspace_id, campaign_id, contact_id);
create unique index campaign_participants_seq_uq on campaign_participants (workspace_id, campaign_id, join_seq);
create unique index campaign_participants_code_uq on campaign_participants (workspace_id, referral_code);
create unique index campaign_participants_token_uq on campaign_participants (workspace_id, participant_token_hash)
    where participant_token_hash is not null;
create unique index campaign_participants_client_uq on campaign_participants (workspace_id, campaign_id, client_id)
    where client_id is not null;
create index campaign_participants_id_idx on campaign_participants (workspace_id, id);
-- Waiting participants in position order: admit the top N, count equal scores.
create index campaign_participants_rank_idx on campaign_participants (workspace_id, campaign_id, score, join_seq)
    where admitted_at is null;
create index campaign_participants_email_idx on campaign_participants (workspace_id, campaign_id, email_normalized);

-- A Fenwick tree (binary indexed tree) of waiting participants per score, one row per touched
-- node (io.growthos.core.campaigns.WaitlistRanks): the number of participants ahead of a score is
-- the sum of at most 42 rows found by primary key, instead of a count over the whole range.
create table waitlist_rank_nodes (
    workspace_id text collate "C" not null,
    campaign_id  text collate "C" not null,
    node         bigint not null,
    count        bigint not null,
    primary key (workspace_id, campaign_id, node),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade
);

-- A referee is referred at most once per campaign: the unique index makes attribution
-- exactly-once however often the same events arrive.
create table referrals (
    workspace_id        text collate "C" not null,
    id                  text collate "C" not null,
    campaign_id         text collate "C" not null,
    referrer_id         text collate "C" not null,
    referee_contact_id  text collate "C" not null,
    referee_participant_id text collate "C",
    state               text        not null check (state in ('pending', 'qualified', 'rewarded', 'rejected')),
    reason              text,
    source              text        not null,
    created_at          timestamptz not null default now(),
    qualified_at        timestamptz,
    updated_at          timestamptz not null default now(),
    primary key (workspace_id, id),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade
);
create unique index referrals_referee_uq on referrals (workspace_id, campaign_id, referee_contact_id);
create index referrals_campaign_idx on referrals (workspace_id, campaign_id, id);
create index referrals_referrer_idx on referrals (workspace_id, campaign_id, referrer_id, created_at);
