package io.growthos.management.campaigns;

import io.growthos.core.campaigns.SocialProofFeed;
import io.growthos.core.campaigns.SocialProofFeeds;
import io.growthos.model.errors.ApiException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The feed of a social-proof campaign as its widget would show it now, computed by the same code as
 * the widget route (growth-core {@link SocialProofFeeds}), uncached and whatever the campaign's
 * status, so a draft can be previewed.
 */
@Service
class SocialProofFeedService {

  private final SocialProofFeeds feeds;
  private final Clock clock = Clock.systemUTC();

  SocialProofFeedService(JdbcTemplate jdbc) {
    this.feeds = new SocialProofFeeds(jdbc);
  }

  @Transactional(readOnly = true)
  SocialProofFeedController.FeedResponse feed(String workspaceId, String id) {
    SocialProofFeeds.Campaign campaign =
        feeds
            .campaign(workspaceId, id)
            .orElseThrow(() -> ApiException.notFound("campaign", id, "id"));
    CampaignSubResource.FEED.check(campaign.type());
    Instant now = clock.instant();
    SocialProofFeed feed = feeds.feed(campaign, now);
    return new SocialProofFeedController.FeedResponse(
        "social_proof_feed", id, campaign.isLive(now), feed.items(), feed.counters());
  }
}
