package io.growthos.ingest.widgets.socialproof;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Serving of social-proof feeds ({@code growthos.social-proof.*}).
 *
 * @param cacheTtl how long a computed feed is served before it is recomputed (in the background:
 *     readers keep getting the previous feed meanwhile); also the {@code max-age} browsers are told
 * @param cacheSize campaigns whose feeds are kept, across workspaces
 */
@ConfigurationProperties("growthos.social-proof")
public record SocialProofProperties(
    @DefaultValue("5s") Duration cacheTtl, @DefaultValue("10000") long cacheSize) {

  public SocialProofProperties {
    if (cacheTtl.isNegative() || cacheTtl.isZero()) {
      throw new IllegalArgumentException("growthos.social-proof.cache-ttl must be positive");
    }
  }
}
