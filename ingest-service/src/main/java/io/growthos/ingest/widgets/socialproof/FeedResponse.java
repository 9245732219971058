package io.growthos.ingest.widgets.socialproof;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.growthos.core.campaigns.SocialProofFeed;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code GET /v1/widgets/campaigns/{id}/feed}. It is the same for every visitor of a
 * campaign, so it is serialised once per cache refresh ({@link WidgetFeeds}) and served as bytes.
 *
 * @param object always {@code social_proof_feed}
 * @param campaign the campaign id
 * @param items recent activities, newest first, rendered and masked
 * @param counters counters at or above their minimum count
 */
record FeedResponse(
    @Schema(allowableValues = "social_proof_feed") String object,
    String campaign,
    List<ItemView> items,
    List<CounterView> counters) {

  static FeedResponse of(String campaignId, SocialProofFeed feed) {
    return new FeedResponse(
        "social_proof_feed",
        campaignId,
        feed.items().stream().map(i -> new ItemView(i.id(), i.message(), i.timeAgo())).toList(),
        feed.counters().stream().map(c -> new CounterView(c.message(), c.count())).toList());
  }

  /** The JSON body of {@code feed}, as the route sends it. */
  static byte[] json(JsonMapper json, String campaignId, SocialProofFeed feed) {
    return json.writeValueAsBytes(of(campaignId, feed));
  }

  /**
   * @param id opaque, stable for the same activity: show each toast once
   * @param message the text to show
   * @param timeAgo coarse age ("5 minutes ago"), also inside the message if its template asks
   */
  record ItemView(String id, String message, @JsonProperty("time_ago") String timeAgo) {}

  record CounterView(String message, long count) {}
}
