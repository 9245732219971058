package io.growthos.management.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A write or secret key as the API shows it: the full key only in create and roll responses. */
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
    @Schema(description = "The full key, only in the create and roll responses: store it now")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String key) {}
