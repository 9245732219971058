package io.growthos.platform.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/** The one bucket shape of SPEC §2, shared by both backends. */
final class TokenBuckets {

  /** A bucket left alone this long is full again (greedy refill of its capacity per second). */
  static final Duration REFILL_PERIOD = Duration.ofSeconds(1);

  private TokenBuckets() {}

  /**
   * Capacity {@code limit}, refilled greedily (one token every {@code 1/limit} s) rather than all
   * at once at the end of each second: a burst of at most {@code limit}, then {@code limit} per
   * second sustained, and a refused client gets a token back within {@code 1/limit} s.
   */
  static Bandwidth perSecond(long limit) {
    return Bandwidth.builder().capacity(limit).refillGreedy(limit, REFILL_PERIOD).build();
  }

  static BucketConfiguration configuration(long limit) {
    return BucketConfiguration.builder().addLimit(perSecond(limit)).build();
  }
}
