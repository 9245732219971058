-- A rolled key and the keys it was rolled from are one credential (black-box review T): the key
-- an Idempotency-Key record belongs to is the first key of that chain, so that a retry sent with
-- the successor of the key that made the request replays it instead of running it again. Null for
-- a key that was never the successor of another (its lineage is its own id).
alter table api_keys add column lineage_id text collate "C";

with recursive chain (workspace_id, id, root) as (
    select k.workspace_id, k.id, k.id
      from api_keys k
     where not exists (select 1 from api_keys p
                        where p.workspace_id = k.workspace_id and p.rolled_to_id = k.id)
    union all
    select n.workspace_id, n.id, c.root
      from chain c
      join api_keys o on o.workspace_id = c.workspace_id and o.id = c.id
      join api_keys n on n.workspace_id = o.workspace_id and n.id = o.rolled_to_id
)
update api_keys k
   set lineage_id = c.root
  from chain c
 where k.workspace_id = c.workspace_id and k.id = c.id and c.root <> k.id;
