package io.growthos.management.segments;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/** Body of {@code POST /v1/segments}. */
@Schema(name = "CreateSegment")
record CreateSegmentRequest(
    @NotBlank @Size(max = 200) String name,
    @Size(max = 2000) String description,
    @NotNull @Schema(ref = "#/components/schemas/Filter") JsonNode filter) {}
