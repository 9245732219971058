package io.growthos.platform.ratelimit;

import io.growthos.platform.PlatformAutoConfiguration;
import io.growthos.platform.auth.KeyAuthenticator;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Rate limits for every route of a service that has this module, unless {@code
 * growthos.ratelimit.enabled=false}, applied by the request pipeline on the matched handler. The
 * service must say which API it is ({@code growthos.ratelimit.api}); the backend is {@code
 * growthos.ratelimit.backend} (local or redis).
 */
@AutoConfiguration(after = PlatformAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "growthos.ratelimit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RateLimiter rateLimiter(RateLimitProperties props) {
    return switch (props.backend()) {
      case LOCAL -> new LocalRateLimiter(props.localMaxBuckets());
      case REDIS -> new RedisRateLimiter(props.redis(), props.api(), props.localMaxBuckets());
    };
  }

  /** Authenticates and charges in one step; the request pipeline calls it. */
  @Bean
  RateLimitGate rateLimitGate(
      RateLimiter limiter, KeyAuthenticator authenticator, RateLimitProperties props) {
    return new RateLimitGate(limiter, authenticator, props, Clock.systemUTC());
  }
}
