package io.growthos.platform.ratelimit;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand, so that bucket arithmetic is checked without sleeping. */
final class ManualTimeMeter implements TimeMeter {

  private final AtomicLong nanos;

  ManualTimeMeter(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  /** Starts at the current wall clock (Redis buckets expire by it). */
  static ManualTimeMeter atWallClock() {
    return new ManualTimeMeter(System.currentTimeMillis() * 1_000_000L);
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Override
  public long currentTimeNanos() {
    return nanos.get();
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }
}
