package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.ratelimit.RateLimitDecision.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The header values of SPEC §2: Unix seconds rounded up, Retry-After whole seconds and ≥ 1. */
class RateLimitDecisionTest {

  private static final long NOW_MILLIS = 1_800_000_000_250L;

  @Test
  void successCarriesLimitRemainingAndTheSecondTheBucketIsFullAgain() {
    RateLimitDecision d =
        new RateLimitDecision(Outcome.ALLOWED, 10, 9, Duration.ofMillis(100).toNanos(), 0);
    assertThat(d.headers(NOW_MILLIS))
        .containsEntry("X-RateLimit-Limit", "10")
        .containsEntry("X-RateLimit-Remaining", "9")
        // full at …000.350 s → rounded up to the next whole second
        .containsEntry("X-RateLimit-Reset", "1800000001")
        .doesNotContainKey("Retry-After");
  }

  @Test
  void resetIsNowWhenTheBucketIsAlreadyFullOnAWholeSecond() {
    RateLimitDecision d = new RateLimitDecision(Outcome.ALLOWED, 10, 10, 0, 0);
    assertThat(d.headers(1_800_000_000_000L)).containsEntry("X-RateLimit-Reset", "1800000000");
  }

  @Test
  void refusalCarriesRetryAfterRoundedUp() {
    RateLimitDecision d =
        new RateLimitDecision(
            Outcome.REJECTED,
            10,
            0,
            Duration.ofMillis(1_000).toNanos(),
            Duration.ofMillis(1_200).toNanos());
    assertThat(d.headers(NOW_MILLIS))
        .containsEntry("X-RateLimit-Remaining", "0")
        .containsEntry("X-RateLimit-Reset", "1800000002")
        .containsEntry("Retry-After", "2");
  }

  @Test
  void retryAfterIsNeverZero() {
    RateLimitDecision d = new RateLimitDecision(Outcome.REJECTED, 1000, 0, 1_000_000, 1);
    assertThat(d.headers(NOW_MILLIS)).containsEntry("Retry-After", "1");
    assertThat(d.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void unavailableTellsTheClientToRetryInASecond() {
    assertThat(RateLimitDecision.unavailable(10).headers(NOW_MILLIS))
        .containsEntry("Retry-After", "1")
        .containsEntry("X-RateLimit-Remaining", "0");
  }
}
