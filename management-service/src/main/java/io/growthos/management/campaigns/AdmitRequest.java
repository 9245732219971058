package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /v1/campaigns/{id}/admit}: admit the top {@code count}. */
@Schema(name = "AdmitTop")
public record AdmitRequest(
    @NotNull @Min(1) @Max(1000) @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        Integer count) {}
