-- Webhook secret rotation (docs/webhooks.md): every secret replaced by a rotation keeps signing
-- until its own expires_at (24 hours after it was replaced), not only the last one replaced, so a
-- receiver still holding the original secret after two quick rotations keeps verifying. A rotation
-- keeps at most the 5 newest (the oldest goes first) and drops those that have expired.
create table webhook_endpoint_previous_secrets (
    workspace_id text collate "C" not null,
    endpoint_id  text collate "C" not null,
    secret       text        not null,
    expires_at   timestamptz not null,
    primary key (workspace_id, endpoint_id, secret),
    foreign key (workspace_id, endpoint_id) references webhook_endpoints (workspace_id, id)
        on delete cascade
);

insert into webhook_endpoint_previous_secrets (workspace_id, endpoint_id, secret, expires_at)
select workspace_id, id, previous_secret, previous_secret_expires_at
  from webhook_endpoints
 where previous_secret is not null and previous_secret_expires_at > now();

-- The two former columns stay, unused from this version on: a copy of the previous version still
-- running during an upgrade reads and writes them, and dropping them would fail its deliveries.
-- A later migration drops them.
