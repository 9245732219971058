package io.growthos.platform.ratelimit;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code growthos.ratelimit.*}: which API this service is, where buckets live and the limits that
 * do not come from a plan.
 *
 * @param enabled false turns the filter off entirely (no limits, no headers)
 * @param api the column of the plan table this service applies; required when enabled
 * @param backend {@code local} (one copy) or {@code redis} (limits shared by every copy)
 * @param anonymousRequestsPerSecond limit per client address for requests without a valid key
 * @param adminRequestsPerSecond limit per admin key, which belongs to no workspace and so no plan
 * @param bodyKeyRequestsPerSecond limit per client address for requests that may carry their key in
 *     the body (ingest without an Authorization header), charged before the body is read
 * @param keyLookupsPerSecond database lookups of uncached keys per second, for the whole service,
 *     from addresses whose {@code anonymousRequestsPerSecond} budget is spent
 * @param browserRequestsPerSecondPerAddress limit per client address and key on the routes a
 *     browser calls with the public write key (the widget routes), which also have a bucket of
 *     their own per key: one address cannot spend what every visitor's widgets need
 * @param localMaxBuckets bound on in-process buckets (local backend) or bucket proxies (redis
 *     backend); an evicted local bucket comes back full
 * @param redis the Redis backend
 */
@ConfigurationProperties("growthos.ratelimit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    ServiceApi api,
    @DefaultValue("local") Backend backend,
    @DefaultValue("20") int anonymousRequestsPerSecond,
    @DefaultValue("100") int adminRequestsPerSecond,
    @DefaultValue("100") int bodyKeyRequestsPerSecond,
    @DefaultValue("50") int keyLookupsPerSecond,
    @DefaultValue("50") int browserRequestsPerSecondPerAddress,
    @DefaultValue("100000") long localMaxBuckets,
    @DefaultValue Redis redis) {

  public RateLimitProperties {
    if (enabled && api == null) {
      throw new IllegalArgumentException(
          "growthos.ratelimit.api must be 'ingest' or 'management' (the plan column to apply)");
    }
    if (anonymousRequestsPerSecond < 1
        || adminRequestsPerSecond < 1
        || bodyKeyRequestsPerSecond < 1
        || keyLookupsPerSecond < 1
        || browserRequestsPerSecondPerAddress < 1
        || localMaxBuckets < 1) {
      throw new IllegalArgumentException("growthos.ratelimit limits must be at least 1");
    }
  }

  /** Where the buckets live. */
  public enum Backend {
    LOCAL,
    REDIS
  }

  /** What a request gets while Redis cannot be reached. */
  public enum FailureMode {
    /** Let it through (limits are off meanwhile); availability over enforcement. */
    OPEN,
    /** Refuse it with 503 {@code service_unavailable} and {@code Retry-After}. */
    CLOSED
  }

  /**
   * @param url Redis to keep buckets in, e.g. {@code redis://127.0.0.1:6379/0}
   * @param keyPrefix prefix of every bucket key; the service API and bucket id follow it
   * @param timeout connect and command timeout: the most a request waits on Redis
   * @param failureMode what requests get while Redis is unreachable
   * @param warnInterval at most one WARN per interval while Redis stays unreachable
   */
  public record Redis(
      @DefaultValue("redis://127.0.0.1:6379") URI url,
      @DefaultValue("growthos:ratelimit:") String keyPrefix,
      @DefaultValue("500ms") Duration timeout,
      @DefaultValue("open") FailureMode failureMode,
      @DefaultValue("30s") Duration warnInterval) {}
}
