-- Erasure (docs/contacts.md, Deletion): deleting a contact deletes its campaign participants (the
-- foreign key's cascade, "delete from only campaign_participants where workspace_id = $1 and
-- contact_id = $2") and clears the address of its referrals as a referee ("where workspace_id = ?
-- and referee_contact_id = ?"). No index led with those columns (the unique indexes put
-- campaign_id in between), so both read the workspace's whole table: on 200,000 participants and
-- 100,000 referrals, 60 ms and 330 ms per deletion. One B-tree entry per participant and per
-- referral (joins and attributions; nothing on the ingest path of events) finds them directly.
create index campaign_participants_contact_idx on campaign_participants (workspace_id, contact_id);
create index referrals_referee_idx on referrals (workspace_id, referee_contact_id);
