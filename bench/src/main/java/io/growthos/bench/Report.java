package io.growthos.bench;

import io.growthos.bench.load.CpuUse;
import io.growthos.bench.load.LatencyStats;
import io.growthos.bench.load.PhaseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints phases and scenarios as they finish, and the summary as Markdown and JSON. */
final class Report {

  private Report() {}

  static String phaseLine(PhaseResult p) {
    LatencyStats l = p.latency();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-38s %3d conn  %10s ev/s  %9s req/s  p50 %s  p99 %s  max %s ms  errors %d",
            p.name(),
            p.connections(),
            events(p),
            number(p.requestsPerSecond()),
            millis(l.p50()),
            millis(l.p99()),
            millis(l.max()),
            p.errors()));
    sb.append('\n').append("      ").append(cpu(p.cpu()));
    if (p.reconnects() > 0) {
      sb.append(", reconnects ").append(p.reconnects());
    }
    if (!p.firstFailure().isEmpty()) {
      sb.append('\n').append("      first failure: ").append(oneLine(p.firstFailure()));
    }
    return sb.toString();
  }

  static String scenarioBlock(ScenarioResult s) {
    StringBuilder sb = new StringBuilder();
    sb.append("== ").append(s.scenario()).append('\n');
    if (s.baseline() != null) {
      sb.append(phaseLine(s.baseline())).append("   [baseline]\n");
    }
    for (PhaseResult o : s.others()) {
      sb.append(phaseLine(o)).append('\n');
    }
    sb.append(phaseLine(s.subject())).append('\n');
    if (s.baseline() != null) {
      sb.append("  ratio ")
          .append(s.byEvents() ? "events/s" : "requests/s")
          .append(": ")
          .append(ratio(s.ratio()))
          .append(spread(s))
          .append('\n');
    }
    s.notes().forEach(n -> sb.append("  note: ").append(n).append('\n'));
    return sb.toString();
  }

  /** The summary as a Markdown table: one row per phase, the ratio on the scenario's subject. */
  static String markdown(List<ScenarioResult> results, String header) {
    StringBuilder sb = new StringBuilder();
    sb.append(header).append("\n\n");
    sb.append(
        "| scenario | phase | conn | events/s | req/s | p50 ms | p99 ms | max ms | errors | ratio"
            + " | cores: bench / service / pg / others |\n");
    sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for (ScenarioResult s : results) {
      List<PhaseResult> rows = new ArrayList<>();
      if (s.baseline() != null) {
        rows.add(s.baseline());
      }
      rows.addAll(s.others());
      rows.add(s.subject());
      for (PhaseResult p : rows) {
        String ratio =
            p == s.subject()
                ? ratio(s.ratio()) + rangeShort(s)
                : p == s.baseline() ? "baseline" : "";
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %s | %s | %s | %s | %d | %s | %s |%n",
                s.scenario(),
                p.name(),
                p.connections(),
                events(p),
                number(p.requestsPerSecond()),
                millis(p.latency().p50()),
                millis(p.latency().p99()),
                millis(p.latency().max()),
                p.errors(),
                ratio,
                coresShort(p.cpu())));
      }
    }
    sb.append('\n');
    for (ScenarioResult s : results) {
      for (String n : s.notes()) {
        sb.append("- ").append(s.scenario()).append(": ").append(n).append('\n');
      }
    }
    return sb.toString();
  }

  static String json(List<ScenarioResult> results, String environment) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"environment\":").append(quote(environment)).append(",\"scenarios\":[");
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult s = results.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"scenario\":").append(quote(s.scenario()));
      sb.append(",\"ratio\":").append(num(s.ratio()));
      sb.append(",\"ratio_rounds\":[");
      for (int k = 0; k < s.rounds().size(); k++) {
        sb.append(k > 0 ? "," : "").append(num(s.rounds().get(k)));
      }
      sb.append("],\"ratio_min\":").append(num(s.ratioMin()));
      sb.append(",\"ratio_max\":").append(num(s.ratioMax()));
      double[] ci = s.ratioInterval();
      sb.append(",\"ratio_ci95\":[").append(num(ci[0])).append(',').append(num(ci[1])).append(']');
      sb.append(",\"ratio_of\":").append(quote(s.byEvents() ? "events/s" : "requests/s"));
      sb.append(",\"subject\":").append(phaseJson(s.subject()));
      sb.append(",\"baseline\":").append(s.baseline() == null ? "null" : phaseJson(s.baseline()));
      sb.append(",\"others\":[");
      for (int k = 0; k < s.others().size(); k++) {
        sb.append(k > 0 ? "," : "").append(phaseJson(s.others().get(k)));
      }
      sb.append("],\"notes\":[");
      for (int k = 0; k < s.notes().size(); k++) {
        sb.append(k > 0 ? "," : "").append(quote(s.notes().get(k)));
      }
      sb.append("]}");
    }
    return sb.append("]}\n").toString();
  }

  private static String phaseJson(PhaseResult p) {
    CpuUse c = p.cpu();
    return "{\"name\":"
        + quote(p.name())
        + ",\"connections\":"
        + p.connections()
        + ",\"seconds\":"
        + num(p.seconds())
        + ",\"requests\":"
        + p.requests()
        + ",\"events\":"
        + p.events()
        + ",\"errors\":"
        + p.errors()
        + ",\"events_per_second\":"
        + num(p.eventsPerSecond())
        + ",\"requests_per_second\":"
        + num(p.requestsPerSecond())
        + ",\"latency_ms\":{\"p50\":"
        + num(p.latency().p50())
        + ",\"p99\":"
        + num(p.latency().p99())
        + ",\"max\":"
        + num(p.latency().max())
        + "},\"cpu_cores\":{\"bench\":"
        + num(c.bench())
        + ",\"service\":"
        + num(c.service())
        + ",\"postgres\":"
        + num(c.postgres())
        + ",\"machine\":"
        + num(c.machine())
        + ",\"of\":"
        + c.cores()
        + "},\"reconnects\":"
        + p.reconnects()
        + ",\"first_failure\":"
        + quote(p.firstFailure())
        + "}";
  }

  /** Writes {@code bench-<time>.md/.json} and {@code latest.md/.json} into {@code dir}. */
  static Path write(Path dir, String markdown, String json) throws IOException {
    Files.createDirectories(dir);
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Path md = dir.resolve("bench-" + stamp + ".md");
    Files.writeString(md, markdown);
    Files.writeString(dir.resolve("bench-" + stamp + ".json"), json);
    Files.writeString(dir.resolve("latest.md"), markdown);
    Files.writeString(dir.resolve("latest.json"), json);
    return md;
  }

  /** {@code 12,345} for large values, {@code 12.3} below 100, {@code –} for NaN. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Events/s, or a dash for phases whose requests carry no events (management reads/writes). */
  static String events(PhaseResult p) {
    return p.events() == 0 ? "–" : number(p.eventsPerSecond());
  }

  /** Milliseconds with two decimals below 10, one below 1000, none above. */
  static String millis(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v < 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return v < 1000
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%,.0f", v);
  }

  /**
   * {@code " (median of 20 rounds; 95% interval 0.49–0.54, ±4.9 %; min–max 0.45–0.58, IQR
   * 0.50–0.53; rounds …)"}, or nothing when the scenario was not run in rounds.
   */
  static String spread(ScenarioResult s) {
    if (s.rounds().isEmpty()) {
      return "";
    }
    double[] iqr = s.ratioIqr();
    double[] ci = s.ratioInterval();
    return String.format(
        Locale.ROOT,
        " (median of %d rounds; 95%% interval %s–%s, ±%s; min–max %s–%s, IQR %s–%s; rounds %s)",
        s.rounds().size(),
        ratio(ci[0]),
        ratio(ci[1]),
        Interleaved.percent(s.rounds()),
        ratio(s.ratioMin()),
        ratio(s.ratioMax()),
        ratio(iqr[0]),
        ratio(iqr[1]),
        String.join(" ", s.rounds().stream().map(Report::ratio).toList()));
  }

  /** {@code " (0.48–0.55)"}: the min–max of the round ratios, for the summary table. */
  private static String rangeShort(ScenarioResult s) {
    return s.rounds().isEmpty() ? "" : " (" + ratio(s.ratioMin()) + "–" + ratio(s.ratioMax()) + ")";
  }

  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String cpu(CpuUse c) {
    if (Double.isNaN(c.machine())) {
      return "cpu: not measurable here";
    }
    return String.format(
        Locale.ROOT,
        "cpu cores used: bench %s, service %s, postgres %s, other processes %s; machine %s of %d",
        cores(c.bench()),
        cores(c.service()),
        cores(c.postgres()),
        cores(c.others()),
        cores(c.machine()),
        c.cores());
  }

  private static String coresShort(CpuUse c) {
    if (Double.isNaN(c.machine())) {
      return "–";
    }
    return cores(c.bench())
        + " / "
        + cores(c.service())
        + " / "
        + cores(c.postgres())
        + " / "
        + cores(c.others());
  }

  private static String cores(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String oneLine(String s) {
    String flat = s.replace('\n', ' ').replace('\r', ' ');
    return flat.length() > 400 ? flat.substring(0, 400) + "…" : flat;
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
