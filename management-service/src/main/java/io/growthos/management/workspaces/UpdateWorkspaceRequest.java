package io.growthos.management.workspaces;

import io.growthos.management.web.NotBlankText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /v1/workspaces/{id}}: absent fields stay as they are. */
@Schema(name = "UpdateWorkspace")
public record UpdateWorkspaceRequest(
    @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
        String name,
    @Schema(allowableValues = {"free", "growth", "scale"}) String plan,
    @Schema(description = "The version read; 409 version_conflict when stale") Integer version) {}
