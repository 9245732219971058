package io.growthos.management.webhooks;

import io.growthos.core.webhooks.WebhookSignature;
import io.growthos.model.values.SqlInstants;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers webhook events, at least once, from any number of service copies at the same time.
 *
 * <p>One loop thread does two things in turn. <b>Fan-out</b>: takes outbox events not yet fanned
 * out ({@code FOR UPDATE SKIP LOCKED}, so copies take different ones) and, in the same transaction,
 * writes one delivery per endpoint whose {@code events} match and marks the event done.
 * <b>Claim</b>: takes due deliveries, at most {@code per-endpoint} per endpoint and only of
 * endpoints this copy has nothing in flight for, again with {@code SKIP LOCKED}, and stamps them
 * with a lease and a token before commit. The HTTP requests then run on a bounded pool outside any
 * transaction; each outcome is written back only if the lease token is still ours. A copy that dies
 * mid-delivery leaves the lease to run out, and another copy sends the delivery again with the same
 * {@code webhook-id}: receivers may see an event twice, never an event that did not happen.
 *
 * <p>A slow or dead receiver holds at most {@code per-endpoint} threads of the pool: deliveries to
 * other endpoints keep flowing ({@code WebhookDeliveryTests.slowReceiverDoesNotDelayOthers}).
 */
public class WebhookDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private static final String FAN_OUT =
      """
      with picked as (
        select workspace_id, id, type from webhook_outbox
         where dispatched_at is null
         order by created_at
         limit ?
         for update skip locked
      ), fanned as (
        insert into webhook_deliveries
               (workspace_id, id, endpoint_id, event_id, event_type, next_attempt_at)
        select p.workspace_id, 'dlv_' || substr(p.id, 5, 9) || substr(md5(p.id || e.id), 1, 14),
               e.id, p.id, p.type, now()
          from picked p
          join webhook_endpoints e
            on e.workspace_id = p.workspace_id and e.status = 'enabled'
           and (p.type = any(e.events) or '*' = any(e.events))
        on conflict do nothing
        returning 1
      )
      update webhook_outbox o set dispatched_at = now()
        from picked p where o.workspace_id = p.workspace_id and o.id = p.id
      returning (select count(*) from fanned)
      """;

  static final String CLAIM =
      """
      with endpoints as (
        select workspace_id, id from webhook_endpoints
         where status = 'enabled' and not ((workspace_id || ' ' || id) = any(?::text[]))
         order by random()
      ), due as (
        select d.workspace_id, d.id
          from endpoints e
          cross join lateral (
            select x.workspace_id, x.id from webhook_deliveries x
             where x.workspace_id = e.workspace_id and x.endpoint_id = e.id
               and x.status = 'pending' and x.next_attempt_at <= now()
               and (x.lease_until is null or x.lease_until < now())
             order by x.next_attempt_at
             limit ?
             for update skip locked) d
         limit ?
      )
      update webhook_deliveries d
         set lease_until = now() + ?::interval, lease_token = ?
        from due, webhook_endpoints e, webhook_outbox o
       where d.workspace_id = due.workspace_id and d.id = due.id
         and e.workspace_id = d.workspace_id and e.id = d.endpoint_id
         and o.workspace_id = d.workspace_id and o.id = d.event_id
      returning d.workspace_id, d.id, d.endpoint_id, d.event_id, d.retry_base,
                d.attempts - d.retry_base as scheduled_attempts, e.url, e.secret,
                array(select s.secret from webhook_endpoint_previous_secrets s
                       where s.workspace_id = e.workspace_id and s.endpoint_id = e.id
                         and s.expires_at > now()
                       order by s.expires_at desc) as previous_secrets,
                o.type, o.payload::text as payload, o.created_at
      """;

  /**
   * Whether {@link #CLAIM} can find anything: the pending deliveries due now, in the order they
   * fell due (index {@code webhook_deliveries_next_due_queue_idx}), at most {@code ?} of them, and
   * whether one is of an enabled endpoint and not leased. The claim starts from every enabled
   * endpoint, which costs a read of each even when nothing is due (93-162 ms at 50,000 endpoints);
   * this reads a few index pages then. As many due rows as the bound (deliveries of disabled
   * endpoints, which wait while the endpoint is disabled, or of leases in flight) answers yes: the
   * claim decides.
   */
  static final String ANY_DUE =
      """
      select count(*) filter (where e.status = 'enabled'
                                and (d.lease_until is null or d.lease_until < now())) > 0
             or count(*) >= ?
        from (select x.workspace_id, x.endpoint_id, x.lease_until from webhook_deliveries x
               where x.status = 'pending' and x.next_attempt_at <= now()
               order by x.next_attempt_at
               limit ?) d
        join webhook_endpoints e on e.workspace_id = d.workspace_id and e.id = d.endpoint_id
      """;

  /** How many due rows {@link #ANY_DUE} reads before it leaves the answer to the claim. */
  static final int ANY_DUE_ROWS = 1000;

  /**
   * A claimed delivery with everything needed to send it. {@code attempts}: the failed attempts of
   * its retry schedule so far, those since its last manual resend (a resend restarts it); {@code
   * retryBase}: where that schedule started, as claimed (a resend while this attempt is in flight
   * moves it, and the attempt's outcome then leaves the resend's schedule as it is).
   */
  record Claimed(
      String workspaceId,
      String id,
      String endpointId,
      String eventId,
      int attempts,
      int retryBase,
      String url,
      List<String> secrets,
      String type,
      String payload,
      Instant createdAt) {

    String endpointKey() {
      return workspaceId + " " + endpointId;
    }
  }

  /** What one attempt came to. */
  record Outcome(Integer status, int latencyMs, String error, Duration retryAfter) {
    boolean succeeded() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final WebhookProperties.Dispatcher props;
  private final WebhookUrls urls;
  private final JsonMapper json;

  /**
   * Made by each {@link #start} ({@link #stop} shuts it down), or by the first send of a dispatcher
   * never started; none at all for a dispatcher that never sends (its threads would stay idle).
   */
  private volatile WebhookClient http;

  private final String leaseToken = UUID.randomUUID().toString();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Semaphore slots;
  private final AtomicLong attemptsMade = new AtomicLong();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private volatile ExecutorService pool;
  private volatile Thread loop;
  private volatile boolean running;
  private final Object wakeUp = new Object();

  public WebhookDispatcher(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      WebhookProperties.Dispatcher props,
      boolean allowPrivateUrls,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.props = props;
    // A host whose DNS never answers must not hold a sending thread: the look-up has the connect
    // timeout, and at most as many wait at once as there are sending threads.
    this.urls =
        new WebhookUrls(
            allowPrivateUrls,
            HostLookup.bounded(
                HostLookup.SYSTEM, props.connectTimeout(), Math.max(1, props.threads())));
    this.json = json;
    this.slots = new Semaphore(Math.max(1, props.threads()));
  }

  /** Attempts made by this copy, for tests and the benchmark. */
  public long attemptsMade() {
    return attemptsMade.get();
  }

  /** Asks the loop to poll now instead of after its pause. */
  public void wakeUp() {
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  private void run() {
    while (running) {
      boolean busy = false;
      try {
        busy |= fanOut() > 0;
        busy |= claimAndSend() > 0;
      } catch (RuntimeException e) {
        log.warn("Webhook dispatcher poll failed: {}", e.toString());
      }
      if (!busy) {
        try {
          synchronized (wakeUp) {
            wakeUp.wait(Math.max(1, props.pollInterval().toMillis()));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Fans out one batch of outbox events; returns how many events were taken. */
  int fanOut() {
    List<Long> rows =
        tx.execute(
            status ->
                jdbc.query(FAN_OUT, (rs, i) -> rs.getLong(1), Math.max(1, props.fanOutBatch())));
    return rows == null ? 0 : rows.size();
  }

  /** Claims as many due deliveries as there are free threads and starts sending them. */
  int claimAndSend() {
    int free = slots.availablePermits();
    if (free == 0) {
      return 0;
    }
    String[] busy =
        inFlight.entrySet().stream()
            .filter(e -> e.getValue().get() > 0)
            .map(Map.Entry::getKey)
            .toArray(String[]::new);
    List<Claimed> claimed = claim(busy, free);
    for (Claimed c : claimed) {
      slots.acquireUninterruptibly();
      inFlight.computeIfAbsent(c.endpointKey(), k -> new AtomicInteger()).incrementAndGet();
      pool.execute(
          () -> {
            try {
              record(c, attempt(c));
            } catch (RuntimeException e) {
              log.warn("Recording webhook delivery {} failed: {}", c.id(), e.toString());
            } finally {
              inFlight.get(c.endpointKey()).decrementAndGet();
              slots.release();
              wakeUp();
            }
          });
    }
    return claimed.size();
  }

  /**
   * Claims at most {@code free} due deliveries, at most {@code per-endpoint} per endpoint, none of
   * the endpoints in {@code busy} ("workspace endpoint"), stamping them with this copy's lease.
   */
  List<Claimed> claim(String[] busy, int free) {
    if (!anythingDue()) {
      return List.of();
    }
    List<Claimed> claimed =
        tx.execute(
            status ->
                jdbc.query(
                    CLAIM,
                    (rs, i) -> {
                      List<String> secrets = new ArrayList<>();
                      secrets.add(rs.getString("secret"));
                      // Every secret replaced within its TTL still signs (docs/webhooks.md).
                      secrets.addAll(
                          List.of((String[]) rs.getArray("previous_secrets").getArray()));
                      return new Claimed(
                          rs.getString("workspace_id"),
                          rs.getString("id"),
                          rs.getString("endpoint_id"),
                          rs.getString("event_id"),
                          rs.getInt("scheduled_attempts"),
                          rs.getInt("retry_base"),
                          rs.getString("url"),
                          secrets,
                          rs.getString("type"),
                          rs.getString("payload"),
                          SqlInstants.get(rs, "created_at"));
                    },
                    busy,
                    Math.max(1, props.perEndpoint()),
                    free,
                    props.lease().toMillis() + " milliseconds",
                    leaseToken));
    return claimed == null ? List.of() : claimed;
  }

  /**
   * Whether a pending delivery of an enabled endpoint, not leased, is due ({@link #ANY_DUE}); true
   * also when so many are due that the look stops short. False means the claim would find nothing.
   */
  boolean anythingDue() {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(ANY_DUE, Boolean.class, ANY_DUE_ROWS, ANY_DUE_ROWS));
  }

  /** The body of every attempt of an event: {@code {id, type, created_at, data}}. */
  String body(Claimed c) {
    return "{\"id\":"
        + json.writeValueAsString(c.eventId())
        + ",\"type\":"
        + json.writeValueAsString(c.type())
        + ",\"created_at\":"
        + json.writeValueAsString(io.growthos.platform.web.WireTimestamps.format(c.createdAt()))
        + ",\"data\":"
        + c.payload()
        + "}";
  }

  /**
   * One attempt, whatever goes wrong: a failure to build or send the request (a URL saved before
   * today's checks, a header the client refuses) is a failed attempt like a refused connection, so
   * the delivery follows the retry schedule to {@code failed} and the endpoint can be disabled,
   * instead of staying pending and being claimed again every lease.
   */
  Outcome attempt(Claimed c) {
    long started = System.nanoTime();
    try {
      return send(c);
    } catch (RuntimeException e) {
      log.warn("Webhook delivery {} could not be sent: {}", c.id(), e.toString());
      String why =
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
      if (why.length() > 300) {
        why = why.substring(0, 300) + "…";
      }
      return new Outcome(
          null, millisSince(started), "The request could not be made (" + why + ").", null);
    }
  }

  Outcome send(Claimed c) {
    attemptsMade.incrementAndGet();
    long started = System.nanoTime();
    URI uri;
    try {
      uri = WebhookUrls.parse(c.url());
    } catch (IllegalArgumentException e) {
      return new Outcome(null, 0, "The endpoint URL is not valid.", null);
    }
    if (uri.getPort() == 0 || uri.getPort() < -1 || uri.getPort() > 65535) {
      // A URL saved before ports were checked: a failed attempt (attempt), never a connection.
      throw new IllegalArgumentException("invalid URL port " + uri.getPort());
    }
    // The connection goes to an address this check saw, never to a second look-up's answer.
    WebhookUrls.Destination destination = urls.destination(uri);
    if (destination.refusal() != null) {
      return new Outcome(null, 0, destination.refusal(), null);
    }
    String body = body(c);
    long timestamp = Instant.now().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    // The charset named, so that a receiver decoding the body by it (a servlet's getReader() falls
    // back to ISO-8859-1) reads the bytes that were signed.
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("User-Agent", "GrowthOS-Webhooks/1");
    headers.put("webhook-id", c.eventId());
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put(
        "webhook-signature", WebhookSignature.header(c.secrets(), c.eventId(), timestamp, body));
    try {
      // The answer's body is not read: only its status counts, and a huge or endless body must
      // not hold a thread.
      WebhookClient.Answer answer =
          client()
              .post(
                  uri,
                  destination.addresses().get(0),
                  headers,
                  body.getBytes(StandardCharsets.UTF_8));
      int latency = millisSince(started);
      Duration retryAfter =
          answer.status() == 429 || answer.status() == 503 ? retryAfter(answer.retryAfter()) : null;
      String error =
          answer.status() >= 200 && answer.status() < 300
              ? null
              : "The endpoint answered HTTP " + answer.status() + ".";
      return new Outcome(answer.status(), latency, error, retryAfter);
    } catch (HttpConnectTimeoutException e) {
      return new Outcome(null, millisSince(started), "Connecting timed out.", null);
    } catch (HttpTimeoutException e) {
      return new Outcome(null, millisSince(started), "The endpoint did not answer in time.", null);
    } catch (IOException e) {
      // WebhookClient's own failures (no answer, not HTTP) say what happened; others are named.
      String why =
          e.getClass() == IOException.class && e.getMessage() != null
              ? e.getMessage() + "."
              : "Connection failed: " + e.getClass().getSimpleName() + ".";
      return new Outcome(null, millisSince(started), why, null);
    }
  }

  /**
   * Writes an attempt's outcome, if this copy still holds the lease, with the endpoint's failure
   * state: a success clears it; a 410 disables the endpoint at once; failures for {@code
   * disable-after} without a success disable it too.
   *
   * <p>The endpoint row is locked first, before the delivery's: a deletion of the endpoint locks
   * it, then deletes its deliveries, so taking the two in the other order (as this did) deadlocked
   * with a deletion arriving meanwhile, and PostgreSQL aborted the deletion (409 {@code
   * concurrent_update}) or this record. Now one waits for the other; an endpoint deleted meanwhile
   * took the delivery with it, and there is nothing to record.
   */
  void record(Claimed c, Outcome o) {
    int attempt = c.attempts() + 1;
    List<Duration> schedule = props.retrySchedule();
    boolean gone = o.status() != null && o.status() == 410;
    String status;
    Duration delay = null;
    if (o.succeeded()) {
      status = "succeeded";
    } else if (gone || attempt > schedule.size()) {
      status = "failed";
    } else {
      status = "pending";
      // Retry-After can push the retry later than the schedule, never earlier: a rate limiter's
      // "Retry-After: 1" used up all the retries within seconds and gave the delivery up.
      delay = jitter(schedule.get(attempt - 1));
      if (o.retryAfter() != null && o.retryAfter().compareTo(delay) > 0) {
        delay = o.retryAfter();
      }
    }
    String nextAttempt = delay == null ? null : delay.toMillis() + " milliseconds";
    String finalStatus = status;
    tx.executeWithoutResult(
        s -> {
          List<Integer> endpoint =
              jdbc.queryForList(
                  "select 1 from webhook_endpoints where workspace_id = ? and id = ?"
                      + " for no key update",
                  Integer.class,
                  c.workspaceId(),
                  c.endpointId());
          if (endpoint.isEmpty()) {
            return; // deleted meanwhile, with its deliveries
          }
          int n =
              jdbc.update(
                  """
                  update webhook_deliveries
                     set status = case when ? and retry_base <> ? then 'pending' else ? end,
                         attempts = attempts + 1, last_attempt_at = now(),
                         response_status = ?, latency_ms = ?, last_error = ?,
                         next_attempt_at = case when ? and retry_base <> ? then next_attempt_at
                                                else now() + ?::interval end,
                         lease_until = null, lease_token = null, updated_at = now()
                   where workspace_id = ? and id = ? and lease_token = ?
                  """,
                  // Resent while this attempt was in flight (retry_base moved): unless it
                  // succeeded, the resend's attempt comes next, at the time the resend set, and
                  // this failure neither fails the delivery nor schedules it later.
                  !o.succeeded(),
                  c.retryBase(),
                  finalStatus,
                  o.status(),
                  o.latencyMs(),
                  o.error(),
                  !o.succeeded(),
                  c.retryBase(),
                  nextAttempt,
                  c.workspaceId(),
                  c.id(),
                  leaseToken);
          if (n == 0) {
            return; // the lease ran out and another copy owns the delivery now
          }
          if (o.succeeded()) {
            jdbc.update(
                "update webhook_endpoints set failing_since = null"
                    + " where workspace_id = ? and id = ? and failing_since is not null",
                c.workspaceId(),
                c.endpointId());
          } else if (gone) {
            disable(c, "The endpoint answered 410 Gone; it was disabled at once.");
          } else {
            // A failure long after the previous one (nothing failed in between: the endpoint was
            // quiet) starts a new failing period rather than continuing one that ended.
            jdbc.update(
                "update webhook_endpoints set failing_since = case when failing_since is null"
                    + " or last_failure_at is null or last_failure_at < now() - ?::interval"
                    + " then now() else failing_since end, last_failure_at = now()"
                    + " where workspace_id = ? and id = ?",
                quietGap().toSeconds() + " seconds",
                c.workspaceId(),
                c.endpointId());
            int stale =
                jdbc.update(
                    "update webhook_endpoints set status = 'disabled', disabled_reason = ?,"
                        + " version = version + 1, updated_at = now()"
                        + " where workspace_id = ? and id = ? and status = 'enabled'"
                        + " and failing_since < now() - ?::interval",
                    "Every delivery failed for "
                        + props.disableAfter().toHours()
                        + " hours; the endpoint was disabled. Last error: "
                        + o.error(),
                    c.workspaceId(),
                    c.endpointId(),
                    props.disableAfter().toSeconds() + " seconds");
            if (stale > 0) {
              log.info("Webhook endpoint {} disabled after failing too long", c.endpointId());
            }
          }
        });
  }

  /**
   * How long without a failed attempt ends a failing period: a day, or longer than the retry
   * schedule's longest wait (with its jitter) if that is longer, so that an endpoint failing all
   * along (its retries come at most that far apart) stays in one period.
   */
  Duration quietGap() {
    Duration longest = Duration.ZERO;
    for (Duration d : props.retrySchedule()) {
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    Duration withJitter = longest.plus(longest.dividedBy(10)).plus(props.lease());
    return withJitter.compareTo(Duration.ofDays(1)) > 0 ? withJitter : Duration.ofDays(1);
  }

  private void disable(Claimed c, String reason) {
    jdbc.update(
        "update webhook_endpoints set status = 'disabled', disabled_reason = ?,"
            + " version = version + 1, updated_at = now()"
            + " where workspace_id = ? and id = ? and status = 'enabled'",
        reason,
        c.workspaceId(),
        c.endpointId());
  }

  /**
   * Retry-After in seconds, at most 24 hours (an HTTP date is not worth parsing here: the schedule
   * applies). {@link #record} waits for the longer of it and the schedule's next wait.
   */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return Duration.ofSeconds(Math.min(Math.max(seconds, 1), Duration.ofHours(24).toSeconds()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** ±10 %, so that deliveries that failed together do not all come back at once. */
  private static Duration jitter(Duration d) {
    double f = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis((long) (d.toMillis() * f));
  }

  private static int millisSince(long startedNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
  }

  /** The client, made now if this dispatcher was never started (a test's direct attempt). */
  private WebhookClient client() {
    WebhookClient c = http;
    if (c == null) {
      synchronized (this) {
        c = http;
        if (c == null) {
          c = newClient();
          http = c;
        }
      }
    }
    return c;
  }

  private WebhookClient newClient() {
    // Redirects are not followed (SPEC §9): a 3xx is a failed attempt like any non-2xx.
    return new WebhookClient(
        props.connectTimeout(), props.requestTimeout(), Math.max(1, props.threads()));
  }

  @Override
  public void start() {
    if (!props.enabled()) {
      return;
    }
    // A stop shut the previous client's timer down, and a lifecycle may start again after a stop
    // (Spring pauses cached test contexts; an operator may restart the lifecycle).
    WebhookClient previous = http;
    http = newClient();
    if (previous != null) {
      previous.shutdown(); // its idle-connection evictor thread would otherwise stay behind
    }
    running = true;
    pool =
        Executors.newFixedThreadPool(
            Math.max(1, props.threads()),
            r -> {
              Thread t = new Thread(r, "webhook-sender-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Thread t = new Thread(this::run, "webhook-dispatcher");
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  /** Stops claiming, then gives in-flight deliveries a moment to finish and be recorded. */
  @Override
  public void stop() {
    running = false;
    wakeUp();
    Thread t = loop;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The sends in flight finish (or use up the wait) before their client closes under them:
    // closing it first cut every send in flight, answered or not, which was recorded as a failed
    // attempt and sent again by another copy (a duplicate per send at each rolling deploy).
    ExecutorService p = pool;
    if (p != null) {
      p.shutdown();
      try {
        if (!p.awaitTermination(5, TimeUnit.SECONDS)) {
          p.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.shutdownNow();
      }
    }
    WebhookClient client = http;
    if (client != null) {
      client.shutdown();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
