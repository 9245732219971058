-- Erasure (docs/contacts.md, Deletion): deleting a contact deletes the webhook events that carry
-- the person (the contact as it was, its participations, its survey answers), so neither a resend
-- nor the outbox's retention keeps them. These partial indexes find those events of one person
-- without reading the workspace's whole outbox; only the event types that can carry a person are
-- indexed.
create index webhook_outbox_contact_idx
    on webhook_outbox (workspace_id, (payload->>'id'))
    where type in ('contact.created', 'contact.updated');
create index webhook_outbox_contact_ref_idx
    on webhook_outbox (workspace_id, (payload->>'contact_id'))
    where payload->>'object' in ('participant', 'survey_response');
-- A survey response recorded before its visitor's ids were linked to a contact names only them.
create index webhook_outbox_survey_user_idx
    on webhook_outbox (workspace_id, (payload->>'user_id'))
    where type = 'survey.response.completed' and payload->>'contact_id' is null;
create index webhook_outbox_survey_anonymous_idx
    on webhook_outbox (workspace_id, (payload->>'anonymous_id'))
    where type = 'survey.response.completed' and payload->>'contact_id' is null;
