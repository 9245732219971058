package io.growthos.ingest.config;

import io.growthos.model.values.JsonNesting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Tuning of the Ingest API ({@code growthos.ingest.*}). The limits default to Segment's (SPEC §3).
 *
 * @param limits request and event size limits
 * @param writer the group-commit writer
 * @param dedupe the messageId dedupe window and its purge
 * @param cors browser access
 * @param admission the memory all requests in flight may hold together
 * @param benchNoopEndpoint exposes {@code POST /v1/noop}, which authenticates and validates like
 *     {@code /v1/track} but stores nothing: the baseline of the {@code track} benchmark. Never
 *     enable it in production.
 */
@ConfigurationProperties("growthos.ingest")
public record IngestProperties(
    @DefaultValue Limits limits,
    @DefaultValue Writer writer,
    @DefaultValue Dedupe dedupe,
    @DefaultValue Cors cors,
    @DefaultValue Admission admission,
    @DefaultValue("false") boolean benchNoopEndpoint) {

  /**
   * @param maxBodySize per request body, after gzip decompression (413 above it)
   * @param maxEventSize per event (400 naming the event above it)
   * @param maxBatchEvents events per batch (400 above it)
   * @param maxNestingDepth JSON nesting depth (400 above it): keeps parsing and PostgreSQL's
   *     recursive jsonb input far from their stack limits; by default {@link JsonNesting}'s, the
   *     bound the Management API applies to its bodies
   * @param maxStoredSize the JSON one request may store, counting a batch's top-level {@code
   *     context} and {@code integrations} once in every event they are merged into (413 above it):
   *     without it a 500 KB batch could store (and hold in memory) 2,500 × 32 KB = 80 MB
   */
  public record Limits(
      @DefaultValue("500KB") DataSize maxBodySize,
      @DefaultValue("32KB") DataSize maxEventSize,
      @DefaultValue("2500") int maxBatchEvents,
      @DefaultValue("" + JsonNesting.MAX_DEPTH) int maxNestingDepth,
      @DefaultValue("5MB") DataSize maxStoredSize) {}

  /**
   * @param maxInFlight heap bytes all requests in flight may hold together (bodies, parsed trees,
   *     events until committed); beyond it requests get 503 {@code overloaded}. Unset: a quarter of
   *     the JVM's maximum heap ({@code -Xmx})
   * @param retryAfter the Retry-After of that 503
   */
  public record Admission(DataSize maxInFlight, @DefaultValue("1s") Duration retryAfter) {

    /** Heap share used when {@code max-in-flight} is unset. */
    public static final double DEFAULT_HEAP_SHARE = 0.25;

    /** The budget in bytes: the configured one, or a quarter of the maximum heap. */
    public long maxInFlightBytes() {
      return maxInFlight != null
          ? maxInFlight.toBytes()
          : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
    }
  }

  /**
   * @param threads writer threads, each committing its own groups; two let one group be built while
   *     the other waits for its commit
   * @param maxWait how long a writer waits for more requests after the first before it writes
   * @param maxGroupEvents most events one transaction takes
   * @param maxPendingEvents events queued and not yet written; beyond that requests get 503
   * @param maxPendingBytes JSON bytes queued and not yet written (bounds memory whatever the event
   *     size); beyond that requests get 503
   * @param retryAfter the Retry-After of a 503
   * @param attempts tries of one request's transaction after its group failed
   * @param ackTimeout longest a request waits for its events to be committed; then 503 with
   *     Retry-After (the events may still be stored; a retry is deduplicated by messageId)
   */
  public record Writer(
      @DefaultValue("2") int threads,
      @DefaultValue("1ms") Duration maxWait,
      @DefaultValue("5000") int maxGroupEvents,
      @DefaultValue("100000") int maxPendingEvents,
      @DefaultValue("64MB") DataSize maxPendingBytes,
      @DefaultValue("1s") Duration retryAfter,
      @DefaultValue("3") int attempts,
      @DefaultValue("30s") Duration ackTimeout) {}

  /**
   * @param defaultWindow the window when a workspace's own setting cannot be read
   * @param settingsCacheTtl how long a workspace's window is cached
   * @param purgeInterval how often expired dedupe rows are deleted
   * @param purgeBatchSize rows deleted per statement by the purge
   */
  public record Dedupe(
      @DefaultValue("7d") Duration defaultWindow,
      @DefaultValue("30s") Duration settingsCacheTtl,
      @DefaultValue("10m") Duration purgeInterval,
      @DefaultValue("10000") int purgeBatchSize) {}

  /**
   * @param maxAge how long browsers may cache a preflight answer
   */
  public record Cors(@DefaultValue("24h") Duration maxAge) {}
}
