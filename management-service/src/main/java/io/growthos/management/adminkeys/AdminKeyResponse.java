package io.growthos.management.adminkeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An admin key as the API shows it: the full key only in the create response, null in its replays
 * (the idempotency store never keeps it).
 */
@Schema(name = "AdminKey")
public record AdminKeyResponse(
    String id,
    @Schema(allowableValues = "admin_key") String object,
    String name,
    @Schema(example = "gos_ak_") String prefix,
    String lastFour,
    @Schema(allowableValues = {"active", "revoked"}) String status,
    Instant createdAt,
    @Schema(
            description =
                "The full key: present only in the answer of a create (store it now), and null"
                    + " when that answer is replayed from the idempotency store (a retry with the"
                    + " same Idempotency-Key), since full keys are never stored",
            nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String key) {}
