package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /v1/campaigns/{id}/participants}. */
@Schema(name = "AddParticipant")
public record AddParticipantRequest(
    @NotBlank @Email @Size(max = 320) @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        String email,
    @Size(max = 64) @Schema(description = "The code of the participant who referred this one")
        String referralCode,
    @Size(max = 64)
        @Schema(description = "A chosen code instead of a generated one: 3-32 letters, digits, - _")
        String vanityCode) {}
