package io.growthos.management.segments;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A segment as the API shows it. */
@Schema(name = "Segment")
record SegmentResponse(
    @Schema(example = "seg_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "segment") String object,
    String name,
    @Nullable String description,
    @Schema(ref = "#/components/schemas/Filter") JsonNode filter,
    @Schema(description = "Increases on every change; send it back in PATCH") int version,
    Instant createdAt,
    Instant updatedAt) {}
