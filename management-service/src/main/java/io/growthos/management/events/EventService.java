package io.growthos.management.events;

import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.management.web.JsonDocuments;
import io.growthos.model.errors.ApiException;
import io.growthos.model.events.Event;
import io.growthos.model.events.EventType;
import io.growthos.model.events.Events;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Events of the caller's workspace, read-only (the Ingest API writes them). */
@Service
public class EventService {

  static final String LIST = "events";

  private final Events events;
  private final EntityManager em;
  private final Paginator paginator;
  private final JsonDocuments documents;

  EventService(Events events, EntityManager em, Paginator paginator, JsonDocuments documents) {
    this.events = events;
    this.em = em;
    this.paginator = paginator;
    this.documents = documents;
  }

  /**
   * Filters of the event list; null fields do not filter. An id of another workspace in a filter
   * simply matches nothing.
   */
  public record Filters(
      String type,
      String event,
      String contactId,
      String userId,
      String anonymousId,
      Instant after,
      Instant before) {}

  @Transactional(readOnly = true)
  public Page<EventResponse> list(String workspaceId, Filters f, int limit, String cursor) {
    if (f.type() != null && EventType.ofWireName(f.type()).isEmpty()) {
      throw ApiException.invalid(
          "type",
          "invalid_value",
          "Parameter 'type' must be one of: " + String.join(", ", EventType.wireNames()));
    }
    KeysetQuery<Event> query =
        KeysetQuery.of(em, Event.class, workspaceId)
            .filter("type", f.type(), "e.type = :type")
            .filter("event", f.event(), "e.event = :event")
            .filter("contactId", f.contactId(), "e.contactId = :contactId")
            .filter("userId", f.userId(), "e.userId = :userId")
            .filter("anonymousId", f.anonymousId(), "e.anonymousId = :anonymousId")
            .filter("after", f.after(), "e.timestamp > :after")
            .filter("before", f.before(), "e.timestamp < :before");
    return paginator.page(
        LIST,
        workspaceId,
        query,
        limit,
        cursor,
        Event::getId,
        rows -> rows.stream().map(this::view).toList());
  }

  @Transactional(readOnly = true)
  public EventResponse get(String workspaceId, String id) {
    return events
        .findByWorkspaceIdAndId(workspaceId, id)
        .map(this::view)
        .orElseThrow(() -> ApiException.notFound("event", id, "id"));
  }

  private EventResponse view(Event e) {
    return new EventResponse(
        e.getId(),
        "event",
        e.getMessageId(),
        e.getType(),
        e.getEvent(),
        e.getName(),
        e.getUserId(),
        e.getAnonymousId(),
        e.getContactId(),
        e.getGroupId(),
        e.getPreviousId(),
        documents.read(e.getProperties()),
        documents.read(e.getTraits()),
        documents.read(e.getContext()),
        documents.read(e.getIntegrations()),
        e.getTimestamp(),
        e.getSentAt(),
        e.getOriginalTimestamp(),
        e.getReceivedAt());
  }
}
