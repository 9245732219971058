package io.growthos.management.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A write or secret key as the API shows it: the full key only in create and roll responses, null
 * in their replays (the idempotency store never keeps it).
 */
@Schema(name = "ApiKey")
public record ApiKeyResponse(
    String id,
    @Schema(allowableValues = "api_key") String object,
    @Schema(allowableValues = {"write", "secret"}) String type,
    String name,
    @Schema(example = "gos_sk_") String prefix,
    String lastFour,
    List<String> scopes,
    @Schema(
            allowableValues = {"active", "expired", "revoked"},
            description = "expired: rolled, and its grace period (expires_at) is over")
        String status,
    @Schema(description = "Set on a rolled key: it works until then") @Nullable Instant expiresAt,
    @Nullable String rolledToId,
    Instant createdAt,
    Instant updatedAt,
    int version,
    @Schema(
            description =
                "The full key: present only in the answer of a create or roll (store it now), and"
                    + " null when that answer is replayed from the idempotency store (a retry with"
                    + " the same Idempotency-Key), since full keys are never stored",
            nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String key) {}
