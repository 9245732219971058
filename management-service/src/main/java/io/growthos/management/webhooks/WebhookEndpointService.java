package io.growthos.management.webhooks;

import io.growthos.core.outbox.EventType;
import io.growthos.core.webhooks.WebhookSignature;
import io.growthos.management.paging.Cursors;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.PageRequest;
import io.growthos.management.web.Preconditions;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook endpoints of the caller's workspace and their deliveries. Plain JDBC: the dispatcher
 * reads the same tables with SQL written for its queue, and nothing here needs an entity.
 */
@Service
class WebhookEndpointService {

  static final String LIST = "webhook_endpoints";
  static final String DELIVERIES = "webhook_deliveries";

  /**
   * How many replaced secrets still sign at most: five rotations within 24 hours keep all of them;
   * a sixth drops the oldest at once.
   */
  static final int MAX_PREVIOUS_SECRETS = 5;

  private static final String ENDPOINT_COLUMNS =
      "id, url, description, events, status, disabled_reason, created_at, updated_at, version";
  private static final String DELIVERY_COLUMNS =
      "id, endpoint_id, event_id, event_type, status, attempts, response_status, latency_ms,"
          + " last_error, last_attempt_at, next_attempt_at, created_at";

  private final JdbcTemplate jdbc;
  private final Cursors cursors;
  private final WebhookUrls urls;
  private final WebhookProperties props;
  private final JsonMapper json;

  WebhookEndpointService(
      JdbcTemplate jdbc, Cursors cursors, WebhookProperties props, JsonMapper json) {
    this.jdbc = jdbc;
    this.cursors = cursors;
    this.urls = new WebhookUrls(props.allowPrivateUrls());
    this.props = props;
    this.json = json;
  }

  @Transactional
  public WebhookEndpointResponse create(String workspaceId, CreateWebhookEndpointRequest r) {
    String url = urls.validate(r.url()).toString();
    List<String> events = checkEvents(r.events());
    String status = checkStatus(r.status() == null ? "enabled" : r.status());
    String id = Ids.next(IdPrefix.WEBHOOK_ENDPOINT);
    String secret = WebhookSignature.newSecret();
    jdbc.update(
        "insert into webhook_endpoints (workspace_id, id, url, description, events, status,"
            + " secret) values (?, ?, ?, ?, ?, ?, ?)",
        workspaceId,
        id,
        url,
        r.description(),
        events.toArray(String[]::new),
        status,
        secret);
    return withSecret(find(workspaceId, id), secret);
  }

  @Transactional(readOnly = true)
  public Page<WebhookEndpointResponse> list(String workspaceId, int limit, String cursor) {
    PageRequest.checkLimit(limit);
    String before =
        cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, LIST, workspaceId, "");
    List<WebhookEndpointResponse> rows =
        jdbc.query(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where workspace_id = ? and (?::text is null or id < ?)"
                + " order by id desc limit ?",
            ENDPOINT,
            workspaceId,
            before,
            before,
            limit + 1);
    return Page.of(
        rows,
        limit,
        WebhookEndpointResponse::id,
        last -> cursors.encode(LIST, workspaceId, "", last),
        page -> page);
  }

  @Transactional(readOnly = true)
  public WebhookEndpointResponse get(String workspaceId, String id) {
    return find(workspaceId, id);
  }

  @Transactional
  public WebhookEndpointResponse update(
      String workspaceId, String id, UpdateWebhookEndpointRequest r, Integer ifMatch) {
    WebhookEndpointResponse current = findForUpdate(workspaceId, id);
    Preconditions.check(current.version(), ifMatch, r.getVersion());
    String url = r.getUrl() == null ? current.url() : urls.validate(r.getUrl()).toString();
    List<String> events = r.getEvents() == null ? current.events() : checkEvents(r.getEvents());
    String description = r.isDescriptionPresent() ? r.getDescription() : current.description();
    String status = r.getStatus() == null ? current.status() : checkStatus(r.getStatus());
    boolean enabling = status.equals("enabled") && !current.status().equals("enabled");
    if (url.equals(current.url())
        && events.equals(current.events())
        && java.util.Objects.equals(description, current.description())
        && status.equals(current.status())) {
      return current;
    }
    jdbc.update(
        "update webhook_endpoints set url = ?, events = ?, description = ?, status = ?,"
            + " disabled_reason = case when ? then null else disabled_reason end,"
            + " failing_since = case when ? then null else failing_since end,"
            + " last_failure_at = case when ? then null else last_failure_at end,"
            + " version = version + 1, updated_at = now() where workspace_id = ? and id = ?",
        url,
        events.toArray(String[]::new),
        description,
        status,
        enabling,
        enabling,
        enabling,
        workspaceId,
        id);
    return find(workspaceId, id);
  }

  /** Deletes the endpoint and its delivery log; pending deliveries to it are dropped. */
  @Transactional
  public void delete(String workspaceId, String id) {
    if (jdbc.update(
            "delete from webhook_endpoints where workspace_id = ? and id = ?", workspaceId, id)
        == 0) {
      throw notFound(id);
    }
  }

  /**
   * A new secret. Every secret it replaces keeps signing deliveries for {@code previous-secret-ttl}
   * (24 h) from its own replacement, so receivers can switch without losing a delivery, even after
   * several rotations in a row; at most {@link #MAX_PREVIOUS_SECRETS} of them are kept, the oldest
   * dropped first.
   */
  @Transactional
  public WebhookEndpointResponse rotateSecret(String workspaceId, String id) {
    findForUpdate(workspaceId, id);
    String secret = WebhookSignature.newSecret();
    jdbc.update(
        "insert into webhook_endpoint_previous_secrets (workspace_id, endpoint_id, secret,"
            + " expires_at) select workspace_id, id, secret, now() + ?::interval"
            + " from webhook_endpoints where workspace_id = ? and id = ?",
        props.dispatcher().previousSecretTtl().toSeconds() + " seconds",
        workspaceId,
        id);
    jdbc.update(
        "delete from webhook_endpoint_previous_secrets where workspace_id = ? and endpoint_id = ?"
            + " and (expires_at <= now() or secret not in (select secret"
            + " from webhook_endpoint_previous_secrets where workspace_id = ? and endpoint_id = ?"
            + " order by expires_at desc, secret limit ?))",
        workspaceId,
        id,
        workspaceId,
        id,
        MAX_PREVIOUS_SECRETS);
    jdbc.update(
        "update webhook_endpoints set secret = ?, version = version + 1, updated_at = now()"
            + " where workspace_id = ? and id = ?",
        secret,
        workspaceId,
        id);
    return withSecret(find(workspaceId, id), secret);
  }

  /**
   * Queues a {@code webhook.test} event for this endpoint only (whatever its {@code events} say),
   * delivered and signed like any other. A disabled endpoint is sent nothing, so its test is 422
   * {@code endpoint_disabled} rather than a delivery that would stay pending. The endpoint is read
   * {@code FOR SHARE}: a PATCH or DELETE of it in flight commits first and the test sees its result
   * (disabled: 422; deleted: 404), or waits for the test. Read without a lock, a test racing a
   * deletion failed on its delivery's foreign key (409 {@code concurrent_update}), and one racing a
   * disabling queued a delivery that was never sent.
   */
  @Transactional
  public WebhookDeliveryResponse test(String workspaceId, String id) {
    WebhookEndpointResponse endpoint = findForShare(workspaceId, id);
    requireEnabled(endpoint, "test it");
    String eventId = Ids.next(IdPrefix.EVENT);
    String payload =
        json.writeValueAsString(
            Map.of(
                "endpoint_id",
                endpoint.id(),
                "message",
                "A test event from GrowthOS: if you can read this, your endpoint works."));
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, dispatched_at)"
            + " values (?, ?, ?, ?::jsonb, now())",
        workspaceId,
        eventId,
        EventType.WEBHOOK_TEST.wireName(),
        payload);
    String deliveryId = Ids.next(IdPrefix.WEBHOOK_DELIVERY);
    jdbc.update(
        "insert into webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type,"
            + " next_attempt_at) values (?, ?, ?, ?, ?, now())",
        workspaceId,
        deliveryId,
        id,
        eventId,
        EventType.WEBHOOK_TEST.wireName());
    return findDelivery(workspaceId, id, deliveryId);
  }

  @Transactional(readOnly = true)
  public Page<WebhookDeliveryResponse> deliveries(
      String workspaceId, String endpointId, String status, int limit, String cursor) {
    PageRequest.checkLimit(limit);
    find(workspaceId, endpointId);
    if (status != null && !List.of("pending", "succeeded", "failed").contains(status)) {
      throw ApiException.invalid(
          "status",
          "invalid_value",
          "Parameter 'status' must be one of: pending, succeeded, failed.");
    }
    String filters = endpointId + "\u0000" + (status == null ? "" : status);
    String before =
        cursor == null || cursor.isEmpty()
            ? null
            : cursors.decode(cursor, DELIVERIES, workspaceId, filters);
    List<WebhookDeliveryResponse> rows =
        jdbc.query(
            "select "
                + DELIVERY_COLUMNS
                + " from webhook_deliveries where workspace_id = ? and endpoint_id = ?"
                + " and (?::text is null or status = ?) and (?::text is null or id < ?)"
                + " order by id desc limit ?",
            DELIVERY,
            workspaceId,
            endpointId,
            status,
            status,
            before,
            before,
            limit + 1);
    return Page.of(
        rows,
        limit,
        WebhookDeliveryResponse::id,
        last -> cursors.encode(DELIVERIES, workspaceId, filters, last),
        page -> page);
  }

  /** 422 {@code endpoint_disabled} naming {@code id} unless the endpoint is enabled. */
  private static void requireEnabled(WebhookEndpointResponse endpoint, String toDo) {
    if (!endpoint.status().equals("enabled")) {
      String message =
          "Webhook endpoint '"
              + endpoint.id()
              + "' is disabled and is sent nothing: enable it to "
              + toDo
              + ".";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("id", "endpoint_disabled", message)));
    }
  }

  /**
   * Sends the delivery again as soon as possible, whatever its status: a new attempt with the same
   * {@code webhook-id} and body, freshly signed, whose failure starts the automatic retries again
   * from the first (5 s), as for a new delivery: resends during an outage cannot use them up. A
   * disabled endpoint is sent nothing, so resending to it is 422 {@code endpoint_disabled} (as its
   * test is) and the delivery stays as it was, instead of a 200 for a delivery that would wait,
   * pending, until the endpoint is enabled. The endpoint is read {@code FOR SHARE}, as {@link
   * #test} reads it.
   */
  @Transactional
  public WebhookDeliveryResponse resend(String workspaceId, String endpointId, String deliveryId) {
    requireEnabled(findForShare(workspaceId, endpointId), "resend to it");
    int n =
        jdbc.update(
            "update webhook_deliveries set status = 'pending', next_attempt_at = now(),"
                + " retry_base = attempts, updated_at = now()"
                + " where workspace_id = ? and endpoint_id = ? and id = ?",
            workspaceId,
            endpointId,
            deliveryId);
    if (n == 0) {
      throw ApiException.notFound("webhook delivery", deliveryId, "delivery_id");
    }
    return findDelivery(workspaceId, endpointId, deliveryId);
  }

  private WebhookDeliveryResponse findDelivery(
      String workspaceId, String endpointId, String deliveryId) {
    return jdbc
        .query(
            "select "
                + DELIVERY_COLUMNS
                + " from webhook_deliveries where workspace_id = ? and endpoint_id = ? and id = ?",
            DELIVERY,
            workspaceId,
            endpointId,
            deliveryId)
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("webhook delivery", deliveryId, "delivery_id"));
  }

  private WebhookEndpointResponse find(String workspaceId, String id) {
    return jdbc
        .query(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where workspace_id = ? and id = ?",
            ENDPOINT,
            workspaceId,
            id)
        .stream()
        .findFirst()
        .orElseThrow(() -> notFound(id));
  }

  /** The endpoint, locked until commit: concurrent changes serialize, the version stays exact. */
  private WebhookEndpointResponse findForUpdate(String workspaceId, String id) {
    return findLocked(workspaceId, id, "for update");
  }

  /** The endpoint, kept from being changed or deleted until commit (other readers go on). */
  private WebhookEndpointResponse findForShare(String workspaceId, String id) {
    return findLocked(workspaceId, id, "for share");
  }

  private WebhookEndpointResponse findLocked(String workspaceId, String id, String lock) {
    return jdbc
        .query(
            "select "
                + ENDPOINT_COLUMNS
                + " from webhook_endpoints where workspace_id = ? and id = ? "
                + lock,
            ENDPOINT,
            workspaceId,
            id)
        .stream()
        .findFirst()
        .orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("webhook endpoint", id, "id");
  }

  /** The distinct event types asked for; a bad one is a 400 naming its index in the request. */
  private static List<String> checkEvents(List<String> requested) {
    List<ErrorDetail> bad = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      String e = requested.get(i);
      boolean ok =
          EventType.ALL.equals(e)
              || EventType.ofWireName(e).map(EventType::subscribable).orElse(false);
      if (!ok) {
        bad.add(
            ErrorDetail.of(
                "events[" + i + "]",
                "invalid_value",
                "Unknown event type '"
                    + e
                    + "'; allowed: *, "
                    + String.join(", ", EventType.subscribableNames())
                    + "."));
      }
    }
    if (!bad.isEmpty()) {
      throw ApiException.invalid(bad);
    }
    return List.copyOf(new LinkedHashSet<>(requested));
  }

  private static String checkStatus(String status) {
    if (!status.equals("enabled") && !status.equals("disabled")) {
      throw ApiException.invalid(
          "status", "invalid_value", "Field 'status' must be one of: enabled, disabled.");
    }
    return status;
  }

  private static WebhookEndpointResponse withSecret(WebhookEndpointResponse e, String secret) {
    return new WebhookEndpointResponse(
        e.id(),
        e.object(),
        e.url(),
        e.events(),
        e.description(),
        e.status(),
        e.disabledReason(),
        e.createdAt(),
        e.updatedAt(),
        e.version(),
        secret);
  }

  private static final RowMapper<WebhookEndpointResponse> ENDPOINT =
      (rs, i) ->
          new WebhookEndpointResponse(
              rs.getString("id"),
              "webhook_endpoint",
              rs.getString("url"),
              strings(rs.getArray("events")),
              rs.getString("description"),
              rs.getString("status"),
              rs.getString("disabled_reason"),
              SqlInstants.get(rs, "created_at"),
              SqlInstants.get(rs, "updated_at"),
              rs.getInt("version"),
              null);

  private static final RowMapper<WebhookDeliveryResponse> DELIVERY =
      (rs, i) ->
          new WebhookDeliveryResponse(
              rs.getString("id"),
              "webhook_delivery",
              rs.getString("endpoint_id"),
              rs.getString("event_id"),
              rs.getString("event_type"),
              rs.getString("status"),
              rs.getInt("attempts"),
              (Integer) rs.getObject("response_status"),
              (Integer) rs.getObject("latency_ms"),
              rs.getString("last_error"),
              SqlInstants.get(rs, "last_attempt_at"),
              SqlInstants.get(rs, "next_attempt_at"),
              SqlInstants.get(rs, "created_at"));

  private static List<String> strings(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
  }
}
