package io.growthos.management.webhooks;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/webhook-endpoints}. */
@Schema(name = "CreateWebhookEndpoint")
public record CreateWebhookEndpointRequest(
    @NotNull
        @Size(max = WebhookUrls.MAX_LENGTH)
        @Schema(
            description =
                "https URL; loopback and private addresses only where the operator allows them;"
                    + " an internationalised host is stored in its ASCII (punycode) form",
            requiredMode = Schema.RequiredMode.REQUIRED)
        String url,
    @NotNull
        @Size(min = 1, max = 50)
        @Schema(
            description = "Event types such as contact.created, or \"*\" for all",
            requiredMode = Schema.RequiredMode.REQUIRED)
        List<@NotNull String> events,
    @Size(max = 500) String description,
    @Schema(
            allowableValues = {"enabled", "disabled"},
            description = "Default enabled")
        String status) {}
