-- Identity (docs/contacts.md): within a workspace an id points at exactly one contact. The primary
-- key was (workspace_id, kind, value), so one value could be one contact's user id and another's
-- anonymous (or aliased) id: POST /v1/contacts took a user_id that was another contact's anonymous
-- id, or anonymous_ids holding another contact's user id, and identify linked another contact's
-- user id, sent as its anonymousId, to its own contact. Events of that id then went to one contact
-- by userId and to the other by anonymousId.
--
-- Where that happened the user id keeps the value (the Ingest API already resolved a userId to
-- the contact whose user id it is first); the anonymous-id row of the same value goes, also when
-- both rows name one contact (a create with its user_id among its anonymous_ids). Events already
-- attached stay where they are.
delete from contact_identities a
 using contact_identities u
 where u.workspace_id = a.workspace_id
   and u.value = a.value
   and u.kind = 'user_id'
   and a.kind = 'anonymous_id';

-- One value, one row: the key no longer includes the kind. Same columns otherwise, so no index is
-- added to the ingest path; lookups by (workspace_id, kind, value) read it with the kind as a filter.
alter table contact_identities drop constraint contact_identities_pkey;
alter table contact_identities add constraint contact_identities_pkey primary key (workspace_id, value);
