package io.growthos.ingest.widgets.socialproof;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.growthos.core.campaigns.SocialProofFeed;
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
import java.util.List;
import org.springframework.http.CacheControl;
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

  /**
   * The feed of a social-proof campaign.
   *
   * @param object always {@code social_proof_feed}
   * @param campaign the campaign id
   * @param items recent activities, newest first, rendered and masked
   * @param counters counters at or above their minimum count
   */
  record FeedResponse(
      String object, String campaign, List<ItemView> items, List<CounterView> counters) {

    static FeedResponse of(String campaignId, SocialProofFeed feed) {
      return new FeedResponse(
          "social_proof_feed",
          campaignId,
          feed.items().stream().map(i -> new ItemView(i.id(), i.message(), i.timeAgo())).toList(),
          feed.counters().stream().map(c -> new CounterView(c.message(), c.count())).toList());
    }
  }

  /**
   * @param id opaque, stable for the same activity: show each toast once
   * @param message the text to show
   * @param timeAgo coarse age ("5 minutes ago"), also inside the message if its template asks
   */
  record ItemView(String id, String message, @JsonProperty("time_ago") String timeAgo) {}

  record CounterView(String message, long count) {}

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
  @ApiResponse(responseCode = "200", description = "The feed", useReturnTypeSchema = true)
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
  ResponseEntity<FeedResponse> feed(AuthenticatedKey key, @PathVariable String id) {
    SocialProofFeed feed =
        feeds.live(key.workspaceId(), id).orElseThrow(() -> ApiException.notFound("campaign", id));
    return ResponseEntity.ok().cacheControl(cacheControl).body(FeedResponse.of(id, feed));
  }
}
