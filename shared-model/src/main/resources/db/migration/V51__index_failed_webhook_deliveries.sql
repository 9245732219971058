-- GET /v1/webhook-endpoints/{id}/deliveries?status=failed, newest first: failed deliveries are few
-- among an endpoint's (everything of the 30-day retention), and no index led with the status, so
-- the filter read every delivery of the workspace's endpoints: on 200,000 deliveries 157 to 225 ms
-- (Parallel Seq Scan, 4,500 pages) to answer an empty page. Only failed deliveries are indexed:
-- nothing is added to a delivery's insert or to its updates while it is pending or succeeds;
-- status=pending reads webhook_deliveries_due_idx, and succeeded is most of the rows, found at
-- once walking (workspace_id, endpoint_id, id) backwards.
create index webhook_deliveries_failed_idx on webhook_deliveries (workspace_id, endpoint_id, id)
    where status = 'failed';
