package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.errors.ApiException;
import io.growthos.model.events.EventType;
import io.growthos.testsupport.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.util.unit.DataSize;

/** The writer's contract, with a store that fails or blocks on demand (no database needed). */
class EventWriterTests {

  private EventWriter writer;

  /** A store whose behaviour each test sets. */
  static final class ScriptedStore extends EventStore {
    volatile Consumer<List<Batch>> behaviour = b -> {};

    ScriptedStore() {
      super(null, null, null, null, null, null, null);
    }

    @Override
    public void write(List<Batch> batches) {
      behaviour.accept(batches);
    }
  }

  private final ScriptedStore store = new ScriptedStore();

  private EventWriter start(int maxPending) {
    return start(maxPending, DataSize.ofMegabytes(64));
  }

  private EventWriter start(int maxPending, DataSize maxPendingBytes) {
    writer =
        new EventWriter(
            store,
            new IngestProperties.Writer(
                1,
                Duration.ofMillis(1),
                5000,
                maxPending,
                maxPendingBytes,
                Duration.ofSeconds(2),
                2,
                Duration.ofSeconds(30)));
    writer.start();
    return writer;
  }

  /** Holds the writer's thread inside the store until the test releases it. */
  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    if (writer != null) {
      store.behaviour = b -> {};
      writer.stop();
    }
  }

  private static List<EventRecord> events(String messageId) {
    Instant now = Instant.now();
    return List.of(
        new EventRecord(
            "evt_x",
            messageId,
            EventType.TRACK,
            "e",
            null,
            "u",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            now,
            null,
            null,
            now,
            null));
  }

  private static ApiException failureOf(CompletableFuture<Void> f) throws Exception {
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(ApiException.class);
    return (ApiException) t.getCause();
  }

  @Test
  void acksOnlyAfterTheStoreCommitted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    store.behaviour = b -> awaitQuietly(release);
    start(100);
    CompletableFuture<Void> ack = writer.submit("ws", events("m1"));
    assertThat(ack).isNotDone();
    release.countDown();
    ack.get(10, TimeUnit.SECONDS);
    assertThat(ack).isCompleted();
  }

  @Test
  void unreachableDatabaseIs503WithRetryAfter() throws Exception {
    store.behaviour =
        b -> {
          throw new CannotGetJdbcConnectionException("down");
        };
    start(100);
    ApiException e = failureOf(writer.submit("ws", events("m1")));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code().code()).isEqualTo("service_unavailable");
    assertThat(e.headers()).containsEntry("Retry-After", "2");
  }

  @Test
  void fullQueueIs503Immediately() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    store.behaviour = b -> awaitQuietly(release);
    start(2);
    CompletableFuture<Void> first = writer.submit("ws", events("m1"));
    CompletableFuture<Void> second = writer.submit("ws", events("m2"));
    CompletableFuture<Void> third = writer.submit("ws", events("m3"));
    assertThat(failureOf(third).status()).isEqualTo(503);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
  }

  @Test
  void boundsQueuedBytesAsWellAsEvents() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    store.behaviour = b -> awaitQuietly(release);
    start(1000, DataSize.ofBytes(1024));
    CompletableFuture<Void> first = writer.submit("ws", events("m1"));
    CompletableFuture<Void> second = writer.submit("ws", events("m2"));
    CompletableFuture<Void> third = writer.submit("ws", events("m3"));
    assertThat(failureOf(third).status()).isEqualTo(503);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneBadRequestInAGroupDoesNotFailTheOthers() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    store.behaviour =
        batches -> {
          awaitQuietly(gate);
          if (batches.stream().anyMatch(b -> b.events().get(0).messageId().equals("bad"))) {
            throw new DataIntegrityViolationException("value out of range");
          }
        };
    start(100);
    // The first submission occupies the writer so the next three form one group.
    CompletableFuture<Void> warmup = writer.submit("ws", events("warm"));
    CompletableFuture<Void> good1 = writer.submit("ws", events("g1"));
    CompletableFuture<Void> bad = writer.submit("ws", events("bad"));
    CompletableFuture<Void> good2 = writer.submit("ws", events("g2"));
    gate.countDown();
    warmup.get(10, TimeUnit.SECONDS);
    good1.get(10, TimeUnit.SECONDS);
    good2.get(10, TimeUnit.SECONDS);
    assertThat(failureOf(bad).status()).isEqualTo(400);
    assertThat(writer.pendingEvents()).isZero();
  }

  @Test
  void aFailedGroupIsLoggedWithoutTheStatementOrThePersonalDataOfItsRows() throws Exception {
    LogCapture logged = LogCapture.of(EventWriter.class).start();
    CountDownLatch gate = new CountDownLatch(1);
    // What two identifies of one e-mail racing each other get from Spring and PostgreSQL.
    String leak =
        "PreparedStatementCallback; SQL [insert into contacts (workspace_id, id, email) values"
            + " (?, ?, ?)]; ERROR: duplicate key value violates unique constraint; Detail: Key"
            + " (workspace_id, lower(email))=(ws_1, ada@example.com) already exists.";
    store.behaviour =
        batches -> {
          awaitQuietly(gate);
          if (batches.stream().anyMatch(b -> b.events().get(0).messageId().equals("bad"))) {
            throw new DuplicateKeyException(
                leak, new PSQLException(leak, PSQLState.UNIQUE_VIOLATION));
          }
        };
    try {
      start(100);
      CompletableFuture<Void> warmup = writer.submit("ws", events("warm"));
      CompletableFuture<Void> good = writer.submit("ws", events("g1"));
      CompletableFuture<Void> bad = writer.submit("ws", events("bad"));
      gate.countDown();
      warmup.get(10, TimeUnit.SECONDS);
      good.get(10, TimeUnit.SECONDS);
      failureOf(bad);
    } finally {
      logged.close();
    }

    assertThat(logged.atOrAbove(Level.INFO))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getFormattedMessage())
                  .doesNotContain("ada@example.com")
                  .doesNotContain("insert into")
                  .contains("23505");
              assertThat(e.getThrowableProxy()).isNull();
            });
  }

  @Test
  void refusesWorkWhenStopped() throws Exception {
    start(100);
    writer.stop();
    assertThat(failureOf(writer.submit("ws", events("late"))).status()).isEqualTo(503);
    writer = null;
  }
}
