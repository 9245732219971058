package io.growthos.ingest.widgets.socialproof;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/widgets/campaigns/{id}/feed}: what a {@code <growthos-social-proof>} shows. */
@RestController
@Tag(name = "Widgets", description = "Routes the embedded web components call with a write key")
class SocialProofWidgetController {

  static final String FEED = "/v1/widgets/campaigns/{id}/feed";

  private final WidgetFeeds feeds;
  private final CacheControl cacheControl;

  SocialProofWidgetController(WidgetFeeds feeds, SocialProofProperties properties) {
    this.feeds = feeds;
    this.cacheControl = CacheControl.maxAge(properties.cacheTtl()).cachePrivate();
  }

  @RequiresWriteKey
  @GetMapping(FEED)
  @SecurityRequirement(name = "basicAuth")
  @SecurityRequirement(name = "bearerAuth")
  @Operation(
      summary = "Social-proof feed of a campaign: recent masked activities and counters",
      description =
          "Answers only for an active social_proof campaign of the key's workspace inside its"
              + " dates; anything else is 404. Served from a per-campaign cache refreshed every few"
              + " seconds (Cache-Control max-age says how long).")
  @ApiResponse(
      responseCode = "200",
      description = "The feed",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = FeedResponse.class)))
  @ApiResponse(
      responseCode = "401",
      description = "Missing, unknown or revoked write key, or a key of another type.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No live social-proof campaign with this id in the key's workspace.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "429",
      description = "Rate limited (the ingest plan limit of the key).",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  ResponseEntity<byte[]> feed(AuthenticatedKey key, @PathVariable String id) {
    WidgetFeeds.Live feed =
        feeds
            .live(key.workspaceId(), id)
            .orElseThrow(() -> ApiException.notFound("campaign", id, "id"));
    return ResponseEntity.ok()
        .cacheControl(cacheControl)
        .contentType(MediaType.APPLICATION_JSON)
        .body(feed.json());
  }
}
