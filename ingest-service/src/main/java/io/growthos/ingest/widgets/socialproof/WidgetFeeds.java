package io.growthos.ingest.widgets.socialproof;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.campaigns.SocialProofFeed;
import io.growthos.core.campaigns.SocialProofFeeds;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feeds the widget route serves, cached per (workspace, campaign): a widget fetches its feed on
 * every page view, so computing it per request would put the feed queries on the hottest path of
 * every customer's site.
 *
 * <p>An entry is recomputed in the background once it is older than the TTL, on the first read
 * after that (Caffeine's {@code refreshAfterWrite}): readers never wait on the database for a feed
 * they have, and a changed campaign (paused, new items, new settings) shows within about one TTL.
 * An entry is dropped {@link #EXPIRY_FACTOR} TTLs after it was computed, so no feed is ever served
 * more than two TTLs after it was computed: a feed read less often than that (a quiet site) is
 * computed afresh on the read rather than served stale, so a paused or deleted campaign, or a
 * deleted person's toast, is gone within two TTLs whatever the traffic. (Until 2026-12-06 the
 * factor was 12: a feed read every 50 s was always the one of 50 s before.) Missing campaigns are
 * cached too (as empty), so requests for an unknown id cost no query either; ids that are not
 * campaign ids never reach the cache. An entry without a feed (no such campaign, or not live when
 * computed) is dropped after one TTL instead of being served once more while it refreshes: a
 * campaign activated after a widget asked for it answers from the first read after the TTL, not the
 * second. The key carries the workspace, so one workspace's entry never answers another's request.
 *
 * <p>Whether the campaign is live (active, inside its dates) is checked on every read against the
 * clock, not cached: a campaign's end date ends its feed on time.
 */
class WidgetFeeds {

  static final int EXPIRY_FACTOR = 2;

  private record Key(String workspaceId, String campaignId) {}

  /** What is cached: the campaign row, and its feed if it was live when computed. */
  private record Entry(SocialProofFeeds.Campaign campaign, Live feed) {}

  /**
   * A live campaign's feed and its response body, serialised once per refresh: every visitor of the
   * campaign gets the same bytes.
   */
  record Live(SocialProofFeed feed, byte[] json) {}

  private final SocialProofFeeds feeds;
  private final JsonMapper json;
  private final Clock clock;
  private final LoadingCache<Key, Optional<Entry>> cache;

  WidgetFeeds(
      SocialProofFeeds feeds,
      JsonMapper json,
      Clock clock,
      Duration ttl,
      long size,
      Ticker ticker,
      Executor refreshExecutor) {
    this.feeds = feeds;
    this.json = json;
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(size)
            .refreshAfterWrite(ttl)
            .expireAfter(lifetimes(ttl))
            .ticker(ticker)
            .executor(refreshExecutor)
            .build(this::load);
  }

  /** A feed lives {@link #EXPIRY_FACTOR} TTLs after it was (re)computed; no feed, one TTL. */
  private static Expiry<Key, Optional<Entry>> lifetimes(Duration ttl) {
    long withFeed = ttl.multipliedBy(EXPIRY_FACTOR).toNanos();
    long without = ttl.toNanos();
    return new Expiry<>() {
      @Override
      public long expireAfterCreate(Key key, Optional<Entry> value, long now) {
        return value.map(Entry::feed).isPresent() ? withFeed : without;
      }

      @Override
      public long expireAfterUpdate(Key key, Optional<Entry> value, long now, long current) {
        return expireAfterCreate(key, value, now);
      }

      @Override
      public long expireAfterRead(Key key, Optional<Entry> value, long now, long current) {
        return current;
      }
    };
  }

  /** The feed of the live social-proof campaign {@code campaignId} of the workspace, if any. */
  Optional<Live> live(String workspaceId, String campaignId) {
    if (!Ids.isWellFormed(IdPrefix.CAMPAIGN, campaignId)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return cache
        .get(new Key(workspaceId, campaignId))
        .filter(e -> e.feed() != null && e.campaign().isLive(now))
        .map(Entry::feed);
  }

  private Optional<Entry> load(Key key) {
    Instant now = clock.instant();
    return feeds
        .campaign(key.workspaceId(), key.campaignId())
        .map(
            c ->
                new Entry(
                    c,
                    c.type() == CampaignType.SOCIAL_PROOF && c.isLive(now)
                        ? live(key.campaignId(), feeds.feed(c, now))
                        : null));
  }

  private Live live(String campaignId, SocialProofFeed feed) {
    return new Live(feed, FeedResponse.json(json, campaignId, feed));
  }
}
