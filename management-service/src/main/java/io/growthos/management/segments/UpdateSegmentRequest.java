package io.growthos.management.segments;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code PATCH /v1/segments/{id}}: fields present replace the stored ones; {@code version},
 * when sent, must be the current version.
 */
@Schema(name = "UpdateSegment")
record UpdateSegmentRequest(
    @Size(min = 1, max = 200) String name,
    @Size(max = 2000) String description,
    @Schema(ref = "#/components/schemas/Filter") JsonNode filter,
    @Schema(description = "The version read; 409 version_conflict when stale") Integer version) {}
