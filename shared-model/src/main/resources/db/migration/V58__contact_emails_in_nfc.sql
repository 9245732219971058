-- Contacts' addresses are stored in Unicode NFC since 2026-12-06 (ContactEmail.normalize, the one
-- rule of both services), and every lookup (identify, the contact list's email filter, segment
-- filters, campaign joins) compares in NFC. An address stored before in another form (typed
-- decomposed, "zoe" + U+0308) would no longer be found, and the same address typed composed would
-- make a second contact. This brings those addresses to NFC, except where that would collide with
-- another contact of the workspace (the same address stored in both forms before: both are kept as
-- they are, and the decomposed one is found only as typed). Needs a UTF8 database (normalize());
-- on another encoding it changes nothing.
do $$
begin
  if current_setting('server_encoding') <> 'UTF8' then
    raise notice 'contact emails left as stored: the database encoding is %, not UTF8',
      current_setting('server_encoding');
    return;
  end if;
  update contacts c
     set email = normalize(c.email, NFC), updated_at = now()
   where c.email is not null
     and c.email is not nfc normalized
     and not exists (
           select 1 from contacts o
            where o.workspace_id = c.workspace_id and o.id <> c.id and o.email is not null
              and lower(normalize(o.email, NFC)) = lower(normalize(c.email, NFC)));
end $$;
