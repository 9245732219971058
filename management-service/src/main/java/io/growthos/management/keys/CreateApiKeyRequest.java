package io.growthos.management.keys;

import io.growthos.management.web.NotBlankText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/api-keys}. */
@Schema(name = "CreateApiKey")
public record CreateApiKeyRequest(
    @NotNull
        @Schema(
            allowableValues = {"write", "secret"},
            requiredMode = Schema.RequiredMode.REQUIRED)
        String type,
    @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
        String name,
    @Schema(
            description =
                "Secret keys only: <resource>:read or <resource>:write (write implies read),"
                    + " the resource one of contacts, events, keys, settings, segments, analytics,"
                    + " campaigns, webhooks; or * for every scope")
        @Size(max = 20)
        List<@NotNull String> scopes) {}
