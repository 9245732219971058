package io.growthos.management.analytics;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/analytics")
@Tag(
    name = "Analytics",
    description = "Trends, funnels, retention and counts over the workspace's events")
class AnalyticsController {

  private final AnalyticsService analytics;

  AnalyticsController(AnalyticsService analytics) {
    this.analytics = analytics;
  }

  @PostMapping("/query")
  @RequiresScope("analytics:read")
  @Operation(
      summary = "Run an analytics query",
      description =
          "A read: nothing is stored. `kind` picks trends, funnel, retention or counts; see"
              + " docs/analytics.md. Results are exact and say the time they cover. A query that"
              + " runs past the statement timeout is 503 `query_timeout`. A breakdown by a"
              + " contact's `trait` needs `contacts:read` as well (403 `missing_scope` without"
              + " it).")
  @ApiResponse(responseCode = "200", description = "The result", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description =
          "unknown_segment: the filter refers to a segment the workspace does not have (an unknown"
              + " id, or another workspace's)",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/ErrorEnvelope")))
  @ApiResponse(
      responseCode = "503",
      description = "query_timeout: the query ran past the statement timeout; narrow it",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/ErrorEnvelope")))
  ResponseEntity<AnalyticsResponse> query(Caller caller, @RequestBody AnalyticsQueryRequest body) {
    // A ResponseEntity, as every POST is an idempotent write here (Idempotency-Key replays it).
    return ResponseEntity.ok(
        analytics.query(caller.workspaceId(), body, caller.holds("contacts:read")));
  }
}
