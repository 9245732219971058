-- The contract step V46 announced: since V46 a replaced webhook secret is kept in
-- webhook_endpoint_previous_secrets, and no version from V46 on reads or writes
-- webhook_endpoints.previous_secret / previous_secret_expires_at. Until now they still held the
-- secret replaced before V46, in plain text, read by nothing and never expired; a rolling upgrade
-- from any version since V46 runs no code that needs them.
alter table webhook_endpoints
    drop column previous_secret,
    drop column previous_secret_expires_at;
