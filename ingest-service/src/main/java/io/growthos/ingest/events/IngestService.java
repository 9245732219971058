package io.growthos.ingest.events;

import io.growthos.model.events.EventType;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Accepts one request: validates all of its events (all or nothing) and hands them to the writer.
 */
public class IngestService {

  private final EventParser parser;
  private final EventWriter writer;

  public IngestService(EventParser parser, EventWriter writer) {
    this.parser = parser;
    this.writer = writer;
  }

  /**
   * Completes when every event of the request is committed (or was already stored).
   *
   * @param routeType the type of a single-event route; {@code null} for a batch
   * @param reserve told an upper bound of the UTF-8 bytes the events will hold, before any is
   *     built; may throw to refuse the request (see {@link EventParser#parse})
   */
  public CompletableFuture<Void> accept(
      String workspaceId,
      JsonNode body,
      EventType routeType,
      int bodyBytes,
      Instant receivedAt,
      LongConsumer reserve) {
    List<EventRecord> events = parser.parse(body, routeType, bodyBytes, receivedAt, reserve);
    return writer.submit(workspaceId, events);
  }

  /** Validates like {@link #accept} and stores nothing: the benchmark's no-op baseline. */
  public void validateOnly(
      JsonNode body, EventType routeType, int bodyBytes, Instant receivedAt, LongConsumer reserve) {
    parser.parse(body, routeType, bodyBytes, receivedAt, reserve);
  }
}
