package io.growthos.management.events;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A stored event as the API shows it. */
@Schema(name = "Event")
public record EventResponse(
    String id,
    @Schema(allowableValues = "event") String object,
    String messageId,
    @Schema(allowableValues = {"track", "identify", "page", "screen", "group", "alias"})
        String type,
    @Nullable String event,
    @Nullable String name,
    @Nullable String userId,
    @Nullable String anonymousId,
    @Nullable String contactId,
    @Nullable String groupId,
    @Nullable Map<String, Object> properties,
    @Nullable Map<String, Object> traits,
    @Nullable Map<String, Object> context,
    Instant timestamp,
    Instant receivedAt) {}
