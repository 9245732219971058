-- The filter grammar (SPEC §7, growth-core io.growthos.core.filter.FilterSql) compiles to SQL that
-- reads JSON values (contact traits, event properties) through these three functions, so the rule
-- for how "42" and 42 compare lives in one place. Each returns NULL when the value cannot be read
-- that way; none ever raises for bad data.

-- A JSON number, or a JSON string that spells a decimal number ("42", "-1.5"), as numeric.
create function growthos_jsonb_numeric(j jsonb) returns numeric
    language sql immutable parallel safe
as $$
    select case jsonb_typeof(j)
               when 'number' then (j #>> '{}')::numeric
               when 'string' then case when (j #>> '{}') ~ '^-?[0-9]{1,100}(\.[0-9]{1,100})?$'
                                       then (j #>> '{}')::numeric end
           end
$$;

-- The text a string, number or boolean compares by: a string as it is, a number or boolean in
-- its JSON spelling. Objects, arrays and null have none.
create function growthos_jsonb_text(j jsonb) returns text
    language sql immutable parallel safe
as $$
    select case jsonb_typeof(j)
               when 'string' then j #>> '{}'
               when 'number' then j #>> '{}'
               when 'boolean' then j #>> '{}'
           end
$$;

-- A JSON string holding an RFC 3339 timestamp with an offset, or a bare date (midnight UTC).
create function growthos_jsonb_timestamptz(j jsonb) returns timestamptz
    language plpgsql immutable parallel safe
as $$
declare
    s text;
begin
    if j is null or jsonb_typeof(j) <> 'string' then
        return null;
    end if;
    s := j #>> '{}';
    if s ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
        s := s || 'T00:00:00Z';
    elsif s !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[-+][0-9]{2}:[0-9]{2})$' then
        return null;
    end if;
    return s::timestamptz;
exception when others then
    return null;
end
$$;

-- Behaviour leaves ("performed X within 30 days") probe a contact's events of one name in a time
-- range: this index answers them without touching other events.
create index events_contact_event_time_idx
    on events (workspace_id, contact_id, event, timestamp) where contact_id is not null;
