package io.growthos.platform.ratelimit;

import io.growthos.platform.PlatformAutoConfiguration;
import io.growthos.platform.auth.KeyAuthenticator;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Rate limits for every route of a service that has this module, unless {@code
 * growthos.ratelimit.enabled=false}, applied by the request pipeline on the matched handler. The
 * service must say which API it is ({@code growthos.ratelimit.api}); the backend is {@code
 * growthos.ratelimit.backend} (local or redis).
 *
 * <p>On or off is decided at run time, not by a condition: Spring AOT (with which the services are
 * built) fixes conditions at build time, and the benchmarks turn limits off by environment.
 */
@AutoConfiguration(after = PlatformAutoConfiguration.class)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

  /** Lazy: created only by {@link #rateLimitGate} when limits are on (Redis is not contacted). */
  @Bean
  @Lazy
  @ConditionalOnMissingBean
  RateLimiter rateLimiter(RateLimitProperties props) {
    return switch (props.backend()) {
      case LOCAL -> new LocalRateLimiter(props.localMaxBuckets());
      case REDIS -> new RedisRateLimiter(props.redis(), props.api(), props.localMaxBuckets());
    };
  }

  /**
   * {@code rateLimits} in {@code /actuator/health} and its readiness group: DOWN while the limiter
   * fails closed and cannot reach Redis, when every {@code /v1} request would be a 503 (it said UP
   * then, so a load balancer kept sending it traffic). UP otherwise, Redis not contacted when
   * limits are off or local or fail open.
   */
  @Bean
  HealthIndicator rateLimitsHealthIndicator(
      ObjectProvider<RateLimiter> limiter, RateLimitProperties props) {
    return () ->
        !props.enabled() || limiter.getObject().servesRequests()
            ? Health.up().build()
            : Health.down().withDetail("reason", "rate-limit store unreachable").build();
  }

  /**
   * Authenticates and charges in one step; the request pipeline calls it. With limits off it only
   * authenticates.
   */
  @Bean
  RateLimitGate rateLimitGate(
      ObjectProvider<RateLimiter> limiter,
      KeyAuthenticator authenticator,
      RateLimitProperties props) {
    return props.enabled()
        ? new RateLimitGate(limiter.getObject(), authenticator, props, Clock.systemUTC())
        : RateLimitGate.unlimited(authenticator);
  }
}
