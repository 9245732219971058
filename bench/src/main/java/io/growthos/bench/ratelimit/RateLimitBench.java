package io.growthos.bench.ratelimit;

import io.growthos.platform.ratelimit.LocalRateLimiter;
import io.growthos.platform.ratelimit.RateLimitDecision;
import io.growthos.platform.ratelimit.RateLimitProperties;
import io.growthos.platform.ratelimit.RateLimiter;
import io.growthos.platform.ratelimit.RedisRateLimiter;
import io.growthos.platform.ratelimit.ServiceApi;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Added latency per request of the rate-limit check, per backend, against no limiter, in one run.
 *
 * <p>Each op is what {@code RateLimitFilter} adds to a request once the key is known: take one
 * token from the key's bucket and compute the three headers. Keys cycle over {@code keys} distinct
 * buckets with a limit high enough that every op is allowed (the common path). Single thread:
 * latency, not throughput. The Redis figure includes one network round trip to the local Redis.
 *
 * <p>Run: {@code java -cp <service-common classpath> io.growthos.bench.ratelimit.RateLimitBench
 * [localOps] [redisOps] [keys]}; {@code -Dgrowthos.bench.redis.url=redis://host:6379} picks the
 * Redis (default the local one). It writes only keys under a fresh {@code bench:<uuid>:} prefix,
 * which expire within seconds.
 */
public final class RateLimitBench {

  private static final long LIMIT = 1_000_000_000L;

  private RateLimitBench() {}

  public static void main(String[] args) {
    int localOps = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int redisOps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    URI redisUrl =
        URI.create(System.getProperty("growthos.bench.redis.url", "redis://127.0.0.1:6379"));

    String[] ids = new String[keys];
    for (int i = 0; i < keys; i++) {
      ids[i] = "key:key_" + i + ":" + LIMIT;
    }

    RateLimiter none = new NoLimiter();
    RateLimiter local = new LocalRateLimiter(100_000);
    RedisRateLimiter redis =
        new RedisRateLimiter(
            new RateLimitProperties.Redis(
                redisUrl,
                "bench:" + UUID.randomUUID() + ":",
                Duration.ofSeconds(2),
                RateLimitProperties.FailureMode.CLOSED,
                Duration.ofSeconds(30)),
            ServiceApi.INGEST,
            100_000);
    try {
      // Warm up every path first (JIT, connection), then measure each in turn, twice, and keep
      // the second round: the first round of each is still settling.
      for (int round = 0; round < 2; round++) {
        double baseline = measure(none, ids, localOps);
        double localNs = measure(local, ids, localOps);
        double redisNs = measure(redis, ids, redisOps);
        if (round == 1) {
          System.out.printf(
              Locale.ROOT, "%-12s %12s %14s %10s%n", "backend", "ns/op", "added ns/op", "x none");
          print("none", baseline, baseline);
          print("local", localNs, baseline);
          print("redis", redisNs, baseline);
          System.out.printf(
              Locale.ROOT,
              "(%d local ops, %d redis ops, %d keys, single thread, redis at %s)%n",
              localOps,
              redisOps,
              keys,
              redisUrl);
        }
      }
    } finally {
      redis.close();
    }
  }

  /** The baseline: the same loop with no bucket behind it. */
  private static final class NoLimiter implements RateLimiter {
    @Override
    public RateLimitDecision tryConsume(String bucketId, long limit) {
      return null;
    }

    @Override
    public boolean hasTokens(String bucketId, long limit) {
      return true;
    }
  }

  private static void print(String name, double nsPerOp, double baseline) {
    System.out.printf(
        Locale.ROOT,
        "%-12s %12.1f %14.1f %10.1f%n",
        name,
        nsPerOp,
        nsPerOp - baseline,
        nsPerOp / baseline);
  }

  /** Mean ns per check over {@code ops} checks, after {@code ops / 2} warm-up checks. */
  private static double measure(RateLimiter limiter, String[] ids, int ops) {
    run(limiter, ids, ops / 2);
    long start = System.nanoTime();
    long sink = run(limiter, ids, ops);
    long elapsed = System.nanoTime() - start;
    if (sink == 42) {
      System.out.println(); // keeps the JIT from dropping the work
    }
    return (double) elapsed / ops;
  }

  private static long run(RateLimiter limiter, String[] ids, int ops) {
    long sink = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < ops; i++) {
      RateLimitDecision d = limiter.tryConsume(ids[i % ids.length], LIMIT);
      if (d != null) {
        if (!d.allowed()) {
          throw new IllegalStateException("the benchmark measures the allowed path: " + d);
        }
        sink += d.headers(now).size() + d.remaining();
      } else {
        sink += ids[i % ids.length].length();
      }
    }
    return sink;
  }
}
