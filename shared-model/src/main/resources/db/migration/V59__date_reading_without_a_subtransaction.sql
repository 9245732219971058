-- growthos_jsonb_timestamptz (V10) reads a trait or event property as a date for the filter
-- grammar's gt/gte/lt/lte (segments, previews, analytics where and filter). V10 caught a failed
-- cast in an EXCEPTION block, which starts a subtransaction on every call; PostgreSQL 15 and 16
-- refuse that in a parallel operation ("cannot start subtransactions during a parallel
-- operation"), so once a table was big enough for PostgreSQL to scan it in parallel workers every
-- such query failed (a 500). This version checks the text before it casts it, so the cast cannot
-- fail and no EXCEPTION block is needed. It also reads exactly the documented rule (and the
-- reference evaluator of the property tests), where PostgreSQL's own input differed: YYYY-MM-DD
-- (midnight UTC), or RFC 3339 with seconds and an offset (Z or +-HH:MM up to 18:00), a real
-- calendar day of a year from 0001, hours 00-23, minutes and seconds 00-59. V10 read 24:00:00 as
-- the next midnight and second 60 as the next minute, and failed on offsets past 15:59.
create or replace function growthos_jsonb_timestamptz(j jsonb) returns timestamptz
    language plpgsql immutable parallel safe
as $$
declare
    s text;
    local text;
    offset_minutes int := 0;
    y int;
    m int;
    d int;
begin
    if j is null or jsonb_typeof(j) <> 'string' then
        return null;
    end if;
    s := j #>> '{}';
    if s ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
        local := s || ' 00:00:00';
    elsif s ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[-+][0-9]{2}:[0-9]{2})$' then
        if substr(s, 12, 2)::int > 23 or substr(s, 15, 2)::int > 59
                or substr(s, 18, 2)::int > 59 then
            return null;
        end if;
        if right(s, 1) in ('Z', 'z') then
            local := left(s, 10) || ' ' || substr(s, 12, length(s) - 12);
        else
            -- the local time without its offset, which is then taken off by hand (PostgreSQL's
            -- input refuses offsets past 15:59)
            local := left(s, 10) || ' ' || substr(s, 12, length(s) - 17);
            if right(s, 2)::int > 59 then
                return null;
            end if;
            offset_minutes := substr(s, length(s) - 4, 2)::int * 60 + right(s, 2)::int;
            if offset_minutes > 18 * 60 then
                return null;
            end if;
            if substr(s, length(s) - 5, 1) = '-' then
                offset_minutes := -offset_minutes;
            end if;
        end if;
    else
        return null;
    end if;
    y := left(s, 4)::int;
    m := substr(s, 6, 2)::int;
    d := substr(s, 9, 2)::int;
    if y < 1 or m < 1 or m > 12 or d < 1 then
        return null;
    end if;
    if d > 28 and d > extract(day from make_date(y, m, 1) + interval '1 month' - interval '1 day') then
        return null;
    end if;
    return (local || '+00')::timestamptz - make_interval(mins => offset_minutes);
end
$$;
