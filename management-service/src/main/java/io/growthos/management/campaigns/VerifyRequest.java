package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /v1/campaigns/{id}/participants/{pid}/verify}. */
@Schema(name = "VerifyParticipant")
public record VerifyRequest(
    @NotBlank @Size(max = 200) @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String token) {}
