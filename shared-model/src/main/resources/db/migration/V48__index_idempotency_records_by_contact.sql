-- Erasure (docs/contacts.md, Deletion): deleting a contact replaces the stored Idempotency-Key
-- responses that show the person. It found them with strpos over the response body of every
-- record of the workspace (kept 24 h): at 200,000 records a deletion read them all. Each completed
-- record now lists the contact ids its response names (io.growthos.core.contacts.ContactDeletion
-- #contactsNamedIn, null when none), and this GIN index finds one person's records directly.
-- Only records that name a contact are indexed. fastupdate is off: with it, every search also
-- reads the index's whole pending list of recent inserts; a record names one contact or a few, so
-- inserting straight into the tree costs about what a B-tree entry does.
alter table idempotency_records add column contact_ids text[];
update idempotency_records
   set contact_ids = array(select distinct m[1]
                             from regexp_matches(response_body, '"(cntct_[0-9A-Za-z]+)"', 'g') m)
 where state = 'completed' and response_body like '%"cntct\_%';
create index idempotency_records_contact_idx on idempotency_records using gin (contact_ids)
    with (fastupdate = off) where contact_ids is not null;
