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
 *
 * <p>How many rounds: at least {@link Rounds#min}, then more, in pairs, until the median is known
 * to within {@link Rounds#precision} (the half-width of its 95 % confidence interval, relative to
 * it) or {@link Rounds#max} rounds have run. The rounds of a busy machine spread more, so it runs
 * more of them instead of printing a median that the next run will not repeat (docs/benchmarks.md,
 * "How often two runs agree").
 */
public final class Interleaved {

  private Interleaved() {}

  /** One measured phase of round {@code round} (0-based). */
  @FunctionalInterface
  public interface Phase {
    PhaseResult run(int round) throws Exception;
  }

  /**
   * How many rounds a scenario runs.
   *
   * @param min rounds always run
   * @param max rounds never exceeded
   * @param precision the half-width of the median's 95 % confidence interval, as a fraction of the
   *     median, at which no further rounds are run (0: always run {@code max})
   */
  public record Rounds(int min, int max, double precision) {

    public Rounds {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException("rounds: need 1 <= min <= max, got " + min + ", " + max);
      }
      if (!(precision >= 0)) {
        throw new IllegalArgumentException("precision must not be negative");
      }
    }

    /** Exactly {@code n} rounds. */
    public static Rounds exactly(int n) {
      return new Rounds(n, n, 0);
    }

    /**
     * Whether {@code ratios} (every round so far) are enough: {@link #max} reached, or at least
     * {@link #min} and an even count (as many rounds with each side first) whose median is precise
     * enough.
     */
    boolean enough(List<Double> ratios) {
      int n = ratios.size();
      if (n >= max) {
        return true;
      }
      return n >= min && n % 2 == 0 && precise(ratios);
    }

    /** Whether {@code ratios} met the precision (false when only {@link #max} stopped them). */
    public boolean precise(List<Double> ratios) {
      return relativeHalfWidth(ratios) <= precision;
    }
  }

  /**
   * The rounds of one scenario.
   *
   * @param subject the subject phase of the median round (shown in the report)
   * @param baseline the baseline phase of that same round
   * @param ratios subject ÷ baseline of every round, in run order
   * @param rounds the policy the rounds were run under
   */
  public record Outcome(
      PhaseResult subject, PhaseResult baseline, List<Double> ratios, Rounds rounds) {}

  /** Runs rounds of both phases, alternating which goes first, as many as {@code rounds} says. */
  public static Outcome run(Rounds rounds, boolean byEvents, Phase subject, Phase baseline)
      throws Exception {
    List<PhaseResult> subjects = new ArrayList<>();
    List<PhaseResult> baselines = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; !rounds.enough(ratios); r++) {
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
          "  round %d (%s): %s %s, %s %s, ratio %s%n",
          r + 1,
          r + 1 < rounds.min() ? "of at least " + rounds.min() : "median ±" + percent(ratios),
          a.name(),
          Report.number(byEvents ? a.eventsPerSecond() : a.requestsPerSecond()),
          b.name(),
          Report.number(byEvents ? b.eventsPerSecond() : b.requestsPerSecond()),
          Report.ratio(ratio));
    }
    int shown = medianIndex(ratios);
    return new Outcome(subjects.get(shown), baselines.get(shown), List.copyOf(ratios), rounds);
  }

  /** {@code "4.2 %"}: {@link #relativeHalfWidth}, or {@code "?"} while there is none. */
  static String percent(List<Double> ratios) {
    double w = relativeHalfWidth(ratios);
    return Double.isInfinite(w) ? "?" : String.format(Locale.ROOT, "%.1f %%", w * 100);
  }

  /**
   * Half the width of {@link #medianInterval}, divided by the median; infinite when there is no
   * interval yet (fewer than 6 values).
   */
  public static double relativeHalfWidth(List<Double> values) {
    double[] ci = medianInterval(values);
    if (Double.isNaN(ci[0])) {
      return Double.POSITIVE_INFINITY;
    }
    return (ci[1] - ci[0]) / 2 / Math.abs(median(values));
  }

  /**
   * A 95 % confidence interval of the median of the distribution the values were drawn from,
   * assuming nothing about its shape: the {@code k}-th smallest and the {@code k}-th largest value,
   * with {@code k} the largest rank for which P(B < k) <= 2.5 % where B ~ Binomial(n, 1/2) (the
   * count of values below the median). Its coverage is at least 95 %. {@code [NaN, NaN]} for fewer
   * than 6 values, where even the smallest and the largest do not cover 95 %.
   */
  public static double[] medianInterval(List<Double> values) {
    int n = values.size();
    // P(B <= j), summed term by term: C(n, j) / 2^n, in logarithms: 2^-n underflows to 0 from
    // n = 1075 on, and a sum of zeros would never reach 2.5 %.
    double logTerm = n * Math.log(0.5);
    double below = 0;
    int k = 0;
    while (k < n && below + Math.exp(logTerm) <= 0.025) {
      below += Math.exp(logTerm);
      k++;
      logTerm += Math.log((double) (n - k + 1) / k);
    }
    if (k == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    List<Double> sorted = values.stream().sorted().toList();
    return new double[] {sorted.get(k - 1), sorted.get(n - k)};
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
