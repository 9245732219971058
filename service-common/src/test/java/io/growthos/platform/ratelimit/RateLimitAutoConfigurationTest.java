package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.web.ErrorResponses;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** What a service gets, or fails to start without, by having service-common on its classpath. */
class RateLimitAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RateLimitAutoConfiguration.class))
          .withBean(KeyAuthenticator.class, () -> new KeyAuthenticator(null, Duration.ofSeconds(5)))
          .withBean(ErrorResponses.class, () -> new ErrorResponses(JsonMapper.builder().build()));

  @Test
  void limitsEveryServiceOnTheLocalBackendByDefault() {
    runner
        .withPropertyValues("growthos.ratelimit.api=ingest")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(RateLimitGate.class);
              assertThat(ctx.getBean(RateLimitGate.class).limits()).isTrue();
              assertThat(ctx).getBean(RateLimiter.class).isInstanceOf(LocalRateLimiter.class);
            });
  }

  @Test
  void refusesToStartWithoutKnowingWhichApiItLimits() {
    runner.run(
        ctx ->
            assertThat(ctx)
                .getFailure()
                .rootCause()
                .hasMessageContaining("growthos.ratelimit.api"));
  }

  @Test
  void canBeTurnedOffAtRunTimeWithoutCreatingALimiter() {
    runner
        .withPropertyValues("growthos.ratelimit.enabled=false", "growthos.ratelimit.backend=redis")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              // The gate only authenticates; the (Redis) limiter was never created.
              assertThat(ctx.getBean(RateLimitGate.class).limits()).isFalse();
              assertThat(ctx.getBeanFactory().containsSingleton("rateLimiter")).isFalse();
            });
  }
}
