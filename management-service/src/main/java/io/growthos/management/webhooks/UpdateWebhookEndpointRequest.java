package io.growthos.management.webhooks;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PATCH /v1/webhook-endpoints/{id}}: fields sent replace the stored ones, absent or
 * null fields stay. Enabling a disabled endpoint clears its {@code disabled_reason}.
 */
@Schema(name = "UpdateWebhookEndpoint")
public record UpdateWebhookEndpointRequest(
    @Size(max = WebhookUrls.MAX_LENGTH)
        @Schema(description = "As on create; an internationalised host is stored in ASCII form")
        String url,
    @Size(min = 1, max = 50) List<@NotNull String> events,
    @Size(max = 500) String description,
    @Schema(allowableValues = {"enabled", "disabled"}) String status,
    @Schema(description = "The version read; 409 version_conflict when stale") Integer version) {}
