package io.growthos.management.surveys;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Results of survey campaigns. Another workspace's campaign is 404; a non-survey one 422. */
@RestController
@RequestMapping("/v1/campaigns/{id}")
@Tag(name = "Survey results", description = "NPS, distributions, drop-off, responses, answers")
class SurveyResultsController {

  private final SurveyResultsService results;

  SurveyResultsController(SurveyResultsService results) {
    this.results = results;
  }

  @GetMapping("/results")
  @RequiresScope("campaigns:read")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only survey campaigns have this; another type is not_supported")
  @Operation(
      summary = "Summary of a survey's responses",
      description =
          "NPS (promoters 9–10, passives 7–8, detractors 0–6), answer distribution, average,"
              + " reached/answered/dropped-off per question, displays, dismissals, completion.")
  SurveyResultsResponse summary(Caller caller, @PathVariable String id) {
    return results.results(caller.workspaceId(), id);
  }

  @GetMapping("/responses")
  @RequiresScope("campaigns:read")
  @Operation(summary = "Export every response, newest first (cursor)")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only survey campaigns have this; another type is not_supported")
  Page<SurveyResponseView> responses(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "Only complete (true) or partial (false) responses")
          @RequestParam(required = false)
          Boolean completed,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return results.responses(caller.workspaceId(), id, completed, limit, cursor);
  }

  @GetMapping("/results/questions/{qid}/answers")
  @RequiresScope("campaigns:read")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only survey campaigns have this; another type is not_supported")
  @Operation(
      summary = "The answers to one question, newest first (cursor)",
      description = "How text answers are read; works for every question type.")
  Page<SurveyAnswerView> answers(
      Caller caller,
      @PathVariable String id,
      @PathVariable String qid,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return results.answers(caller.workspaceId(), id, qid, limit, cursor);
  }
}
