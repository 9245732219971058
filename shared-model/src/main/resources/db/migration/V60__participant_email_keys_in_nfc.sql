-- A participant's email_normalized, the key the self-referral check compares (EmailNormalizer), is
-- taken from the address in Unicode NFC since 2026-12-06 (ContactEmail.normalize first, the one
-- rule of both services). A participant that joined before with the address typed decomposed
-- ("zoe" + U+0308) kept a decomposed key, which the key of the same address in any later referral
-- (composed) never equals: a self-referral by e-mail that passed. This composes those keys.
-- email_normalized has no unique index (two participants of one campaign may share a key: that is
-- what the check looks for), so no row is left out. Needs a UTF8 database (normalize()); on another
-- encoding it changes nothing.
do $$
begin
  if current_setting('server_encoding') <> 'UTF8' then
    raise notice 'participant email keys left as stored: the database encoding is %, not UTF8',
      current_setting('server_encoding');
    return;
  end if;
  update campaign_participants
     set email_normalized = normalize(email_normalized, NFC)
   where email_normalized is not null
     and email_normalized is not nfc normalized;
end $$;
