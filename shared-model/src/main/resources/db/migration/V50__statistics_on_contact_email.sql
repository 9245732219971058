-- GET /v1/contacts?email=… (case-insensitive: lower(email) = lower(:email), newest first, a page of
-- 26) read the workspace's whole contacts table: contacts_email_uq is a partial index, and
-- PostgreSQL takes no statistics from a partial index's expression, so it guessed 0.5 % of the
-- contacts match, and walking the primary key backwards until a page was full looked cheaper than
-- the unique index. On 500,000 contacts that was 0.56 to 2.6 s (19,000 pages) per lookup. With
-- statistics on the expression it knows an address matches one contact and reads the unique
-- index: 0.9 ms, 4 pages. Statistics cost nothing per insert; ANALYZE keeps them.
create statistics contacts_lower_email_stats on (lower(email)) from contacts;
analyze contacts;
