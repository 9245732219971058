-- Social proof (docs/social-proof.md): whether a contact's opt-out trait keeps it out of every feed.
-- The opt-out is a privacy promise, so every way people and forms say yes counts: an HTML checkbox
-- sends "on", spreadsheets "Y" or "TRUE ", other tools 2 or "opted out". Only an unset trait, JSON
-- null, or one that says no (false, 0, and the texts "", "false", "no", "off", "n", "f", "0", case
-- and surrounding white space ignored) keeps the contact in. Until V66 the feed took only true,
-- "true", "yes" and 1 as an opt-out, so a contact whose form sent "on" was shown.
-- One SQL expression, immutable: the planner inlines it into the feed queries.
create function growthos_opted_out(v jsonb) returns boolean
    language sql immutable parallel safe
as $$
    select coalesce(case jsonb_typeof(v)
               when 'boolean' then v = 'true'::jsonb
               when 'number' then (v #>> '{}')::numeric <> 0
               when 'string' then lower(btrim(v #>> '{}', E' \t\r\n\f\x0B'))
                                  not in ('', 'false', 'no', 'off', 'n', 'f', '0')
               when 'object' then true
               when 'array' then true
           end, false)
$$;
