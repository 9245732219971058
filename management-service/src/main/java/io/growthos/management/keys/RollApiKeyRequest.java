package io.growthos.management.keys;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Body of {@code POST /v1/api-keys/{id}/roll}; may be empty. */
@Schema(name = "RollApiKey")
public record RollApiKeyRequest(
    @Schema(description = "How long the old key keeps working; default 0, at most 7 days")
        @Min(0)
        @Max(ApiKeyService.MAX_GRACE_SECONDS)
        Integer gracePeriodSeconds) {}
