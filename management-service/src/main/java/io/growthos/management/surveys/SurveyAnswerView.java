package io.growthos.management.surveys;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One answer to one question (how text answers are read). */
@Schema(name = "SurveyAnswer")
public record SurveyAnswerView(
    @Schema(description = "The response it belongs to") String responseId,
    @Schema(allowableValues = "survey_answer") String object,
    String questionId,
    @Schema(
            description = "The answer as given",
            types = {"string", "number", "array"})
        Object answer,
    @Nullable String contactId,
    boolean completed,
    Instant updatedAt) {}
