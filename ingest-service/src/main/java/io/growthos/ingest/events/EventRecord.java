package io.growthos.ingest.events;

import io.growthos.model.events.EventType;
import java.time.Instant;

/**
 * One validated event, ready to be written: scalar fields as they will be stored and the JSON
 * members already serialized ({@code null} when absent).
 *
 * @param email the {@code email} trait of an identify, when it is a usable address
 */
public record EventRecord(
    String id,
    String messageId,
    EventType type,
    String event,
    String name,
    String userId,
    String anonymousId,
    String groupId,
    String previousId,
    String properties,
    String traits,
    String context,
    String integrations,
    Instant timestamp,
    Instant sentAt,
    Instant originalTimestamp,
    Instant receivedAt,
    String email) {}
