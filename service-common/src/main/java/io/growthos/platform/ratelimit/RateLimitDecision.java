package io.growthos.platform.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of taking one token from a bucket, and everything the response headers say about it.
 *
 * @param outcome whether the request may proceed
 * @param limit the bucket's capacity, which is also its refill per second
 * @param remaining tokens left after this request
 * @param nanosToReset time until the bucket is full again
 * @param nanosToRetry for a rejected request, time until one token is back
 */
public record RateLimitDecision(
    Outcome outcome, long limit, long remaining, long nanosToReset, long nanosToRetry) {

  public static final String LIMIT_HEADER = "X-RateLimit-Limit";
  public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
  public static final String RESET_HEADER = "X-RateLimit-Reset";
  public static final String RETRY_AFTER_HEADER = "Retry-After";

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  /** What happens to the request. */
  public enum Outcome {
    ALLOWED,
    REJECTED,
    /** The bucket could not be consulted (Redis down) and the failure mode is closed. */
    UNAVAILABLE
  }

  static RateLimitDecision of(long limit, ConsumptionProbe probe) {
    return new RateLimitDecision(
        probe.isConsumed() ? Outcome.ALLOWED : Outcome.REJECTED,
        limit,
        probe.getRemainingTokens(),
        probe.getNanosToWaitForReset(),
        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
  }

  /**
   * What a fresh bucket would say after one request: used when the real bucket cannot be consulted
   * and the request is let through, so clients still see the limit.
   */
  static RateLimitDecision assumedFull(long limit) {
    return new RateLimitDecision(Outcome.ALLOWED, limit, limit - 1, NANOS_PER_SECOND / limit, 0);
  }

  /** The bucket could not be consulted and the request is refused for a second. */
  static RateLimitDecision unavailable(long limit) {
    return new RateLimitDecision(Outcome.UNAVAILABLE, limit, 0, NANOS_PER_SECOND, NANOS_PER_SECOND);
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOWED;
  }

  /**
   * The headers of SPEC §2, for a response sent at {@code nowMillis} (epoch milliseconds): {@code
   * X-RateLimit-Reset} is the Unix second at which the bucket is full again, rounded up; a refused
   * request also gets {@code Retry-After}, the whole seconds until a token is back, rounded up and
   * at least 1, so a client that waits that long finds a token (unless another request of the same
   * key takes it first).
   */
  public Map<String, String> headers(long nowMillis) {
    Map<String, String> headers = new LinkedHashMap<>(4);
    headers.put(LIMIT_HEADER, Long.toString(limit));
    headers.put(REMAINING_HEADER, Long.toString(Math.max(0, remaining)));
    long fullAtMillis = nowMillis + ceilDiv(nanosToReset, TimeUnit.MILLISECONDS.toNanos(1));
    headers.put(RESET_HEADER, Long.toString(ceilDiv(fullAtMillis, 1000)));
    if (outcome != Outcome.ALLOWED) {
      headers.put(
          RETRY_AFTER_HEADER, Long.toString(Math.max(1, ceilDiv(nanosToRetry, NANOS_PER_SECOND))));
    }
    return headers;
  }

  /** Whole seconds a refused client should wait (the {@code Retry-After} value). */
  public long retryAfterSeconds() {
    return Math.max(1, ceilDiv(nanosToRetry, NANOS_PER_SECOND));
  }

  private static long ceilDiv(long x, long y) {
    return x <= 0 ? 0 : (x + y - 1) / y;
  }
}
