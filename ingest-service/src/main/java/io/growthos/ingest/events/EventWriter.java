package io.growthos.ingest.events;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.Errors;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

/**
 * Group commit: the single path by which events reach the database.
 *
 * <p>Request threads {@link #submit} the events of one request and get a future; writer threads
 * take whatever requests are queued (waiting up to {@code max-wait} for more, up to {@code
 * max-group-events}), store them all in ONE transaction, commit once, and only then complete every
 * future, so a 200 always means committed. Why: a commit costs an fsync of the WAL, which on most
 * disks costs more than inserting hundreds of rows; sharing it among all requests that arrived
 * meanwhile is what lets {@code /v1/track} at 64 connections reach the no-op baseline (benchmark
 * scenario {@code track} of the bench module; {@code batch} for the batch path).
 *
 * <p>If a group's transaction fails for another reason than an unreachable database, each request
 * of the group is retried alone so one bad request cannot fail the others. An unreachable database
 * or a full queue is a 503 with Retry-After: never accept what cannot be stored.
 */
public class EventWriter implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  private final EventStore store;
  private final IngestProperties.Writer props;
  private final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicLong groupsCommitted = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean accepting;
  private volatile boolean running;

  public EventWriter(EventStore store, IngestProperties.Writer props) {
    this.store = store;
    this.props = props;
  }

  private record Unit(EventStore.Batch batch, long bytes, CompletableFuture<Void> done) {
    int size() {
      return batch.events().size();
    }
  }

  /**
   * Queues one request's events. The future completes after they are committed (duplicates
   * included: they are already stored), or fails with an {@link ApiException} (503 when the
   * database is unreachable or the queue full).
   */
  public CompletableFuture<Void> submit(String workspaceId, List<EventRecord> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (events.isEmpty()) {
      done.complete(null);
      return done;
    }
    if (!accepting) {
      done.completeExceptionally(unavailable("The service is shutting down."));
      return done;
    }
    int n = events.size();
    long bytes = bytesOf(events);
    int now;
    do {
      now = pendingEvents.get();
      boolean full =
          now + n > props.maxPendingEvents()
              || pendingBytes.get() + bytes > props.maxPendingBytes().toBytes();
      if (full && now > 0) {
        done.completeExceptionally(
            unavailable("Too many events are waiting to be stored; retry shortly."));
        return done;
      }
    } while (!pendingEvents.compareAndSet(now, now + n));
    pendingBytes.addAndGet(bytes);
    queue.add(new Unit(new EventStore.Batch(workspaceId, events), bytes, done));
    return done;
  }

  /** Events queued and not yet written. */
  public int pendingEvents() {
    return pendingEvents.get();
  }

  /** Transactions committed with more than zero requests, for tests and metrics. */
  public long groupsCommitted() {
    return groupsCommitted.get();
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      try {
        Unit first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Unit> group = gather(first);
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Event writer loop failed", e);
      }
    }
  }

  private List<Unit> gather(Unit first) throws InterruptedException {
    List<Unit> group = new ArrayList<>();
    group.add(first);
    int events = first.size();
    long deadline = System.nanoTime() + props.maxWait().toNanos();
    while (events < props.maxGroupEvents()) {
      Unit next = queue.poll();
      if (next == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          break;
        }
        next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      group.add(next);
      events += next.size();
    }
    return group;
  }

  private void write(List<Unit> group) {
    try {
      store.write(group.stream().map(Unit::batch).toList());
      groupsCommitted.incrementAndGet();
      group.forEach(this::succeed);
      return;
    } catch (RuntimeException e) {
      if (isUnreachable(e) || group.size() == 1 && !isRetryable(e)) {
        ApiException failure = classify(e);
        group.forEach(u -> fail(u, failure));
        return;
      }
      log.info("Group of {} requests failed ({}); retrying each alone", group.size(), summary(e));
    }
    for (Unit unit : group) {
      writeAlone(unit);
    }
  }

  private void writeAlone(Unit unit) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= Math.max(1, props.attempts()); attempt++) {
      try {
        store.write(List.of(unit.batch()));
        succeed(unit);
        return;
      } catch (RuntimeException e) {
        last = e;
        if (isUnreachable(e) || !isRetryable(e)) {
          break;
        }
      }
    }
    fail(unit, classify(last));
  }

  private static long bytesOf(List<EventRecord> events) {
    long chars = 0;
    for (EventRecord e : events) {
      chars += 256 + length(e.properties()) + length(e.traits()) + length(e.context());
      chars += length(e.integrations());
    }
    return chars * 2; // Java strings: two bytes a char
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private void release(Unit unit) {
    pendingEvents.addAndGet(-unit.size());
    pendingBytes.addAndGet(-unit.bytes());
  }

  private void succeed(Unit unit) {
    release(unit);
    unit.done().complete(null);
  }

  private void fail(Unit unit, ApiException failure) {
    release(unit);
    unit.done().completeExceptionally(failure);
  }

  private static boolean isUnreachable(Throwable e) {
    return e instanceof CannotGetJdbcConnectionException
        || e instanceof CannotCreateTransactionException
        || e instanceof DataAccessResourceFailureException
        || e instanceof NonTransientDataAccessResourceException
        || (e instanceof TransactionException && !(e instanceof DataAccessException));
  }

  /**
   * Races with other writers or service copies (deadlock, serialization, the unique email of a
   * contact set concurrently) and with contact deletions (which {@link EventStore} reports as a
   * {@link ConcurrencyFailureException}) are retried: the retry sees the winner's commit.
   */
  private static boolean isRetryable(Throwable e) {
    return e instanceof ConcurrencyFailureException
        || e instanceof TransientDataAccessException
        || e instanceof DuplicateKeyException;
  }

  private ApiException classify(RuntimeException e) {
    if (isUnreachable(e) || isRetryable(e)) {
      log.warn("Storing events failed: {}", summary(e));
      return unavailable("The event store is unavailable; retry shortly.");
    }
    if (e instanceof DataIntegrityViolationException) {
      // Validation should have caught it; still the client's data, so a 400 and not a 500.
      log.warn("Events rejected by the database: {}", summary(e));
      return ApiException.invalid(
          "body", "unstorable", "The database refused these events' values; check them.");
    }
    log.error("Storing events failed", e);
    return Errors.internal();
  }

  /**
   * What a failure was, for the log: its type and the database's SQLSTATE, never its message. The
   * messages of Spring and PostgreSQL carry the statement and the values of the row (a unique
   * e-mail of a contact: "Key (workspace_id, lower(email))=(ws_…, ada@example.com)"), and events
   * are personal data.
   */
  static String summary(Throwable e) {
    StringBuilder out = new StringBuilder(e.getClass().getSimpleName());
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        out.append(", SQLSTATE ").append(sql.getSQLState());
        break;
      }
    }
    return out.toString();
  }

  private ApiException unavailable(String message) {
    long seconds = Math.max(1, (props.retryAfter().toMillis() + 999) / 1000);
    return new ApiException(
        ErrorCode.SERVICE_UNAVAILABLE,
        message,
        List.of(ErrorDetail.of("service", "unavailable", "Retry after " + seconds + " s.")),
        Map.of("Retry-After", Long.toString(seconds)));
  }

  @Override
  public void start() {
    running = true;
    accepting = true;
    for (int i = 0; i < Math.max(1, props.threads()); i++) {
      Thread t = new Thread(this::run, "event-writer-" + i);
      t.setDaemon(false);
      threads.add(t);
      t.start();
    }
  }

  /** Stops taking requests, writes everything already queued, then stops the threads. */
  @Override
  public void stop() {
    accepting = false;
    running = false;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
    Unit u;
    while ((u = queue.poll()) != null) {
      fail(u, unavailable("The service is shutting down."));
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops after the web server (which finishes in-flight requests first), before the pool. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }
}
