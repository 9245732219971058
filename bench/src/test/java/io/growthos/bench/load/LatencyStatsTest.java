package io.growthos.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void reportsPercentilesInMillisecondsFromMicroseconds() {
    Histogram h = LatencyStats.newHistogram();
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 100L); // 0.1 ms … 100 ms
    }

    LatencyStats s = LatencyStats.of(h);

    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50()).isCloseTo(50.0, within(0.1));
    assertThat(s.p99()).isCloseTo(99.0, within(0.1));
    assertThat(s.max()).isCloseTo(100.0, within(0.1));
  }

  @Test
  void anEmptyPhaseHasNoPercentiles() {
    LatencyStats s = LatencyStats.of(LatencyStats.newHistogram());

    assertThat(s.count()).isZero();
    assertThat(s.p99()).isNaN();
  }
}
