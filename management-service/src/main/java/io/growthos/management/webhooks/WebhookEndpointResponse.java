package io.growthos.management.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A webhook endpoint as the API shows it: the secret only in the create and rotate responses. */
@Schema(name = "WebhookEndpoint")
public record WebhookEndpointResponse(
    @Schema(example = "we_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "webhook_endpoint") String object,
    String url,
    @Schema(description = "Event types delivered to this endpoint, or \"*\" for all")
        List<String> events,
    @Schema(description = "The description; null when there is none") @Nullable String description,
    @Schema(allowableValues = {"enabled", "disabled"}) String status,
    @Schema(description = "Why the endpoint was disabled automatically (null otherwise)")
        @Nullable String disabledReason,
    Instant createdAt,
    Instant updatedAt,
    @Schema(description = "Increases on every change; send it back in PATCH") int version,
    @Schema(
            description =
                "The signing secret (whsec_…), only in the create and rotate-secret responses:"
                    + " store it now")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String secret) {}
