package io.growthos.bench.ingest;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The raw JDBC baseline of the batch scenario: writes a batch of track events into {@code events}
 * and {@code event_dedupe} (the rows the ingest service stores for them, schema V3) in one
 * transaction, committed durably, with no HTTP, no JSON parsing and no duplicate check. It is the
 * ceiling the service's write path is compared with.
 */
public final class RawBatchWriter implements AutoCloseable {

  /** How the rows travel to PostgreSQL. */
  public enum Method {
    /** {@code COPY … FROM STDIN} in text format, one per table. */
    COPY,
    /** Batched {@code INSERT}s that pgjdbc rewrites into multi-row VALUES. */
    INSERT;

    /** The JDBC URL options the method needs. */
    public String urlOptions() {
      return this == INSERT ? "?reWriteBatchedInserts=true" : "";
    }
  }

  private static final String EVENT_COLUMNS =
      "workspace_id, id, message_id, type, event, user_id, anonymous_id, properties, context,"
          + " integrations, timestamp, sent_at, received_at";
  private static final String DEDUPE_COLUMNS = "workspace_id, message_id, event_id, received_at";

  private final Connection connection;
  private final Method method;
  private final String workspaceId;
  private final CopyManager copy;
  private final PreparedStatement insertEvent;
  private final PreparedStatement insertDedupe;

  public RawBatchWriter(Connection connection, Method method, String workspaceId)
      throws SQLException {
    this.connection = connection;
    this.method = method;
    this.workspaceId = workspaceId;
    connection.setAutoCommit(false);
    if (method == Method.COPY) {
      copy = connection.unwrap(PGConnection.class).getCopyAPI();
      insertEvent = null;
      insertDedupe = null;
    } else {
      copy = null;
      insertEvent =
          connection.prepareStatement(
              "insert into events ("
                  + EVENT_COLUMNS
                  + ") values (?, ?, ?, 'track', ?, ?, ?, ?::jsonb, ?::jsonb, '{}'::jsonb, ?, ?, ?)");
      insertDedupe =
          connection.prepareStatement(
              "insert into event_dedupe (" + DEDUPE_COLUMNS + ") values (?, ?, ?, ?)");
    }
  }

  /** Writes the batch and commits. */
  public void write(List<TrackEvent> batch, Instant sentAt) throws Exception {
    Instant receivedAt = Instant.now();
    String[] ids = new String[batch.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Ids.next(IdPrefix.EVENT);
    }
    try {
      if (method == Method.COPY) {
        writeCopy(batch, ids, sentAt, receivedAt);
      } else {
        writeInsert(batch, ids, sentAt, receivedAt);
      }
      connection.commit();
    } catch (Exception e) {
      connection.rollback();
      throw e;
    }
  }

  private void writeCopy(List<TrackEvent> batch, String[] ids, Instant sentAt, Instant receivedAt)
      throws Exception {
    CopyText events = new CopyText(batch.size() * 600);
    CopyText dedupe = new CopyText(batch.size() * 120);
    String sent = sentAt.toString();
    String received = receivedAt.toString();
    for (int i = 0; i < ids.length; i++) {
      TrackEvent e = batch.get(i);
      events
          .column(workspaceId)
          .column(ids[i])
          .column(e.messageId())
          .column("track")
          .column(e.event())
          .column(e.userId())
          .column(e.anonymousId())
          .column(e.propertiesJson())
          .column(e.contextJson())
          .column("{}")
          .column(e.timestamp().toString())
          .column(sent)
          .column(received)
          .endRow();
      dedupe.column(workspaceId).column(e.messageId()).column(ids[i]).column(received).endRow();
    }
    copy.copyIn("copy events (" + EVENT_COLUMNS + ") from stdin", bytes(events));
    copy.copyIn("copy event_dedupe (" + DEDUPE_COLUMNS + ") from stdin", bytes(dedupe));
  }

  private static ByteArrayInputStream bytes(CopyText text) {
    return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void writeInsert(List<TrackEvent> batch, String[] ids, Instant sentAt, Instant receivedAt)
      throws SQLException {
    OffsetDateTime sent = sentAt.atOffset(ZoneOffset.UTC);
    OffsetDateTime received = receivedAt.atOffset(ZoneOffset.UTC);
    for (int i = 0; i < ids.length; i++) {
      TrackEvent e = batch.get(i);
      insertEvent.setString(1, workspaceId);
      insertEvent.setString(2, ids[i]);
      insertEvent.setString(3, e.messageId());
      insertEvent.setString(4, e.event());
      insertEvent.setString(5, e.userId());
      insertEvent.setString(6, e.anonymousId());
      insertEvent.setString(7, e.propertiesJson());
      insertEvent.setString(8, e.contextJson());
      insertEvent.setObject(9, e.timestamp().atOffset(ZoneOffset.UTC));
      insertEvent.setObject(10, sent);
      insertEvent.setObject(11, received);
      insertEvent.addBatch();
      insertDedupe.setString(1, workspaceId);
      insertDedupe.setString(2, e.messageId());
      insertDedupe.setString(3, ids[i]);
      insertDedupe.setObject(4, received);
      insertDedupe.addBatch();
    }
    insertEvent.executeBatch();
    insertDedupe.executeBatch();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the phase is over; nothing is left to write
    }
  }
}
