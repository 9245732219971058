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
    @Schema(description = "An alias call's previousId: the id it linked to user_id")
        @Nullable String previousId,
    @Nullable Map<String, Object> properties,
    @Nullable Map<String, Object> traits,
    @Nullable Map<String, Object> context,
    @Schema(description = "The call's integrations object, as sent")
        @Nullable Map<String, Object> integrations,
    @Schema(
            description =
                "When the event happened: corrected for the device's clock skew when the call had"
                    + " sentAt (received_at - (sent_at - original_timestamp))")
        Instant timestamp,
    @Schema(description = "The device's time when the call was sent (sentAt), if given")
        @Nullable Instant sentAt,
    @Schema(
            description =
                "The device's time of the call as sent (originalTimestamp, else timestamp), if"
                    + " given")
        @Nullable Instant originalTimestamp,
    Instant receivedAt) {}
