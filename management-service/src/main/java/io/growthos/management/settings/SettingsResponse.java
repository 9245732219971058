package io.growthos.management.settings;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The caller's workspace settings. */
@Schema(name = "Settings")
public record SettingsResponse(
    String workspaceId,
    @Schema(allowableValues = "settings") String object,
    String name,
    @Schema(description = "IANA time zone", example = "Europe/Paris") String timezone,
    @Schema(
            description = "Origins whose pages may call the widget routes; empty: any origin",
            example = "[\"https://example.com\"]")
        List<String> allowedWidgetOrigins,
    @Schema(deprecated = true, description = "Former name of allowed_widget_origins (same value)")
        List<String> allowedOrigins,
    @Schema(description = "How long a messageId is deduplicated by the Ingest API")
        int dedupeWindowSeconds,
    int version,
    Instant updatedAt) {}
