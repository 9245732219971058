package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.ratelimit.RateLimitDecision.Outcome;
import io.growthos.platform.ratelimit.RateLimitProperties.FailureMode;
import io.growthos.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis backend against a real Redis, with a hand-moved clock shared by two limiters standing
 * for two copies of a service: one bucket, one limit, whichever copy a request reaches.
 */
class RedisRateLimiterTest {

  /** Nothing listens on port 1: connections are refused at once. */
  private static final URI UNREACHABLE = URI.create("redis://127.0.0.1:1");

  private final String prefix = TestRedis.uniquePrefix("ratelimit");
  private final ManualTimeMeter clock = ManualTimeMeter.atWallClock();
  private final List<RedisRateLimiter> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(RedisRateLimiter::close);
  }

  private RedisRateLimiter copy(URI url, FailureMode mode) {
    RedisRateLimiter limiter =
        new RedisRateLimiter(
            new RateLimitProperties.Redis(
                url, prefix, Duration.ofMillis(500), mode, Duration.ofSeconds(30)),
            ServiceApi.MANAGEMENT,
            1_000,
            clock);
    open.add(limiter);
    return limiter;
  }

  @Test
  void twoCopiesDrawFromOneBucket() {
    RedisRateLimiter first = copy(TestRedis.url(), FailureMode.OPEN);
    RedisRateLimiter second = copy(TestRedis.url(), FailureMode.OPEN);

    int allowed = 0;
    for (int i = 0; i < 30; i++) {
      RedisRateLimiter copy = i % 2 == 0 ? first : second;
      if (copy.tryConsume("key:k:20", 20).allowed()) {
        allowed++;
      }
    }

    assertThat(allowed).isEqualTo(20);
    assertThat(second.hasTokens("key:k:20", 20)).isFalse();
    clock.advance(Duration.ofMillis(50)); // one token at 20/s
    assertThat(first.tryConsume("key:k:20", 20).allowed()).isTrue();
    assertThat(second.tryConsume("key:k:20", 20).outcome()).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void concurrentRequestsOnTwoCopiesNeverExceedTheLimit() throws Exception {
    RedisRateLimiter first = copy(TestRedis.url(), FailureMode.CLOSED);
    RedisRateLimiter second = copy(TestRedis.url(), FailureMode.CLOSED);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<RateLimitDecision>> decisions = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        RedisRateLimiter copy = i % 2 == 0 ? first : second;
        decisions.add(pool.submit(() -> copy.tryConsume("key:hot:50", 50)));
      }
      int allowed = 0;
      for (Future<RateLimitDecision> d : decisions) {
        RateLimitDecision decision = d.get();
        assertThat(decision.outcome()).isNotEqualTo(Outcome.UNAVAILABLE);
        allowed += decision.allowed() ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(50); // the clock stands still: no refill
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusalTellsWhenATokenIsBackAndItIs() {
    RedisRateLimiter limiter = copy(TestRedis.url(), FailureMode.OPEN);
    for (int i = 0; i < 10; i++) {
      limiter.tryConsume("b", 10);
    }
    RateLimitDecision refused = limiter.tryConsume("b", 10);
    assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(refused.retryAfterSeconds()));

    assertThat(limiter.tryConsume("b", 10).allowed()).isTrue();
  }

  @Test
  void bucketKeysAreNamespacedByApiAndExpireOnceTheBucketWouldBeFull() {
    copy(TestRedis.url(), FailureMode.OPEN).tryConsume("key:k:10", 10);

    RedisClient client = RedisClient.create(TestRedis.url().toString());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      long ttlMillis = c.sync().pttl(prefix + "management:key:k:10");
      assertThat(ttlMillis).isBetween(1L, 3_000L);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void failsOpenWhenRedisIsUnreachable() {
    RedisRateLimiter limiter = copy(UNREACHABLE, FailureMode.OPEN);

    for (int i = 0; i < 20; i++) {
      RateLimitDecision d = limiter.tryConsume("b", 10);
      assertThat(d.allowed()).isTrue();
      assertThat(d.limit()).isEqualTo(10);
    }
    assertThat(limiter.hasTokens("b", 10)).isTrue();
  }

  /** What readiness asks: only a limiter failing closed with Redis away serves nothing. */
  @Test
  void servesRequestsUnlessItFailsClosedWithRedisAway() {
    assertThat(copy(UNREACHABLE, FailureMode.CLOSED).servesRequests()).isFalse();
    assertThat(copy(UNREACHABLE, FailureMode.OPEN).servesRequests()).isTrue();
    assertThat(copy(TestRedis.url(), FailureMode.CLOSED).servesRequests()).isTrue();
  }

  @Test
  void failsClosedWhenRedisIsUnreachable() {
    RedisRateLimiter limiter = copy(UNREACHABLE, FailureMode.CLOSED);

    RateLimitDecision d = limiter.tryConsume("b", 10);

    assertThat(d.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(d.retryAfterSeconds()).isEqualTo(1);
    assertThat(limiter.hasTokens("b", 10)).isFalse();
  }
}
