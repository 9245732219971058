package io.growthos.management.segments;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** Body of {@code POST /v1/segments/preview}: a filter to evaluate without saving it. */
@Schema(name = "SegmentPreviewRequest")
record PreviewRequest(@NotNull @Schema(ref = "#/components/schemas/Filter") JsonNode filter) {}
