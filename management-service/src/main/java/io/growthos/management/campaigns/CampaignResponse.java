package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A campaign as the API shows it. */
@Schema(name = "Campaign")
public record CampaignResponse(
    @Schema(example = "cmp_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "campaign") String object,
    @Schema(allowableValues = {"referral", "waitlist", "survey", "social_proof"}) String type,
    String name,
    @Schema(allowableValues = {"draft", "active", "paused", "ended"}) String status,
    @Nullable Instant startsAt,
    @Nullable Instant endsAt,
    @Schema(
            description =
                "Who the campaign is for: a filter of the segment grammar (object) or a segment id"
                    + " (string); null for everyone",
            types = {"object", "string", "null"})
        @Nullable Object audience,
    @Schema(description = "Type-specific settings with their defaults filled in")
        Map<String, Object> settings,
    @Schema(description = "Increases on every change; send it back in PATCH") int version,
    Instant createdAt,
    Instant updatedAt) {}
