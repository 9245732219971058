-- The lineage of V72 is written by the database when a key is rolled (its rolled_to_id set), so
-- every writer records it: during a rolling deploy, a copy that predates V72 rolls keys too, and
-- a successor it made would otherwise have no lineage for good (code review of V72).
create function api_key_rolled() returns trigger language plpgsql as $$
begin
    update api_keys
       set lineage_id = coalesce(new.lineage_id, new.id)
     where workspace_id = new.workspace_id and id = new.rolled_to_id and lineage_id is null;
    return null;
end
$$;

create trigger api_keys_rolled after update of rolled_to_id on api_keys
    for each row when (new.rolled_to_id is not null
                       and old.rolled_to_id is distinct from new.rolled_to_id)
    execute function api_key_rolled();
