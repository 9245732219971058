package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.ratelimit.RateLimitProperties.FailureMode;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 8 finding: the Redis URL of the rate limits carries its password ({@code
 * redis://user:password@host}); what the service logs about Redis names the host, never the user
 * info.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisUrlLoggingTests {

  private static final String PASSWORD = "s3cret-Pa55";

  @Test
  void theRedisPasswordNeverReachesTheLog(CapturedOutput output) {
    // Nothing listens on port 1: the start-up connection fails and is logged, and so are the
    // failing checks of requests.
    URI url = URI.create("redis://growthos:" + PASSWORD + "@127.0.0.1:1/0");
    try (RedisRateLimiter limiter =
        new RedisRateLimiter(
            new RateLimitProperties.Redis(
                url, "growthos:test:", Duration.ofMillis(200), FailureMode.OPEN, Duration.ZERO),
            ServiceApi.MANAGEMENT,
            100)) {
      for (int i = 0; i < 3; i++) {
        limiter.tryConsume("key:k:20", 20);
      }
    }

    assertThat(output.getAll()).contains("redis://127.0.0.1:1/0");
    assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain("growthos:" + PASSWORD);
  }

  @Test
  void aUrlWithUserInfoIsRedactedToSchemeHostPortAndPath() {
    assertThat(RedisRateLimiter.redacted(URI.create("redis://:pw@redis.internal:6380/2")))
        .isEqualTo("redis://redis.internal:6380/2");
    assertThat(RedisRateLimiter.redacted(URI.create("rediss://u:pw@redis.internal")))
        .isEqualTo("rediss://redis.internal");
  }
}
