package io.growthos.ingest.widgets;

import io.growthos.ingest.web.IngestRequest;
import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.growthos.platform.web.ApiExceptionHandler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The campaign widget routes (SPEC §8) for referral programs and waitlists: what {@code
 * <growthos-referral>} and {@code <growthos-waitlist>} call from the browser with the write key.
 */
@RestController
@Tag(
    name = "Widgets: campaigns",
    description =
        "Referral and waitlist widgets: public info, join, one's own state (write key; CORS"
            + " limited to the workspace's allowed origins)")
@WidgetApiDocs.StandardResponses
class WidgetCampaignController {

  static final String CAMPAIGN = WidgetRoutes.PREFIX + "campaigns/{id}";

  private final WidgetService widgets;
  private final JsonMapper json;

  WidgetCampaignController(WidgetService widgets, JsonMapper json) {
    this.widgets = widgets;
    this.json = json;
  }

  @RequiresWriteKey
  @GetMapping(path = CAMPAIGN)
  @Operation(
      summary = "A live campaign's public info: name, counts, sharing, leaderboard (masked names)")
  @ApiResponse(responseCode = "200", description = "The campaign", useReturnTypeSchema = true)
  WidgetCampaign campaign(AuthenticatedKey key, @PathVariable String id) {
    return widgets.campaign(key.workspaceId(), id);
  }

  @RequiresWriteKey
  @PostMapping(path = CAMPAIGN + "/participants", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Join a referral program or waitlist by e-mail (idempotent on client_id)",
      description =
          "Returns the participant's token (shown once), code, share URL and, on a waitlist, its"
              + " position. The same client_id and e-mail replay the join (200, same participant,"
              + " a new token); the same client_id with another e-mail is 422 client_id_reused;"
              + " an e-mail that already joined is 409. An unknown referral code is ignored.")
  @ApiResponse(responseCode = "201", description = "Joined", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "200",
      description = "A replay of an earlier join with the same client_id",
      content = @Content(schema = @Schema(implementation = WidgetParticipant.class)))
  @ApiResponse(
      responseCode = "409",
      description = "This e-mail has already joined the campaign",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "422",
      description = "client_id reused with another e-mail",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = JoinRequest.class)))
  ResponseEntity<WidgetParticipant> join(
      AuthenticatedKey key, @PathVariable String id, IngestRequest call) {
    WidgetService.Joined joined = widgets.join(key.workspaceId(), id, bind(call.body()));
    return ResponseEntity.status(joined.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(joined.participant());
  }

  /**
   * The join body, read as every ingest body is (bounded, gzip, strict UTF-8 and storable text:
   * {@link IngestRequest}) and bound with the application's rules (unknown fields are 400).
   */
  private JoinRequest bind(JsonNode body) {
    try {
      return json.treeToValue(body, JoinRequest.class);
    } catch (JacksonException e) {
      throw ApiExceptionHandler.fromJackson(e);
    }
  }

  @RequiresWriteKey
  @GetMapping(path = CAMPAIGN + "/participants/me")
  @Operation(
      summary = "The participant's own state, by the token its join returned",
      description =
          "Never by e-mail or id. A missing token is 401 (reason missing), a token that is not"
              + " this campaign's current one is 401 (reason invalid_token).")
  @ApiResponse(responseCode = "200", description = "The participant", useReturnTypeSchema = true)
  WidgetParticipant me(
      AuthenticatedKey key,
      @PathVariable String id,
      @Parameter(description = "The participant_token returned by the join")
          @RequestHeader(name = WidgetRoutes.PARTICIPANT_TOKEN_HEADER, required = false)
          String token) {
    return widgets.me(key.workspaceId(), id, token);
  }
}
