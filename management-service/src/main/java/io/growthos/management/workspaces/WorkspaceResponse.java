package io.growthos.management.workspaces;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A workspace as operators see it. */
@Schema(name = "Workspace")
public record WorkspaceResponse(
    String id,
    @Schema(allowableValues = "workspace") String object,
    String name,
    @Schema(allowableValues = {"free", "growth", "scale"}) String plan,
    String timezone,
    @Schema(description = "Origins whose pages may call the widget routes; empty: any origin")
        List<String> allowedWidgetOrigins,
    @Schema(deprecated = true, description = "Former name of allowed_widget_origins (same value)")
        List<String> allowedOrigins,
    int dedupeWindowSeconds,
    int version,
    Instant createdAt,
    Instant updatedAt) {}
