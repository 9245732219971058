package io.growthos.ingest.widgets.surveys;

import io.growthos.ingest.web.IngestRequest;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * The survey widget's routes (SPEC §8): thin, the rules are {@link SurveyWidgets}. The write key
 * authenticates the workspace; a campaign of another workspace, or one that is not a live survey,
 * is 404. The bodies are described by {@link SurveyWidgetSchemas}; the errors every widget route
 * can answer are listed by {@code io.growthos.ingest.web.IngestOpenApiConfig}, those particular to
 * these routes here.
 */
@RestController
@SecurityRequirement(name = "basicAuth")
@SecurityRequirement(name = "bearerAuth")
@Tag(name = "Survey widget", description = "Which survey to show, displays, dismissals, responses")
class SurveyWidgetController {

  private final SurveyWidgets surveys;

  SurveyWidgetController(SurveyWidgets surveys) {
    this.surveys = surveys;
  }

  @RequiresWriteKey
  @GetMapping("/v1/widgets/surveys")
  @ApiResponse(
      responseCode = "200",
      description =
          "The survey to show now (with its questions, thank-you step and delay), or null.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = SurveyWidgetSchemas.Lookup.class)))
  @Operation(
      summary = "The survey this visitor should see now, or {\"survey\": null}",
      description =
          "The server evaluates each live survey's targeting (audience, URL rule, trigger event)"
              + " and frequency caps (once per contact, days between surveys, dismissed) for the"
              + " visitor's anonymous_id or user_id. Send `event` when a tracked event triggers the"
              + " check, omit it for a page view.")
  ObjectNode current(
      AuthenticatedKey key,
      @Parameter(description = "The visitor's anonymous id")
          @RequestParam(name = "anonymous_id", required = false)
          String anonymousId,
      @Parameter(description = "The visitor's user id")
          @RequestParam(name = "user_id", required = false)
          String userId,
      @Parameter(description = "The page URL") @RequestParam(required = false) String url,
      @Parameter(description = "The tracked event that triggers the check")
          @RequestParam(required = false)
          String event) {
    return surveys.current(key.workspaceId(), anonymousId, userId, url, event);
  }

  @RequiresWriteKey
  @PostMapping(
      path = "/v1/widgets/campaigns/{id}/displays",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @InteractionDocs
  @Operation(
      summary = "Record that the survey was shown",
      description =
          "With an `interaction_id` (one"
              + " the widget mints per display or dismissal) it is recorded once: a retry answers"
              + " the same and records nothing more; without one, every post counts.")
  ObjectNode display(AuthenticatedKey key, @PathVariable String id, IngestRequest call) {
    return surveys.interaction(key.workspaceId(), id, "display", call.body());
  }

  @RequiresWriteKey
  @PostMapping(
      path = "/v1/widgets/campaigns/{id}/dismissals",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @InteractionDocs
  @Operation(
      summary = "Record that the visitor closed the survey; it is not shown to them again",
      description =
          "With an `interaction_id` (one"
              + " the widget mints per display or dismissal) it is recorded once: a retry answers"
              + " the same and records nothing more; without one, every post counts.")
  ObjectNode dismiss(AuthenticatedKey key, @PathVariable String id, IngestRequest call) {
    return surveys.interaction(key.workspaceId(), id, "dismissal", call.body());
  }

  @RequiresWriteKey
  @PostMapping(
      path = "/v1/widgets/campaigns/{id}/responses",
      consumes = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(
      responseCode = "200",
      description =
          "The response as stored (a completed one is final), with `recorded`: true; for a"
              + " deleted contact's (suppressed) ids only `{id, object, campaign_id, recorded:"
              + " false}`, and nothing is stored.",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(
                      anyOf = {
                        SurveyWidgetSchemas.Response.class,
                        SurveyWidgetSchemas.NotRecorded.class
                      })))
  @ApiResponse(
      responseCode = "404",
      description = "No live survey campaign of this workspace has this id.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "409",
      description =
          "The response_id belongs to another visitor (`response_conflict`), or the survey takes"
              + " one response per visitor (`targeting.once_per_contact`) and this visitor already"
              + " has one under another response_id (`already_responded`).",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "The database is unavailable, or the write lost a race; retry after Retry-After (a response is stored once).",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = SurveyWidgetSchemas.ResponseRequest.class)))
  @Operation(
      summary = "Save a partial or complete response (idempotent on response_id)",
      description =
          "Answers merge into those already saved for the response id (null, a blank"
              + " text or an empty list clears one); `completed: true` checks the required questions and stores the response as"
              + " a `Survey Responded` event and a `survey.response.completed` webhook, once. A"
              + " completed response is final: posting it again returns it unchanged.")
  ObjectNode respond(AuthenticatedKey key, @PathVariable String id, IngestRequest call) {
    return surveys.respond(key.workspaceId(), id, call.body());
  }

  /** What a display and a dismissal answer, and their body: the two record an interaction alike. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ApiResponse(
      responseCode = "200",
      description = "`recorded`: true, or false for a deleted contact's (suppressed) ids.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = SurveyWidgetSchemas.Interaction.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No live survey campaign of this workspace has this id.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The interaction_id belongs to another visitor.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "The database is unavailable, or the write lost a race; retry after Retry-After (one with an interaction_id is stored once).",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = SurveyWidgetSchemas.InteractionRequest.class)))
  @interface InteractionDocs {}
}
