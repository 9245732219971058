package io.growthos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.bench.load.CpuUse;
import io.growthos.bench.load.LatencyStats;
import io.growthos.bench.load.PhaseResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedTests {

  private static PhaseResult phase(String name, long events) {
    return new PhaseResult(
        name,
        8,
        1.0,
        events,
        events,
        0,
        new LatencyStats(events, 1, 2, 3),
        0,
        new CpuUse(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 2),
        "");
  }

  @Test
  void runsSubjectAndBaselineInTurnsAlternatingWhichGoesFirst() throws Exception {
    List<String> order = new ArrayList<>();

    Interleaved.run(
        4,
        true,
        r -> {
          order.add("A" + r);
          return phase("a", 50);
        },
        r -> {
          order.add("B" + r);
          return phase("b", 100);
        });

    assertThat(order).containsExactly("A0", "B0", "B1", "A1", "A2", "B2", "B3", "A3");
  }

  @Test
  void ratioIsTheMedianOfTheRoundsAndTheReportShowsItsSpread() throws Exception {
    long[] subject = {50, 90, 45, 55, 48};
    Interleaved.Outcome outcome =
        Interleaved.run(5, true, r -> phase("http", subject[r]), r -> phase("raw", 100));
    ScenarioResult s = new ScenarioResult("batch", outcome, List.of(), true, List.of());

    // One noisy round (0.90) moves neither the median nor the phases shown.
    assertThat(s.ratio()).isEqualTo(0.50);
    assertThat(s.subject().events()).isEqualTo(50);
    assertThat(s.ratioMin()).isEqualTo(0.45);
    assertThat(s.ratioMax()).isEqualTo(0.90);
    assertThat(s.ratioIqr()).containsExactly(0.48, 0.55);
    assertThat(Report.scenarioBlock(s))
        .contains("ratio events/s: 0.50 (median of 5 rounds; min–max 0.45–0.90, IQR 0.48–0.55;");
    assertThat(Report.markdown(List.of(s), "")).contains("| 0.50 (0.45–0.90) |");
    assertThat(Report.json(List.of(s), "")).contains("\"ratio_rounds\":[0.500,0.900,0.450");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Interleaved.median(List.of(1.0, 4.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(Interleaved.median(List.of())).isNaN();
  }
}
