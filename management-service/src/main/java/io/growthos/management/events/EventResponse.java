package io.growthos.management.events;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** A stored event as the API shows it. */
@Schema(name = "Event")
public record EventResponse(
    String id,
    @Schema(allowableValues = "event") String object,
    String messageId,
    @Schema(allowableValues = {"track", "identify", "page", "screen", "group", "alias"})
        String type,
    String event,
    String name,
    String userId,
    String anonymousId,
    String contactId,
    String groupId,
    Map<String, Object> properties,
    Map<String, Object> traits,
    Map<String, Object> context,
    Instant timestamp,
    Instant receivedAt) {}
