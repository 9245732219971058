-- Every copy of both services caches who a key is for growthos.auth.cache-ttl (5 s). A revoke, a
-- roll or a plan change committed by one copy of the Management API used to reach the others (and
-- the Ingest API, where write keys are used) only when their cached answer expired: a revoked
-- write key kept ingesting for up to 5 s after its revoke answered 200. Each such change now
-- notifies the channel growthos_keys_changed in its transaction; PostgreSQL delivers it at commit
-- to every copy listening (KeyChangeListener, service-common), which forgets its cached keys.
-- Statement triggers: one notification per statement (PostgreSQL folds repeats within a
-- transaction), whatever changed the rows (the API, the bootstrap, an operator's SQL).
create function growthos_notify_keys_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('growthos_keys_changed', '');
  return null;
end
$$;

create trigger api_keys_changed after update or delete on api_keys
  for each statement execute function growthos_notify_keys_changed();

create trigger admin_keys_changed after update or delete on admin_keys
  for each statement execute function growthos_notify_keys_changed();

create trigger workspaces_plan_changed after update of plan or delete on workspaces
  for each statement execute function growthos_notify_keys_changed();
