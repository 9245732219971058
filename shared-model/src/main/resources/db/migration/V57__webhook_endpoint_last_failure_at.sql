-- An endpoint is disabled when its deliveries fail for 3 days without a success (docs/webhooks.md).
-- failing_since alone counted from the first failure ever not followed by a success: an endpoint
-- whose one delivery failed for good a week ago, with nothing sent since, was disabled by the first
-- failed attempt of its next delivery. last_failure_at is the latest failed attempt; a failure more
-- than a day (or the retry schedule's longest wait) after it starts a new failing period.
alter table webhook_endpoints add column last_failure_at timestamptz;

-- Endpoints failing now: their latest failed attempt is the latest attempt of a delivery that has
-- not succeeded (a success clears failing_since); failing_since where retention removed them all.
update webhook_endpoints e
   set last_failure_at = coalesce(
         (select max(d.last_attempt_at)
            from webhook_deliveries d
           where d.workspace_id = e.workspace_id and d.endpoint_id = e.id
             and d.status in ('pending', 'failed') and d.attempts > 0),
         e.failing_since)
 where e.failing_since is not null;
