package io.growthos.management.surveys;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One response, as exported and as sent in {@code survey.response.completed} webhooks. */
@Schema(name = "SurveyResponse")
public record SurveyResponseView(
    @Schema(description = "The response_id the widget sent") String id,
    @Schema(allowableValues = "survey_response") String object,
    String campaignId,
    @Schema(description = "The contact the visitor's ids resolved to; null when none existed")
        @Nullable String contactId,
    @Nullable String anonymousId,
    @Nullable String userId,
    @Schema(description = "Question id → answer") Map<String, Object> answers,
    boolean completed,
    @Nullable String url,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant completedAt) {}
