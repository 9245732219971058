package io.growthos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.bench.load.CpuUse;
import io.growthos.bench.load.LatencyStats;
import io.growthos.bench.load.PhaseResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static PhaseResult phase(String name, long requests, long events) {
    return new PhaseResult(
        name,
        8,
        10.0,
        requests,
        events,
        0,
        new LatencyStats(requests, 1.234, 12.5, 1234.0),
        0,
        new CpuUse(0.5, 1.0, 0.25, 1.9, 2),
        "");
  }

  @Test
  void formatsRatesLatenciesAndRatiosForPeople() {
    assertThat(Report.number(12345.6)).isEqualTo("12,346");
    assertThat(Report.number(42.25)).isEqualTo("42.3");
    assertThat(Report.number(Double.NaN)).isEqualTo("–");
    assertThat(Report.millis(1.234)).isEqualTo("1.23");
    assertThat(Report.millis(12.34)).isEqualTo("12.3");
    assertThat(Report.millis(1234.0)).isEqualTo("1,234");
    assertThat(Report.ratio(0.5049)).isEqualTo("0.50");
    assertThat(Report.ratio(Double.POSITIVE_INFINITY)).isEqualTo("–");
  }

  @Test
  void ratioComparesEventsOrRequestsAsTheScenarioSays() {
    PhaseResult baseline = phase("raw", 100, 10_000);
    PhaseResult subject = phase("http", 100, 5_000);

    assertThat(new ScenarioResult("batch", subject, baseline, List.of(), true, List.of()).ratio())
        .isEqualTo(0.5);
    assertThat(new ScenarioResult("x", subject, baseline, List.of(), false, List.of()).ratio())
        .isEqualTo(1.0);
    assertThat(new ScenarioResult("client", subject, null, List.of(), true, List.of()).ratio())
        .isNaN();
  }

  @Test
  void summaryMarksTheBaselineAndPutsTheRatioOnTheSubject() {
    ScenarioResult s =
        new ScenarioResult(
            "batch",
            phase("http POST /v1/batch", 100, 5_000),
            phase("raw JDBC COPY", 100, 10_000),
            List.of(phase("raw JDBC INSERT", 80, 8_000)),
            true,
            List.of("aim: 0.5"));

    String md = Report.markdown(List.of(s), "# title");

    assertThat(md)
        .contains(
            "| batch | raw JDBC COPY | 8 | 1,000 | 10.0 | 1.23 | 12.5 | 1,234 | 0 | baseline |")
        .contains(
            "| batch | http POST /v1/batch | 8 | 500 | 10.0 | 1.23 | 12.5 | 1,234 | 0 | 0.50 |")
        .contains("| batch | raw JDBC INSERT | 8 | 800 | 8.0 |")
        .contains("0.50 / 1.00 / 0.25 / 0.15")
        .contains("- batch: aim: 0.5");
  }

  @Test
  void jsonEscapesFailureTextAndWritesNullForMissingFigures() {
    PhaseResult failing =
        new PhaseResult(
            "p",
            1,
            1.0,
            0,
            0,
            3,
            LatencyStats.of(LatencyStats.newHistogram()),
            0,
            CpuUse.UNKNOWN,
            "HTTP 500 {\"error\":\"x\"}\n");
    String json =
        Report.json(
            List.of(new ScenarioResult("s", failing, null, List.of(), true, List.of())), "env");

    assertThat(json)
        .contains("\"first_failure\":\"HTTP 500 {\\\"error\\\":\\\"x\\\"}\\n\"")
        .contains("\"p50\":null")
        .contains("\"baseline\":null")
        .contains("\"ratio\":null");
  }
}
