package io.growthos.platform.ratelimit;

/**
 * Token buckets by id. Each bucket holds {@code limit} tokens and refills greedily at {@code limit}
 * per second, so from a full bucket exactly {@code limit} requests pass within any one second and
 * the rest are refused until tokens come back.
 *
 * <p>A bucket id is created on first use and expires once it would be full again, so ids need no
 * cleanup. Callers put the limit into the id (see {@link RateLimitFilter}) so that a new limit
 * means a new bucket rather than a configuration to migrate.
 */
public interface RateLimiter {

  /** Takes one token from bucket {@code bucketId} of capacity {@code limit}. Never throws. */
  RateLimitDecision tryConsume(String bucketId, long limit);

  /**
   * Whether bucket {@code bucketId} has at least one token, without taking it. A bucket never used
   * is full. When the answer cannot be known (Redis down), the failure mode decides: {@code true}
   * when failing open, {@code false} when failing closed.
   */
  boolean hasTokens(String bucketId, long limit);

  /**
   * Whether requests can be served as the failure mode says: false only for a backend that fails
   * closed and cannot reach its store now (checked, not remembered: this is what readiness asks).
   */
  default boolean servesRequests() {
    return true;
  }
}
