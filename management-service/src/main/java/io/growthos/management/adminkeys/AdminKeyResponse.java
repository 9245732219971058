package io.growthos.management.adminkeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An admin key as the API shows it: the full key only in the create response. */
@Schema(name = "AdminKey")
public record AdminKeyResponse(
    String id,
    @Schema(allowableValues = "admin_key") String object,
    String name,
    @Schema(example = "gos_ak_") String prefix,
    String lastFour,
    @Schema(allowableValues = {"active", "revoked"}) String status,
    Instant createdAt,
    @Schema(description = "The full key, only in the create response: store it now")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String key) {}
