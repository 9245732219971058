package io.growthos.bench;

import io.growthos.bench.load.PhaseResult;
import java.util.List;

/**
 * What one scenario measured: the phase it is about, the baseline measured in the same run, and the
 * ratio of the two.
 *
 * @param scenario the scenario's name
 * @param subject the phase the scenario is about
 * @param baseline what it is compared with, or null when it has none
 * @param others further phases measured on the way (e.g. the slower raw JDBC method)
 * @param byEvents whether the ratio compares events/s (else requests/s)
 * @param notes findings worth printing beside the figures (targets, checks)
 */
public record ScenarioResult(
    String scenario,
    PhaseResult subject,
    PhaseResult baseline,
    List<PhaseResult> others,
    boolean byEvents,
    List<String> notes) {

  /** subject ÷ baseline, by events/s or requests/s; NaN without a baseline. */
  public double ratio() {
    if (baseline == null) {
      return Double.NaN;
    }
    return byEvents
        ? subject.eventsPerSecond() / baseline.eventsPerSecond()
        : subject.requestsPerSecond() / baseline.requestsPerSecond();
  }
}
