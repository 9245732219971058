package io.growthos.platform.ratelimit;

import io.growthos.platform.PlatformAutoConfiguration;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Rate limits for every {@code /v1} route of a service that has this module, unless {@code
 * growthos.ratelimit.enabled=false}. The service must say which API it is ({@code
 * growthos.ratelimit.api}); the backend is {@code growthos.ratelimit.backend} (local or redis).
 */
@AutoConfiguration(after = PlatformAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "growthos.ratelimit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

  /** Right after the request id filter, so that even a refused request carries its id. */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  @Bean
  @ConditionalOnMissingBean
  PresentedKeyResolver presentedKeyResolver() {
    return new AuthorizationHeaderKeyResolver();
  }

  @Bean
  @ConditionalOnMissingBean
  RateLimiter rateLimiter(RateLimitProperties props) {
    return switch (props.backend()) {
      case LOCAL -> new LocalRateLimiter(props.localMaxBuckets());
      case REDIS -> new RedisRateLimiter(props.redis(), props.api(), props.localMaxBuckets());
    };
  }

  @Bean
  FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
      RateLimiter limiter,
      KeyAuthenticator authenticator,
      PresentedKeyResolver keyResolver,
      ErrorResponses errors,
      RateLimitProperties props) {
    FilterRegistrationBean<RateLimitFilter> reg =
        new FilterRegistrationBean<>(
            new RateLimitFilter(
                limiter, authenticator, keyResolver, errors, props, Clock.systemUTC()));
    reg.setOrder(FILTER_ORDER);
    reg.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
    return reg;
  }
}
