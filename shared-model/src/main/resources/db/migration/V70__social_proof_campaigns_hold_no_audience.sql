-- A social proof campaign takes no audience (400 not_supported on `audience` since 2026-12-07,
-- black-box review R): its feed is shown to anonymous visitors, so nobody is selected. Audiences
-- stored on such campaigns before then were ignored, yet they were still returned by GET, so a
-- PATCH that sent the campaign back was refused, and the segment one named could not be deleted
-- (422 segment_in_use). They are cleared here; the campaign's version moves on, as for any change,
-- so a client holding the old representation gets 412/409 instead of overwriting it.
update campaigns
   set audience = null, version = version + 1, updated_at = now()
 where type = 'social_proof' and audience is not null;
