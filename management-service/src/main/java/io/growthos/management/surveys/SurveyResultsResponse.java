package io.growthos.management.surveys;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The summary of a survey's responses. */
@Schema(name = "SurveyResults")
public record SurveyResultsResponse(
    @Schema(allowableValues = "survey_results") String object,
    String campaignId,
    @Schema(description = "Times the widget showed the survey") long displays,
    @Schema(description = "Times a visitor closed it without finishing") long dismissals,
    @Schema(description = "Responses, partial and complete") long responses,
    long completed,
    long partial,
    @Schema(description = "completed / responses; null without responses")
        @Nullable Double completionRate,
    @Schema(description = "The NPS of the survey's first nps question; null when it has none")
        @Nullable Nps nps,
    List<QuestionResult> questions) {

  /** Net Promoter Score: 100 × (promoters − detractors) / answers, one decimal. */
  @Schema(name = "SurveyNps")
  public record Nps(
      @Schema(description = "From -100 to 100; null without answers") @Nullable Double score,
      @Schema(description = "Answers of 9 or 10") long promoters,
      @Schema(description = "Answers of 7 or 8") long passives,
      @Schema(description = "Answers of 0 to 6") long detractors,
      long responses) {}

  @Schema(name = "SurveyQuestionResult")
  public record QuestionResult(
      String id,
      @Schema(allowableValues = {"nps", "rating", "single_choice", "multiple_choice", "text"})
          String type,
      String text,
      @Schema(description = "Responses whose path (given the logic) reached this question")
          long reached,
      long answered,
      @Schema(description = "Partial responses that stopped at this question") long droppedOff,
      @Schema(
              description =
                  "Answer → count: every score (nps, rating) or choice (plus 'other'); empty for"
                      + " text questions (see …/answers)")
          Map<String, Long> distribution,
      @Schema(description = "Mean score of nps and rating questions") @Nullable Double average,
      @Nullable Nps nps) {}
}
