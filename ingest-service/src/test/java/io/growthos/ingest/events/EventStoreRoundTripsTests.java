package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.ReferralWatch;
import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.core.outbox.Outbox;
import io.growthos.ingest.IngestTestBase;
import io.growthos.ingest.contacts.ContactLinker;
import io.growthos.model.events.EventType;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a group costs in round trips, counted on the JDBC connections the store uses: every round
 * trip is a wait for every request of the group (docs/benchmarks.md, "track"). A group of events
 * that attach to no contact is one self-committing statement; a group whose caller has a contact is
 * one transaction with the contact lock and the first/last-seen update.
 */
class EventStoreRoundTripsTests extends IngestTestBase {

  @Autowired DataSource dataSource;
  @Autowired ContactBackfills backfills;
  @Autowired DedupeWindows windows;
  @Autowired EventStore serviceStore;

  private final List<String> statements = new CopyOnWriteArrayList<>();
  private final AtomicInteger transactions = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  private EventStore store;

  @BeforeEach
  void countingStore() {
    DataSource counting =
        new DelegatingDataSource(dataSource) {
          @Override
          public Connection getConnection() throws SQLException {
            return counted(super.getConnection());
          }
        };
    JdbcTemplate countingJdbc = new JdbcTemplate(counting);
    store =
        new EventStore(
            countingJdbc,
            new TransactionTemplate(new JdbcTransactionManager(counting)),
            windows,
            new ContactLinker(countingJdbc, backfills, ContactChanges.NONE),
            new ContactSuppressions(countingJdbc),
            new Outbox(countingJdbc),
            new ReferralWatch(countingJdbc));
  }

  private Connection counted(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "prepareStatement", "prepareCall" -> statements.add((String) args[0]);
                case "setAutoCommit" -> {
                  if (!(Boolean) args[0]) {
                    transactions.incrementAndGet();
                  }
                }
                case "commit" -> commits.incrementAndGet();
                default -> {}
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void resetCounts() {
    statements.clear();
    transactions.set(0);
    commits.set(0);
  }

  @Test
  void anonymousEventsAreOneSelfCommittingStatementAndAreStoredOnce() {
    Workspace ws = newWorkspace();
    List<EventStore.Batch> group =
        List.of(
            new EventStore.Batch(ws.id(), List.of(track(null, "device-1", "m-1"))),
            new EventStore.Batch(
                ws.id(), List.of(track(null, "device-2", "m-2"), track(null, "device-3", "m-3"))));

    store.write(group);

    assertThat(statements).as("statements of the group").hasSize(1);
    assertThat(statements.get(0))
        .contains("contact_suppressions", "insert into event_dedupe", "insert into events");
    assertThat(transactions).as("explicit transactions").hasValue(0);
    // Committed on return: visible on another connection.
    assertThat(events(ws)).isEqualTo(3);

    resetCounts();
    store.write(group);
    assertThat(statements).hasSize(1);
    assertThat(events(ws)).as("a replayed group is stored once").isEqualTo(3);
  }

  @Test
  void aSuppressedIdCostsTheGroupASecondStatementAndOnlyItsEventsAreDropped() {
    Workspace ws = newWorkspace();
    jdbc.update(
        "insert into contact_suppressions (workspace_id, value, contact_id) values (?, ?, ?)",
        ws.id(),
        "deleted-device",
        Ids.next(IdPrefix.CONTACT));

    store.write(
        List.of(
            new EventStore.Batch(ws.id(), List.of(track(null, "device-1", "m-1"))),
            new EventStore.Batch(ws.id(), List.of(track(null, "deleted-device", "m-2")))));

    assertThat(statements).as("statements of the group").hasSize(2);
    assertThat(transactions).as("explicit transactions").hasValue(0);
    assertThat(events(ws, "m-1")).isEqualTo(1);
    assertThat(events(ws, "m-2")).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from event_dedupe where workspace_id = ?", Long.class, ws.id()))
        .as("only the stored event is claimed")
        .isEqualTo(1);
  }

  @Test
  void aCallerWithAContactIsOneTransactionThatLocksItAndStampsItsLastSeen() {
    Workspace ws = newWorkspace();
    Instant identified = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    // The contact is created by the service's own store (its backfills use the service's pool).
    serviceStore.write(
        List.of(
            new EventStore.Batch(
                ws.id(), List.of(event(EventType.IDENTIFY, "user-1", null, "m-id", identified)))));
    Instant later = identified.plus(30, ChronoUnit.MINUTES);

    store.write(
        List.of(
            new EventStore.Batch(
                ws.id(), List.of(event(EventType.TRACK, "user-1", null, "m-track", later)))));

    assertThat(transactions).as("explicit transactions").hasValue(1);
    assertThat(commits).hasValue(1);
    assertThat(statements).anyMatch(sql -> sql.contains("for key share"));
    assertThat(statements).anyMatch(sql -> sql.contains("last_seen_at"));
    assertThat(
            jdbc.queryForObject(
                "select contact_id is not null from events where workspace_id = ?"
                    + " and message_id = 'm-track'",
                Boolean.class,
                ws.id()))
        .isTrue();
    assertThat(
            jdbc.queryForObject(
                "select last_seen_at from contacts where workspace_id = ? and user_id = 'user-1'",
                java.sql.Timestamp.class,
                ws.id()))
        .isEqualTo(java.sql.Timestamp.from(later));
  }

  @Test
  void anEventThatMayCarryAReferralCodeIsQueuedInTheSameTransaction() {
    Workspace ws = newWorkspace();
    EventRecord referred =
        new EventRecord(
            Ids.next(IdPrefix.EVENT),
            "m-ref",
            EventType.TRACK,
            "Signed Up",
            null,
            null,
            "device-9",
            null,
            null,
            "{}",
            null,
            "{\"referral_code\":\"ABC123\"}",
            "{}",
            Instant.now(),
            null,
            null,
            Instant.now(),
            null);

    store.write(List.of(new EventStore.Batch(ws.id(), List.of(referred))));

    assertThat(transactions).as("explicit transactions").hasValue(1);
    assertThat(commits).hasValue(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from referral_inbox where workspace_id = ?", Long.class, ws.id()))
        .isEqualTo(1);
    assertThat(events(ws, "m-ref")).isEqualTo(1);
  }

  private static EventRecord track(String userId, String anonymousId, String messageId) {
    return event(EventType.TRACK, userId, anonymousId, messageId, Instant.now());
  }

  private static EventRecord event(
      EventType type, String userId, String anonymousId, String messageId, Instant at) {
    return new EventRecord(
        Ids.next(IdPrefix.EVENT),
        messageId,
        type,
        type == EventType.TRACK ? "Tick" : null,
        null,
        userId,
        anonymousId,
        null,
        null,
        type == EventType.TRACK ? "{}" : null,
        type == EventType.IDENTIFY ? "{}" : null,
        "{}",
        "{}",
        at,
        null,
        null,
        Instant.now(),
        null);
  }
}
