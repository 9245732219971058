package io.growthos.bench;

import io.growthos.bench.load.PhaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  /**
   * A scenario measured in rounds: the phases of its median round and every round's ratio, with a
   * note when the rounds stopped at their maximum before the median was as precise as asked.
   */
  public ScenarioResult(
      String scenario,
      Interleaved.Outcome outcome,
      List<PhaseResult> others,
      boolean byEvents,
      List<String> notes) {
    this(
        scenario,
        outcome.subject(),
        outcome.baseline(),
        others,
        byEvents,
        withPrecision(outcome, notes),
        outcome.ratios());
  }

  private static List<String> withPrecision(Interleaved.Outcome outcome, List<String> notes) {
    Interleaved.Rounds rounds = outcome.rounds();
    if (rounds.precise(outcome.ratios()) || rounds.precision() == 0) {
      return notes;
    }
    List<String> out = new ArrayList<>(notes);
    out.add(
        String.format(
            Locale.ROOT,
            "precision NOT reached: after %d rounds the median's 95%% interval is ±%s, wider than"
                + " the ±%.1f %% asked (the machine's speed wandered; compare this ratio with care)",
            outcome.ratios().size(),
            Interleaved.percent(outcome.ratios()),
            rounds.precision() * 100));
    return List.copyOf(out);
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

  /**
   * The 95 % confidence interval of the median round ratio, {@code [low, high]} ({@link
   * Interleaved#medianInterval}; NaNs without rounds or with fewer than 6).
   */
  public double[] ratioInterval() {
    return Interleaved.medianInterval(rounds);
  }

  /** The interquartile range of the round ratios: {@code [q1, q3]} (NaNs without rounds). */
  public double[] ratioIqr() {
    return new double[] {Interleaved.quantile(rounds, 0.25), Interleaved.quantile(rounds, 0.75)};
  }
}
