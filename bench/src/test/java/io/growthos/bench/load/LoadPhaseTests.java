package io.growthos.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class LoadPhaseTests {

  private static final long MS = 1_000_000L;

  @Test
  void aRequestSentDuringTheWarmUpAndAnsweredInsideTheWindowCounts() {
    LoadPhase.Window window = new LoadPhase.Window(0, 100 * MS, 1_100 * MS);

    assertThat(window.measures(150 * MS)).isTrue();
    assertThat(window.measures(100 * MS)).isTrue();
    assertThat(window.measures(1_100 * MS)).isTrue();
    assertThat(window.measures(99 * MS)).isFalse();
    assertThat(window.measures(1_101 * MS)).isFalse();
  }

  /**
   * Each connection answers one request every 250 ms, on a fixed grid from the phase's start, so a
   * 1 s window holds exactly four answers per connection whatever the scheduler's delays (the
   * window opens and closes 125 ms away from any answer). Counting only the requests sent and
   * answered inside the window would give three.
   */
  @Test
  void throughputIsOneRequestPerLatencyPerConnectionEvenWhenTheWindowHoldsFewRequests()
      throws Exception {
    int connections = 2;
    LoadPhase phase =
        new LoadPhase(
            "grid",
            connections,
            Duration.ofMillis(375),
            Duration.ofMillis(1_000),
            Long.MAX_VALUE,
            new CpuMeter(() -> -1, () -> -1));

    PhaseResult result = phase.run(i -> new GridWorker(250));

    assertThat(result.requests()).isEqualTo(4L * connections);
    assertThat(result.requestsPerSecond())
        .isCloseTo(4.0 * connections, Percentage.withPercentage(1));
    assertThat(result.errors()).isZero();
  }

  /** Answers its k-th request at k × {@code periodMillis} after its first call began. */
  private static final class GridWorker implements Worker {
    private final long periodNanos;
    private long origin = -1;
    private long answered;

    GridWorker(long periodMillis) {
      this.periodNanos = periodMillis * MS;
    }

    @Override
    public int call() {
      if (origin < 0) {
        origin = System.nanoTime();
      }
      LoadPhase.sleepUntil(origin + ++answered * periodNanos);
      return 1;
    }
  }
}
