package io.growthos.management.workspaces;

import io.swagger.v3.oas.annotations.media.Schema;

/** The new workspace with its first keys, in full: this response is the only time they appear. */
@Schema(name = "WorkspaceCreated")
public record WorkspaceCreatedResponse(
    WorkspaceResponse workspace,
    @Schema(description = "A write key (gos_wk_) for the Ingest API") String writeKey,
    @Schema(description = "A secret key (gos_sk_) with scope *") String secretKey) {}
