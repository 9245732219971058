package io.growthos.management.webhooks;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One event's delivery to one endpoint, with the outcome of its latest attempt. */
@Schema(name = "WebhookDelivery")
public record WebhookDeliveryResponse(
    @Schema(example = "dlv_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "webhook_delivery") String object,
    String endpointId,
    @Schema(description = "The event's id, sent as webhook-id") String eventId,
    String eventType,
    @Schema(
            allowableValues = {"pending", "succeeded", "failed"},
            description = "pending: not yet delivered (retries are due); failed: given up")
        String status,
    @Schema(description = "Attempts made so far") int attempts,
    @Schema(description = "HTTP status of the latest attempt; null if none or no answer")
        @Nullable Integer responseStatus,
    @Schema(description = "Duration of the latest attempt in milliseconds")
        @Nullable Integer latencyMs,
    @Schema(description = "Why the latest attempt failed, if it did") @Nullable String lastError,
    @Nullable Instant lastAttemptAt,
    @Schema(description = "When the next attempt is due; null once succeeded or given up")
        @Nullable Instant nextAttemptAt,
    Instant createdAt) {}
