-- Surveys (SPEC §8, docs/surveys.md): what the survey widget recorded for each visitor of a survey
-- campaign. A visitor is known by the ids the widget sent (anonymous_id, user_id) and by the contact
-- those ids resolved to when it was recorded (null when none existed yet); frequency caps match a
-- visitor on any of the three.

-- Displays (the survey was shown) and dismissals (closed without finishing). Append-only.
create table survey_interactions (
    workspace_id text collate "C" not null,
    campaign_id  text collate "C" not null,
    seq          bigint generated always as identity,
    kind         text        not null check (kind in ('display', 'dismissal')),
    contact_id   text collate "C",
    anonymous_id text,
    user_id      text,
    url          text,
    created_at   timestamptz not null default now(),
    primary key (workspace_id, campaign_id, seq),
    check (anonymous_id is not null or user_id is not null),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade,
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- Caps: "has this visitor seen a survey since …", across the workspace's surveys.
create index survey_interactions_contact_idx on survey_interactions (workspace_id, contact_id, created_at)
    where contact_id is not null;
create index survey_interactions_anonymous_idx on survey_interactions (workspace_id, anonymous_id, created_at)
    where anonymous_id is not null;
create index survey_interactions_user_idx on survey_interactions (workspace_id, user_id, created_at)
    where user_id is not null;

-- Responses, idempotent on the client's response_id within a campaign: a partial response is
-- updated in place until it is completed; a completed response is final.
create table survey_responses (
    workspace_id text collate "C" not null,
    campaign_id  text collate "C" not null,
    response_id  text collate "C" not null,
    -- Export order (newest first) and cursor key.
    seq          bigint generated always as identity,
    contact_id   text collate "C",
    anonymous_id text,
    user_id      text,
    answers      jsonb       not null default '{}'::jsonb,
    completed    boolean     not null default false,
    url          text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (workspace_id, campaign_id, response_id),
    check (anonymous_id is not null or user_id is not null),
    check (completed = (completed_at is not null)),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade,
    foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create unique index survey_responses_seq_uq on survey_responses (workspace_id, campaign_id, seq);
create index survey_responses_contact_idx on survey_responses (workspace_id, contact_id)
    where contact_id is not null;
create index survey_responses_anonymous_idx on survey_responses (workspace_id, anonymous_id)
    where anonymous_id is not null;
create index survey_responses_user_idx on survey_responses (workspace_id, user_id)
    where user_id is not null;
