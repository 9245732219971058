package io.growthos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.growthos.bench.load.CpuUse;
import io.growthos.bench.load.LatencyStats;
import io.growthos.bench.load.PhaseResult;
import java.time.Duration;
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
        Interleaved.Rounds.exactly(4),
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
        Interleaved.run(
            Interleaved.Rounds.exactly(5),
            true,
            r -> phase("http", subject[r]),
            r -> phase("raw", 100));
    ScenarioResult s = new ScenarioResult("batch", outcome, List.of(), true, List.of());

    // One noisy round (0.90) moves neither the median nor the phases shown.
    assertThat(s.ratio()).isEqualTo(0.50);
    assertThat(s.subject().events()).isEqualTo(50);
    assertThat(s.ratioMin()).isEqualTo(0.45);
    assertThat(s.ratioMax()).isEqualTo(0.90);
    assertThat(s.ratioIqr()).containsExactly(0.48, 0.55);
    assertThat(Report.scenarioBlock(s))
        .contains(
            "ratio events/s: 0.50 (median of 5 rounds; 95% interval –––, ±?; min–max 0.45–0.90,"
                + " IQR 0.48–0.55;");
    assertThat(Report.markdown(List.of(s), "")).contains("| 0.50 (0.45–0.90) |");
    assertThat(Report.json(List.of(s), ""))
        .contains("\"ratio_rounds\":[0.500,0.900,0.450")
        .contains("\"ratio_ci95\":[null,null]");
  }

  @Test
  void medianIntervalTakesTheBinomialRanksThatCoverNinetyFivePercent() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      values.add((double) (21 - i)); // 20, 19, …, 1: unsorted on purpose
    }
    // n = 20: P(B <= 5) = 2.07 % <= 2.5 % < P(B <= 6) = 5.77 %, so the 6th smallest and the 6th
    // largest (coverage 95.9 %).
    assertThat(Interleaved.medianInterval(values)).containsExactly(6.0, 15.0);
    // n = 6: only the extremes (coverage 96.9 %); n = 5: none covers 95 %.
    assertThat(Interleaved.medianInterval(List.of(3.0, 1.0, 2.0, 6.0, 5.0, 4.0)))
        .containsExactly(1.0, 6.0);
    assertThat(Interleaved.medianInterval(List.of(1.0, 2.0, 3.0, 4.0, 5.0)))
        .containsOnly(Double.NaN);
    assertThat(Interleaved.relativeHalfWidth(List.of(1.0, 2.0, 3.0, 4.0, 5.0))).isInfinite();
    // 0.90, 0.91, …, 1.09: interval 0.95–1.04, half of 0.09 around the median 0.995.
    List<Double> tight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tight.add(0.9 + 0.01 * i); // 0.90 … 1.09, median 0.995
    }
    assertThat(Interleaved.relativeHalfWidth(tight)).isCloseTo(0.045 / 0.995, within(1e-9));
  }

  @Test
  void medianIntervalOfManyValuesDoesNotUnderflow() {
    // 2^-2000 is 0 as a double: summed directly, the binomial terms never reach 2.5 % and the
    // loop would not end. Exactly (Python's math.comb): P(B <= 955) = 2.33 % <= 2.5 % < P(B <=
    // 956).
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      values.add((double) i);
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> assertThat(Interleaved.medianInterval(values)).containsExactly(956.0, 1045.0));
  }

  @Test
  void runsMoreRoundsInPairsUntilTheMedianIsPreciseEnough() throws Exception {
    // Ratios alternate 0.5 and 1.0 for the first 10 rounds (far too spread for ±10 %), then are
    // all 0.75. The interval is the k-th smallest to the k-th largest, and only from n = 20 on is
    // k (6) past the five 0.5s and the five 1.0s: then it is 0.75–0.75, and the run stops.
    Interleaved.Rounds policy = new Interleaved.Rounds(6, 60, 0.10);
    Interleaved.Outcome outcome =
        Interleaved.run(
            policy,
            true,
            r -> phase("http", r < 10 ? (r % 2 == 0 ? 50 : 100) : 75),
            r -> phase("raw", 100));

    int n = outcome.ratios().size();
    assertThat(n).isEqualTo(20);
    assertThat(policy.precise(outcome.ratios())).isTrue();
    assertThat(policy.precise(outcome.ratios().subList(0, n - 2))).isFalse();
    assertThat(new ScenarioResult("batch", outcome, List.of(), true, List.of()).notes()).isEmpty();
  }

  @Test
  void stopsAtTheMaximumAndSaysThePrecisionWasNotReached() throws Exception {
    Interleaved.Outcome outcome =
        Interleaved.run(
            new Interleaved.Rounds(6, 8, 0.01),
            true,
            r -> phase("http", r % 2 == 0 ? 50 : 100),
            r -> phase("raw", 100));

    assertThat(outcome.ratios()).hasSize(8);
    assertThat(new ScenarioResult("batch", outcome, List.of(), true, List.of("aim met")).notes())
        .hasSize(2)
        .first()
        .isEqualTo("aim met");
    assertThat(new ScenarioResult("batch", outcome, List.of(), true, List.of()).notes().get(0))
        .startsWith("precision NOT reached: after 8 rounds the median's 95% interval is ±")
        .contains("wider than the ±1.0 % asked");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Interleaved.median(List.of(1.0, 4.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(Interleaved.median(List.of())).isNaN();
  }
}
