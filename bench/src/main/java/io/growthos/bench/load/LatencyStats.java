package io.growthos.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Latency summary of a phase, in milliseconds, from an HdrHistogram of microseconds.
 *
 * @param count number of recorded requests
 * @param p50 median
 * @param p99 99th percentile
 * @param max maximum
 */
public record LatencyStats(long count, double p50, double p99, double max) {

  /** Highest latency a histogram can record, in microseconds: a minute. */
  public static final long HIGHEST_MICROS = 60_000_000L;

  public static Histogram newHistogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  public static LatencyStats of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN);
    }
    return new LatencyStats(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }
}
