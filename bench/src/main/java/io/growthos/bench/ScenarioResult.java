package io.growthos.bench;

import io.growthos.bench.load.PhaseResult;
import java.util.List;

/**
 * What one scenario measured: the phase it is about, the baseline measured in the same run, and the
 * ratio of the two.
 *
 * @param scenario the scenario's name
 * @param subject the phase the scenario is about (of the median round, when run in rounds)
 * @param baseline what it is compared with (of that same round), or null when it has none
 * @param others further phases measured on the way (e.g. the slower raw JDBC method)
 * @param byEvents whether the ratio compares events/s (else requests/s)
 * @param notes findings worth printing beside the figures (targets, checks)
 * @param rounds subject ÷ baseline of each round of {@link Interleaved}, in run order; empty when
 *     subject and baseline were measured once each
 */
public record ScenarioResult(
    String scenario,
    PhaseResult subject,
    PhaseResult baseline,
    List<PhaseResult> others,
    boolean byEvents,
    List<String> notes,
    List<Double> rounds) {

  /** A scenario measured without rounds (or without a baseline). */
  public ScenarioResult(
      String scenario,
      PhaseResult subject,
      PhaseResult baseline,
      List<PhaseResult> others,
      boolean byEvents,
      List<String> notes) {
    this(scenario, subject, baseline, others, byEvents, notes, List.of());
  }

  /** A scenario measured in rounds: the phases of its median round and every round's ratio. */
  public ScenarioResult(
      String scenario,
      Interleaved.Outcome outcome,
      List<PhaseResult> others,
      boolean byEvents,
      List<String> notes) {
    this(
        scenario, outcome.subject(), outcome.baseline(), others, byEvents, notes, outcome.ratios());
  }

  /**
   * subject ÷ baseline, by events/s or requests/s: the median of the rounds' ratios, or the one
   * ratio without rounds; NaN without a baseline.
   */
  public double ratio() {
    if (baseline == null) {
      return Double.NaN;
    }
    if (!rounds.isEmpty()) {
      return Interleaved.median(rounds);
    }
    return Interleaved.ratio(subject, baseline, byEvents);
  }

  /** The smallest round ratio (NaN without rounds). */
  public double ratioMin() {
    return rounds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  /** The largest round ratio (NaN without rounds). */
  public double ratioMax() {
    return rounds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** The interquartile range of the round ratios: {@code [q1, q3]} (NaNs without rounds). */
  public double[] ratioIqr() {
    return new double[] {Interleaved.quantile(rounds, 0.25), Interleaved.quantile(rounds, 0.75)};
  }
}
