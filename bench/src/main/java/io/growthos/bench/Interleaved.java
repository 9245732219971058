package io.growthos.bench;

import io.growthos.bench.load.PhaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Subject and baseline measured in turns (A B, B A, A B, …) within one run, so that whatever else
 * the machine does at the time (other builds, a checkpoint, the JIT) falls on both alike, and the
 * scenario's ratio is the median of the per-round ratios rather than one noisy quotient. The order
 * alternates so that neither side always runs first (after the other's writes, or on a cooler CPU).
 */
public final class Interleaved {

  private Interleaved() {}

  /** One measured phase of round {@code round} (0-based). */
  @FunctionalInterface
  public interface Phase {
    PhaseResult run(int round) throws Exception;
  }

  /**
   * The rounds of one scenario.
   *
   * @param subject the subject phase of the median round (shown in the report)
   * @param baseline the baseline phase of that same round
   * @param ratios subject ÷ baseline of every round, in run order
   */
  public record Outcome(PhaseResult subject, PhaseResult baseline, List<Double> ratios) {}

  /** Runs {@code rounds} rounds of both phases, alternating which goes first. */
  public static Outcome run(int rounds, boolean byEvents, Phase subject, Phase baseline)
      throws Exception {
    List<PhaseResult> subjects = new ArrayList<>();
    List<PhaseResult> baselines = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      PhaseResult a;
      PhaseResult b;
      if (r % 2 == 0) {
        a = subject.run(r);
        b = baseline.run(r);
      } else {
        b = baseline.run(r);
        a = subject.run(r);
      }
      double ratio = ratio(a, b, byEvents);
      subjects.add(a);
      baselines.add(b);
      ratios.add(ratio);
      System.out.printf(
          Locale.ROOT,
          "  round %d/%d: %s %s, %s %s, ratio %s%n",
          r + 1,
          rounds,
          a.name(),
          Report.number(byEvents ? a.eventsPerSecond() : a.requestsPerSecond()),
          b.name(),
          Report.number(byEvents ? b.eventsPerSecond() : b.requestsPerSecond()),
          Report.ratio(ratio));
    }
    int shown = medianIndex(ratios);
    return new Outcome(subjects.get(shown), baselines.get(shown), List.copyOf(ratios));
  }

  static double ratio(PhaseResult subject, PhaseResult baseline, boolean byEvents) {
    return byEvents
        ? subject.eventsPerSecond() / baseline.eventsPerSecond()
        : subject.requestsPerSecond() / baseline.requestsPerSecond();
  }

  /** The median (mean of the middle two for an even count); NaN for none. */
  public static double median(List<Double> values) {
    return quantile(values, 0.5);
  }

  /**
   * The {@code q} quantile by linear interpolation between closest ranks (the method of R's default
   * and numpy's {@code linear}); NaN for no values.
   */
  public static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    double position = q * (sorted.size() - 1);
    int low = (int) Math.floor(position);
    int high = (int) Math.ceil(position);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (position - low);
  }

  /** The round whose ratio is the median (the lower middle one for an even count). */
  static int medianIndex(List<Double> ratios) {
    List<Double> sorted = ratios.stream().sorted().toList();
    double middle = sorted.get((sorted.size() - 1) / 2);
    return ratios.indexOf(middle);
  }
}
