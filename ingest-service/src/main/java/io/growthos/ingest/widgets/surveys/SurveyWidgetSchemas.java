package io.growthos.ingest.widgets.surveys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the survey widget routes, for {@code /v3/api-docs} only: {@link SurveyWidgets}
 * reads the requests as JSON trees (unknown fields and wrong types are 400 with the field's path)
 * and writes the answers as trees. These records describe those trees, with what can be null
 * ({@link Nullable}) and what can be left out ({@link JsonInclude}) as the OpenAPI document says it
 * ({@code io.growthos.platform.web.WireSchemas}); {@code ResponsesMatchTheirSchemasTests} checks
 * real answers against them.
 */
final class SurveyWidgetSchemas {

  private SurveyWidgetSchemas() {}

  // --- requests ----------------------------------------------------------------------------------

  @Schema(
      name = "WidgetSurveyInteractionRequest",
      description = "A display or dismissal. Send anonymous_id or user_id (or both).")
  record InteractionRequest(
      @JsonProperty("interaction_id")
          @Schema(
              description =
                  "Minted by the widget per display or dismissal (1-128 of A-Z a-z 0-9 _ - . :):"
                      + " a retry with it records nothing more; without one every post counts",
              example = "0b6f1c1e-2f53-4a53-9d0c-7d7f5b1f2a10")
          @Nullable String interactionId,
      @JsonProperty("anonymous_id") @Schema(description = "1-255 characters")
          @Nullable String anonymousId,
      @JsonProperty("user_id") @Schema(description = "1-255 characters") @Nullable String userId,
      @JsonProperty("url") @Schema(description = "The page URL, at most 2,000 characters")
          @Nullable String url) {}

  @Schema(
      name = "WidgetSurveyResponseRequest",
      description =
          "A partial or complete response, idempotent on response_id. Send anonymous_id or user_id"
              + " (or both).")
  record ResponseRequest(
      @JsonProperty("response_id")
          @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description = "Minted by the widget (1-128 of A-Z a-z 0-9 _ - . :)",
              example = "5a4e2b9e-55a1-4d0b-8a4f-1f1a3b7c9d11")
          String responseId,
      @JsonProperty("anonymous_id") @Schema(description = "1-255 characters")
          @Nullable String anonymousId,
      @JsonProperty("user_id") @Schema(description = "1-255 characters") @Nullable String userId,
      @JsonProperty("answers")
          @Schema(
              description =
                  "Question id → answer (nps and rating: an integer; single_choice and text: a"
                      + " string; multiple_choice: a list of strings). Merged into the answers"
                      + " already saved for the response id; null clears one.")
          @Nullable Map<String, Object> answers,
      @JsonProperty("completed")
          @Schema(
              description =
                  "true checks the required questions on the response's path and stores it as"
                      + " final (false)")
          @Nullable Boolean completed,
      @JsonProperty("url") @Schema(description = "The page URL, at most 2,000 characters")
          @Nullable String url,
      @JsonProperty("question_ids")
          @Schema(
              description =
                  "The ids of the questions of the survey as the widget showed it (at most 50)."
                      + " When the survey changed since: answers to those of them it no longer"
                      + " has are dropped, not refused, and a required question not among them"
                      + " is not required of this response. Without it every question counts.")
          @Nullable List<String> questionIds,
      @JsonProperty("revision")
          @Schema(
              description =
                  "The survey's revision as the widget showed it (GET /v1/widgets/surveys, 1-64"
                      + " characters). When the survey's questions changed since, an answer to a"
                      + " question the visitor was shown that the question as it is now refuses"
                      + " (a choice removed or renamed, a lower max_length, another type) is"
                      + " dropped, not refused, listed in dropped_answers, and not required of"
                      + " this response. Without it, or with the current revision, every answer is"
                      + " checked against the survey as it is now (400 naming the field).")
          @Nullable String revision) {}

  // --- answers -----------------------------------------------------------------------------------

  @Schema(name = "WidgetSurveyLookup", description = "The survey this visitor should see now")
  record Lookup(
      @JsonProperty("survey")
          @Schema(description = "Null when no live survey targets this visitor now")
          @Nullable Survey survey) {}

  @Schema(name = "WidgetSurvey", description = "A survey to show, as its widget renders it")
  record Survey(
      @JsonProperty("id") String id,
      @JsonProperty("object") @Schema(allowableValues = "survey") String object,
      @JsonProperty("name") String name,
      @JsonProperty("questions") List<Question> questions,
      @JsonProperty("thank_you") ThankYou thankYou,
      @JsonProperty("delay_seconds")
          @Schema(description = "How long the widget waits before showing it (0-3600)")
          int delaySeconds,
      @JsonProperty("revision")
          @Schema(
              description =
                  "The revision of the questions (changes whenever they do): send it back with"
                      + " the responses")
          String revision) {}

  @Schema(name = "WidgetSurveyQuestion", description = "One question (docs/surveys.md)")
  record Question(
      @JsonProperty("id") String id,
      @JsonProperty("type")
          @Schema(allowableValues = {"nps", "rating", "single_choice", "multiple_choice", "text"})
          String type,
      @JsonProperty("text") String text,
      @JsonProperty("required")
          @Schema(description = "A complete response answers it, when it is on the response's path")
          boolean required,
      @JsonProperty("choices")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "Choice questions only")
          @Nullable List<String> choices,
      @JsonProperty("allow_other")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "Choice questions only: any other text is an answer too")
          @Nullable Boolean allowOther,
      @JsonProperty("scale")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "Rating questions only: 5 (1-5) or 10 (1-10)")
          @Nullable Integer scale,
      @JsonProperty("max_length")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(description = "Text questions only: 1-5000 characters")
          @Nullable Integer maxLength,
      @JsonProperty("logic")
          @Schema(description = "Tried in order on the answer; the first that matches jumps")
          List<LogicRule> logic) {}

  @Schema(name = "WidgetSurveyLogicRule", description = "If the answer matches, jump forward")
  record LogicRule(@JsonProperty("if") Condition condition, @JsonProperty("then") Jump jump) {}

  @Schema(name = "WidgetSurveyCondition")
  record Condition(
      @JsonProperty("op")
          @Schema(
              allowableValues = {
                "eq",
                "neq",
                "gt",
                "gte",
                "lt",
                "lte",
                "in",
                "contains",
                "answered",
                "skipped"
              })
          String op,
      @JsonProperty("value")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              description =
                  "What the answer is compared with (a score, a choice, or for `in` a list of"
                      + " them); absent for answered and skipped",
              types = {"integer", "string", "array"})
          @Nullable Object value) {}

  @Schema(name = "WidgetSurveyJump")
  record Jump(
      @JsonProperty("jump_to")
          @Schema(description = "A later question's id, or `end`", example = "end")
          String jumpTo) {}

  @Schema(name = "WidgetSurveyThankYou", description = "The step shown after the last question")
  record ThankYou(
      @JsonProperty("headline") @Schema(example = "Thank you!") String headline,
      @JsonProperty("body") @Nullable String body) {}

  @Schema(name = "WidgetSurveyInteraction", description = "A display or dismissal, acknowledged")
  record Interaction(
      @JsonProperty("object") @Schema(allowableValues = {"survey_display", "survey_dismissal"})
          String object,
      @JsonProperty("campaign_id") String campaignId,
      @JsonProperty("recorded")
          @Schema(description = "False for a deleted contact's (suppressed) ids: nothing is stored")
          boolean recorded) {}

  @Schema(
      name = "WidgetSurveyResponse",
      description = "The response as stored (a completed one is final)")
  record Response(
      @JsonProperty("id") @Schema(description = "The response_id") String id,
      @JsonProperty("object") @Schema(allowableValues = "survey_response") String object,
      @JsonProperty("campaign_id") String campaignId,
      @JsonProperty("anonymous_id") @Nullable String anonymousId,
      @JsonProperty("user_id") @Nullable String userId,
      @JsonProperty("answers") @Schema(description = "Question id → answer, as merged so far")
          Map<String, Object> answers,
      @JsonProperty("completed") boolean completed,
      @JsonProperty("url") @Nullable String url,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt,
      @JsonProperty("completed_at") @Schema(description = "Null until completed")
          @Nullable Instant completedAt,
      @JsonProperty("recorded") @Schema(description = "Always true here") boolean recorded,
      @JsonProperty("dropped_answers")
          @Schema(
              description =
                  "Ids of the answers of this post not stored because the survey changed since"
                      + " the widget showed it (a question removed, or with revision an answer"
                      + " the question no longer takes); usually empty")
          List<String> droppedAnswers) {}

  @Schema(
      name = "WidgetSurveyResponseNotRecorded",
      description =
          "The answer for a deleted contact's (suppressed) ids: acknowledged, nothing stored")
  record NotRecorded(
      @JsonProperty("id") @Schema(description = "The response_id") String id,
      @JsonProperty("object") @Schema(allowableValues = "survey_response") String object,
      @JsonProperty("campaign_id") String campaignId,
      @JsonProperty("recorded") @Schema(description = "Always false here") boolean recorded) {}
}
