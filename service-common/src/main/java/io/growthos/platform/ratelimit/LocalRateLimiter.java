package io.growthos.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Buckets in this JVM (Bucket4j's lock-free local bucket): exact for one copy of a service, costs a
 * map lookup and a CAS (see the benchmark in {@code bench}).
 *
 * <p>The map is bounded: a bucket untouched for longer than it takes to refill is full, so dropping
 * it changes nothing; a bucket evicted by size under a flood of distinct ids comes back full, which
 * at worst grants one extra burst to that id.
 */
public final class LocalRateLimiter implements RateLimiter {

  /** Refill time plus a margin: after this an untouched bucket is full and safe to forget. */
  private static final Duration IDLE_EXPIRY = TokenBuckets.REFILL_PERIOD.plusSeconds(1);

  private final Cache<String, Bucket> buckets;
  private final TimeMeter clock;

  public LocalRateLimiter(long maxBuckets) {
    this(maxBuckets, TimeMeter.SYSTEM_NANOTIME);
  }

  /** With an explicit clock, so that tests can move time by hand. */
  public LocalRateLimiter(long maxBuckets, TimeMeter clock) {
    this.buckets =
        Caffeine.newBuilder().maximumSize(maxBuckets).expireAfterAccess(IDLE_EXPIRY).build();
    this.clock = clock;
  }

  @Override
  public RateLimitDecision tryConsume(String bucketId, long limit) {
    Bucket bucket = buckets.getIfPresent(bucketId);
    if (bucket == null) {
      bucket = buckets.get(bucketId, id -> newBucket(limit));
    }
    return RateLimitDecision.of(limit, bucket.tryConsumeAndReturnRemaining(1));
  }

  @Override
  public boolean hasTokens(String bucketId, long limit) {
    Bucket bucket = buckets.getIfPresent(bucketId);
    return bucket == null || bucket.getAvailableTokens() >= 1;
  }

  private Bucket newBucket(long limit) {
    return Bucket.builder()
        .addLimit(TokenBuckets.perSecond(limit))
        .withCustomTimePrecision(clock)
        .build();
  }
}
