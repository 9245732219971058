package io.growthos.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.growthos.platform.ratelimit.RateLimitProperties.FailureMode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager (compare-and-swap in a Lua script), so
 * that every copy of a service draws from the same bucket and the limit holds across copies.
 *
 * <p>Bucket keys are {@code <keyPrefix><api>:<bucketId>} and expire once the bucket would be full
 * again. Time comes from each copy's clock (Bucket4j's client-side clock): copies need NTP-synced
 * clocks, as any distributed token bucket without a server clock does.
 *
 * <p>While Redis cannot be reached (refused, timed out, not yet connected), requests get what
 * {@link FailureMode} says, one WARN per {@code warnInterval} is logged, and a new connection is
 * tried at most once a second so that an outage costs microseconds per request, not a connect
 * timeout.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final long RECONNECT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final Duration STARTUP_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PROXY_IDLE_EXPIRY = Duration.ofSeconds(10);

  private final RedisClient client;
  private final LazyConnection<String> connection;
  private final LettuceBasedProxyManager<String> buckets;
  private final Cache<String, Bucket> proxies;
  private final String keyPrefix;
  private final FailureMode failureMode;
  private final long warnIntervalNanos;
  private final AtomicLong lastWarnNanos = new AtomicLong();
  private final AtomicLong failuresSinceWarn = new AtomicLong();
  private volatile boolean failing;

  public RedisRateLimiter(RateLimitProperties.Redis props, ServiceApi api, long maxProxies) {
    this(props, api, maxProxies, null);
  }

  /** With an explicit clock shared by the copies under test, so that tests can move time. */
  public RedisRateLimiter(
      RateLimitProperties.Redis props, ServiceApi api, long maxProxies, TimeMeter clock) {
    RedisURI uri = RedisURI.create(props.url());
    uri.setTimeout(props.timeout());
    this.client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            // Fail at once while disconnected instead of queueing until the timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(props.timeout()).build())
            .timeoutOptions(TimeoutOptions.enabled(props.timeout()))
            .build());
    this.connection = new LazyConnection<>(client, CODEC);
    try {
      // Connect now rather than on the first request, with time for a cold JVM's first handshake;
      // a failure here is retried by requests.
      RedisURI atStart = RedisURI.create(props.url());
      atStart.setTimeout(
          STARTUP_CONNECT_TIMEOUT.compareTo(props.timeout()) > 0
              ? STARTUP_CONNECT_TIMEOUT
              : props.timeout());
      connection.connect(atStart);
    } catch (RuntimeException e) {
      log.warn(
          "Redis for rate limits at {} unreachable at start ({}); requests fail {} until it is.",
          redacted(props.url()),
          rootMessage(e),
          props.failureMode() == FailureMode.OPEN ? "open" : "closed");
    }
    Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder =
        new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(connection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(1)))
            .requestTimeout(props.timeout());
    if (clock != null) {
      builder.clientClock(clock);
    }
    this.buckets = builder.build();
    // Proxies are kept (not built per request) so that batching can merge concurrent requests
    // of this copy on one bucket into one compare-and-swap: without it, a burst on a hot key
    // retries its CAS until the timeout.
    this.proxies =
        Caffeine.newBuilder().maximumSize(maxProxies).expireAfterAccess(PROXY_IDLE_EXPIRY).build();
    this.keyPrefix = props.keyPrefix() + api.wireName() + ":";
    this.failureMode = props.failureMode();
    this.warnIntervalNanos = props.warnInterval().toNanos();
  }

  @Override
  public RateLimitDecision tryConsume(String bucketId, long limit) {
    try {
      RateLimitDecision decision =
          RateLimitDecision.of(limit, bucket(bucketId, limit).tryConsumeAndReturnRemaining(1));
      recovered();
      return decision;
    } catch (RuntimeException e) {
      warn(e);
      return failureMode == FailureMode.OPEN
          ? RateLimitDecision.assumedFull(limit)
          : RateLimitDecision.unavailable(limit);
    }
  }

  @Override
  public boolean hasTokens(String bucketId, long limit) {
    try {
      boolean has = bucket(bucketId, limit).getAvailableTokens() >= 1;
      recovered();
      return has;
    } catch (RuntimeException e) {
      warn(e);
      return failureMode == FailureMode.OPEN;
    }
  }

  /**
   * Failing open, always (requests pass unlimited while Redis is away); failing closed, whether a
   * read of a probe bucket reaches Redis now. Readiness asks it, so a copy that would refuse every
   * request with 503 is taken out of its load balancer, and is put back once Redis answers again
   * (which a copy without traffic would otherwise never notice).
   */
  @Override
  public boolean servesRequests() {
    if (failureMode == FailureMode.OPEN) {
      return true;
    }
    try {
      bucket("readiness-probe", 1).getAvailableTokens();
      recovered();
      return true;
    } catch (RuntimeException e) {
      warn(e);
      return false;
    }
  }

  private Bucket bucket(String bucketId, long limit) {
    return proxies.get(
        bucketId,
        id ->
            buckets
                .builder()
                .withOptimization(Optimizations.batching())
                .build(keyPrefix + id, () -> TokenBuckets.configuration(limit)));
  }

  private void recovered() {
    if (failing) {
      failing = false;
      log.info("Redis for rate limits is reachable again; limits are shared again.");
    }
  }

  private void warn(RuntimeException e) {
    failing = true;
    failuresSinceWarn.incrementAndGet();
    long now = System.nanoTime();
    long last = lastWarnNanos.get();
    if ((last == 0 || now - last >= warnIntervalNanos) && lastWarnNanos.compareAndSet(last, now)) {
      log.warn(
          "Redis for rate limits unreachable ({} checks failed since the last warning); failing"
              + " {}: requests are {} meanwhile. Cause: {}",
          failuresSinceWarn.getAndSet(0),
          failureMode == FailureMode.OPEN ? "open" : "closed",
          failureMode == FailureMode.OPEN ? "let through unlimited" : "refused with 503",
          rootMessage(e));
    }
  }

  /**
   * The Redis URL without its user info: {@code redis://:password@host} carries the password, which
   * must never reach a log.
   */
  static String redacted(java.net.URI url) {
    String host = url.getHost() == null ? "?" : url.getHost();
    String port = url.getPort() < 0 ? "" : ":" + url.getPort();
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getScheme() + "://" + host + port + path;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /**
   * Connects on first use if it could not at start, so that a service starts while Redis is down,
   * and retries at most once per {@link #RECONNECT_BACKOFF_NANOS}. Once connected, Lettuce
   * reconnects by itself. Generic in the key type on purpose: Bucket4j passes keys as {@code
   * Object[]}, which a {@code String[]} parameter would reject.
   */
  private static final class LazyConnection<K> implements RedisApi<K> {

    private final RedisClient client;
    private final RedisCodec<K, byte[]> codec;
    private volatile StatefulRedisConnection<K, byte[]> connection;
    private long nextAttemptNanos;

    LazyConnection(RedisClient client, RedisCodec<K, byte[]> codec) {
      this.client = client;
      this.codec = codec;
    }

    synchronized void connect(RedisURI uri) {
      try {
        connection = client.connect(codec, uri);
      } catch (RuntimeException e) {
        nextAttemptNanos = System.nanoTime() + RECONNECT_BACKOFF_NANOS;
        throw e;
      }
    }

    private RedisAsyncCommands<K, byte[]> commands() {
      StatefulRedisConnection<K, byte[]> c = connection;
      if (c != null) {
        return c.async();
      }
      synchronized (this) {
        if (connection == null) {
          long now = System.nanoTime();
          if (nextAttemptNanos != 0 && now - nextAttemptNanos < 0) {
            throw new RedisConnectionException("not connected; next attempt within a second");
          }
          try {
            connection = client.connect(codec);
          } catch (RuntimeException e) {
            nextAttemptNanos = now + RECONNECT_BACKOFF_NANOS;
            throw e;
          }
        }
        return connection.async();
      }
    }

    @Override
    public <V> RedisFuture<V> eval(
        String script, ScriptOutputType scriptOutputType, K[] keys, byte[][] args) {
      return commands().eval(script, scriptOutputType, keys, args);
    }

    @Override
    public RedisFuture<byte[]> get(K key) {
      return commands().get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisFuture<?> delete(K key) {
      return commands().del(key);
    }

    synchronized void close() {
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
  }
}
