package io.growthos.management.workspaces;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The new workspace with its first keys, in full: this response is the only time they appear. An
 * answer replayed from the idempotency store has them null (full keys are never stored).
 */
@Schema(name = "WorkspaceCreated")
public record WorkspaceCreatedResponse(
    WorkspaceResponse workspace,
    @Schema(
            description =
                "A write key (gos_wk_) for the Ingest API; null when this answer is replayed from"
                    + " the idempotency store (full keys are never stored)")
        @Nullable String writeKey,
    @Schema(
            description =
                "A secret key (gos_sk_) with scope *; null when this answer is replayed from the"
                    + " idempotency store (full keys are never stored)")
        @Nullable String secretKey) {}
