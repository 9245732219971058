-- Erasure (docs/contacts.md, Deletion): a group that was the erased person's alone is deleted with
-- her, unless another caller's group call still names it (an anonymous visitor's, waiting for its
-- identify to make the membership). This partial index finds a group's calls without reading the
-- workspace's other group events; only group calls are indexed, so tracking writes pay nothing.
create index events_group_calls_idx on events (workspace_id, group_id) where type = 'group';
