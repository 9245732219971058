-- Each campaign's status over time, so that ingest attribution judges an event by the status its
-- program had when the event was received, as docs/campaigns.md promises, and not by the status
-- when the attribution worker reaches it (black-box review T: 20 identifies carrying a code, all
-- acknowledged while the program was active, made no referral when the program was paused 10 ms
-- later; events received during a pause made referrals once it was resumed; qualifying events
-- received before a status end left their referrals pending for good).
--
-- Written by triggers on campaigns, so every writer of a status (the Management API, SQL of the
-- tests or of an operator) records it. The time is clock_timestamp() of the statement that changed
-- it: a change waits for the campaign's row lock, so two changes are stamped in the order they
-- take effect (now() would be the start of each transaction).
create table campaign_status_changes (
    workspace_id text collate "C" not null,
    campaign_id  text collate "C" not null,
    changed_at   timestamptz not null,
    status       text        not null,
    primary key (workspace_id, campaign_id, changed_at),
    foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade
);

-- Campaigns that exist now have had their status as far as anyone can tell: the behaviour before
-- this migration, for events received before it.
insert into campaign_status_changes (workspace_id, campaign_id, changed_at, status)
select workspace_id, id, '-infinity', status from campaigns;

create function campaign_status_changed() returns trigger language plpgsql as $$
begin
    insert into campaign_status_changes (workspace_id, campaign_id, changed_at, status)
    values (new.workspace_id, new.id, clock_timestamp(), new.status)
    on conflict (workspace_id, campaign_id, changed_at) do update set status = excluded.status;
    return null;
end
$$;

create trigger campaigns_status_created after insert on campaigns
    for each row execute function campaign_status_changed();
create trigger campaigns_status_changed after update of status on campaigns
    for each row when (old.status is distinct from new.status)
    execute function campaign_status_changed();
