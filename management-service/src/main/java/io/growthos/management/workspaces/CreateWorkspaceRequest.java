package io.growthos.management.workspaces;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /v1/workspaces}. */
@Schema(name = "CreateWorkspace")
public record CreateWorkspaceRequest(
    @NotBlank @Size(max = 200) @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
    @NotNull
        @Schema(
            allowableValues = {"free", "growth", "scale"},
            requiredMode = Schema.RequiredMode.REQUIRED)
        String plan) {}
