-- Idempotency claims get an owner (issue 8): a random token per claim, so that only the request
-- holding the claim can complete or release it, and taking over a stale claim gives it a new
-- token that fences the old owner out. Rows claimed before this migration have none; they are
-- completed (no owner needed) or stale claims that the next request takes over.
alter table idempotency_records add column owner_token uuid;
