package io.growthos.management.campaigns;

import io.growthos.core.campaigns.SocialProofFeed;
import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/campaigns/{id}/feed}: preview of a social-proof campaign's feed ({@link
 * SocialProofFeedService}); {@code live} says whether the widget route serves it now.
 */
@RestController
@RequestMapping("/v1/campaigns/{id}")
@Tag(name = "Campaigns")
class SocialProofFeedController {

  private final SocialProofFeedService feeds;

  SocialProofFeedController(SocialProofFeedService feeds) {
    this.feeds = feeds;
  }

  /**
   * @param object always {@code social_proof_feed}
   * @param campaign the campaign id
   * @param live whether the widget route serves this feed now (active, inside its dates)
   * @param items recent activities, newest first, rendered and masked
   * @param counters counters at or above their minimum count
   */
  record FeedResponse(
      String object,
      String campaign,
      boolean live,
      List<SocialProofFeed.Item> items,
      List<SocialProofFeed.Counter> counters) {}

  @GetMapping("/feed")
  @RequiresScope("campaigns:read")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only social_proof campaigns have this; another type is not_supported")
  @Operation(
      summary = "Preview a social-proof campaign's feed (items and counters, masked as shown)")
  FeedResponse feed(Caller caller, @PathVariable String id) {
    return feeds.feed(caller.workspaceId(), id);
  }
}
