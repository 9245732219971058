-- The widget's `counts.participants` (GET /v1/widgets/campaigns/{id}) is read from the join
-- counter so that it costs O(1); it counted every join ever made, so a participant removed with
-- its contact (DELETE /v1/contacts/{id}) was still counted there while the Management API's stats
-- left it out. ContactDeletion now counts the participants it removes here, and the widget shows
-- last_join_seq - participants_removed. join_seq is gap-free (a rolled-back join rolls back its
-- increment), so for earlier deletions the difference to the rows left is what they removed.
alter table campaign_counters add column participants_removed bigint not null default 0;

update campaign_counters cc
   set participants_removed = cc.last_join_seq
       - (select count(*) from campaign_participants p
           where p.workspace_id = cc.workspace_id and p.campaign_id = cc.campaign_id)
 where cc.last_join_seq > 0;
