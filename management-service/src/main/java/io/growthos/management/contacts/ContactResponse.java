package io.growthos.management.contacts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A contact as the API shows it. */
@Schema(name = "Contact")
public record ContactResponse(
    @Schema(example = "cntct_0Q3x7Yb2kLmNoPqRsTuVwXy") String id,
    @Schema(allowableValues = "contact") String object,
    @Nullable String email,
    @Nullable String userId,
    @Schema(
            description =
                "The contact's other ids: the anonymous ids of its browsers and devices, and the"
                    + " ids aliased to it. Each finds the contact as its user id does (GET"
                    + " /v1/contacts?user_id=, the Ingest API)")
        List<String> anonymousIds,
    Map<String, Object> traits,
    @Schema(description = "Client group ids (groupId of group calls) the contact belongs to")
        List<String> groups,
    @Nullable Instant firstSeenAt,
    @Nullable Instant lastSeenAt,
    Instant createdAt,
    Instant updatedAt,
    @Schema(description = "Increases on every change; send it back in PATCH") int version) {}
