package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.core.campaigns.ReferralWatch;
import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.ingest.IngestTestBase;
import io.growthos.ingest.contacts.ContactLinker;
import io.growthos.model.events.EventType;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A contact deletion that commits between a group's suppression check and its insert (the window
 * the group-commit writer cannot close with a lock when the events attach to no contact): the
 * insert stores nothing and fails the group with a retryable error, and the retry drops the
 * suppressed events. The deletion is simulated by committing the suppression row from another
 * connection right after the group's check.
 */
class LateSuppressionTests extends IngestTestBase {

  @Autowired DataSource dataSource;
  @Autowired ContactBackfills backfills;
  @Autowired ContactSuppressions suppressions;
  @Autowired DedupeWindows windows;

  @Test
  void aSuppressionCommittedAfterTheCheckStoresNothingAndTheRetryDropsItsEvents() {
    Workspace ws = newWorkspace();
    String[] suppressNext = {"gone-device"};
    // An id suppressed before: the group's first statement finds it, so the group stores nothing
    // there and goes on with a second one, after the check.
    jdbc.update(
        "insert into contact_suppressions (workspace_id, value, contact_id) values (?, ?, ?)",
        ws.id(),
        "old-device",
        Ids.next(IdPrefix.CONTACT));
    ContactLinker linker =
        new ContactLinker(jdbc, backfills, ContactChanges.NONE) {
          @Override
          public Resolution resolution(Collection<CallerIds> callers, List<String[]> rows) {
            Resolution checked = super.resolution(callers, rows);
            if (suppressNext[0] != null) {
              // Another connection, autocommit: as a deletion committing at this moment would
              // (the JdbcTemplate would join the group's own transaction).
              try (Connection other = dataSource.getConnection();
                  PreparedStatement insert =
                      other.prepareStatement(
                          "insert into contact_suppressions (workspace_id, value, contact_id)"
                              + " values (?, ?, ?)")) {
                other.setAutoCommit(true);
                insert.setString(1, ws.id());
                insert.setString(2, suppressNext[0]);
                insert.setString(3, Ids.next(IdPrefix.CONTACT));
                insert.executeUpdate();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              suppressNext[0] = null;
            }
            return checked;
          }
        };
    EventStore store =
        new EventStore(
            jdbc,
            new TransactionTemplate(new JdbcTransactionManager(dataSource)),
            windows,
            linker,
            suppressions,
            new io.growthos.core.outbox.Outbox(jdbc),
            new ReferralWatch(jdbc));
    List<EventStore.Batch> group =
        List.of(
            new EventStore.Batch(ws.id(), List.of(track("kept-device", "m-kept"))),
            new EventStore.Batch(ws.id(), List.of(track("gone-device", "m-gone"))),
            new EventStore.Batch(ws.id(), List.of(track("old-device", "m-old"))));

    assertThatThrownBy(() -> store.write(group)).isInstanceOf(ConcurrencyFailureException.class);
    assertThat(events(ws)).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from event_dedupe where workspace_id = ?", Long.class, ws.id()))
        .as("nothing was claimed: the claim and the insert are one statement")
        .isZero();

    store.write(group);
    assertThat(events(ws, "m-kept")).isEqualTo(1);
    assertThat(events(ws, "m-gone")).isZero();
    assertThat(events(ws, "m-old")).isZero();
  }

  private static EventRecord track(String anonymousId, String messageId) {
    Instant now = Instant.now();
    return new EventRecord(
        Ids.next(IdPrefix.EVENT),
        messageId,
        EventType.TRACK,
        "Tick",
        null,
        null,
        anonymousId,
        null,
        null,
        "{}",
        null,
        "{}",
        "{}",
        now,
        null,
        null,
        now,
        null);
  }
}
