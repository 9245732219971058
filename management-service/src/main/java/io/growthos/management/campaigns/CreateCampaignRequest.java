package io.growthos.management.campaigns;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/** Body of {@code POST /v1/campaigns}. */
@Schema(name = "CreateCampaign")
public record CreateCampaignRequest(
    @NotNull
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"referral", "waitlist", "survey", "social_proof"})
        String type,
    @NotBlank @Size(max = 200) @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
    @Schema(
            description = "Initial status, draft by default; must be reachable from draft",
            allowableValues = {"draft", "active", "ended"})
        String status,
    Instant startsAt,
    Instant endsAt,
    @Schema(
            description =
                "Who is shown a survey, or may join a referral program or a waitlist (422"
                    + " not_in_audience otherwise): a filter (object) or a segment id (string);"
                    + " absent or null for everyone. A social_proof campaign takes none",
            types = {"object", "string", "null"})
        @JsonSetter(nulls = Nulls.SET)
        Object audience,
    @Schema(description = "Type-specific settings (SPEC §8); defaults fill what is absent")
        Map<String, Object> settings) {}
