-- A deleted contact's pending rewards and the referrals that waited for it (docs/campaigns.md,
-- "Deleted contacts"). Until now a deletion left them pending: a reward could still be approved
-- for a person who no longer exists, and a waitlist joiner whose referrer was deleted could not
-- be verified (500). ContactDeletion now rejects and voids them; this does the same for those
-- left by earlier deletions.
update referrals r set state = 'rejected', reason = 'referrer_deleted', updated_at = now()
 where r.state = 'pending'
   and not exists (select 1 from campaign_participants p
                    where p.workspace_id = r.workspace_id and p.campaign_id = r.campaign_id
                      and p.id = r.referrer_id);

update referrals r set state = 'rejected', reason = 'referee_deleted', updated_at = now()
 where r.state = 'pending'
   and not exists (select 1 from contacts c
                    where c.workspace_id = r.workspace_id and c.id = r.referee_contact_id);

update rewards w set state = 'rejected', reason = 'contact_deleted', rejected_at = now(),
       version = version + 1, updated_at = now()
 where w.state = 'pending'
   and not exists (select 1 from contacts c
                    where c.workspace_id = w.workspace_id and c.id = w.contact_id);

-- The deletion voids a person's pending rewards by contact: without this it read every reward of
-- the workspace (rewards had no index on contact_id). Partial: only pending rewards are looked for.
create index rewards_pending_contact_idx on rewards (workspace_id, contact_id)
    where state = 'pending';
