package io.growthos.bench.analytics;

import io.growthos.bench.BenchContext;
import io.growthos.bench.BenchContext.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run analytics}: a 30-day daily trend and a 3-step 14-day funnel over the {@link
 * AnalyticsDataSet} (10 events per contact, {@code --contacts} contacts, plus 50 noise workspaces),
 * each timed over HTTP against the management service and compared with the baseline of issue 10
 * measured in the same run on the same database: one {@code count(*)} of the rows the query touches
 * ({@code workspace_id = ? and event = any(?) and timestamp between ? and ?}). Each is run once to
 * warm up, then {@link #RUNS} times alternating; the medians are compared.
 */
public final class AnalyticsBench {

  static final int RUNS = 7;

  private final BenchContext ctx;

  public AnalyticsBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** Runs the scenario and prints its figures; returns whether every aim was met. */
  public boolean run() throws Exception {
    Target target = ctx.management();
    long contacts = ctx.options().contacts();
    long events = contacts * 10;
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    System.out.printf(
        "  setup: generating %,d contacts and %,d events (+50 noise workspaces at 1%%) …%n",
        contacts, events);
    AnalyticsDataSet.Summary data;
    try (Connection c = ctx.postgres().connect(target.jdbcUrl())) {
      data = AnalyticsDataSet.generate(c, target.workspaceId(), contacts, events, 50, end, 0.42);
    }
    System.out.printf("  setup: generated in %.1f s%n", data.seconds());

    Instant to = end.minus(Duration.ofDays(1));
    Instant from = to.minus(Duration.ofDays(30));
    String trend =
        """
        {"kind": "trends", "from": "%s", "to": "%s", "timezone": "UTC", "interval": "day",
         "series": [{"event": "Product Viewed"}]}
        """
            .formatted(from, to);
    String funnel =
        """
        {"kind": "funnel", "from": "%s", "to": "%s", "window": "14d",
         "steps": [{"event": "Product Viewed"}, {"event": "Added To Cart"},
                   {"event": "Order Completed"}]}
        """
            .formatted(from, to);
    List<String> lines = new ArrayList<>();
    boolean met = true;
    try (Connection c = ctx.postgres().connect(target.jdbcUrl())) {
      met &=
          compare(
              lines,
              "30-day daily trend (Product Viewed)",
              target,
              trend,
              c,
              List.of("Product Viewed"),
              from,
              to,
              1.5);
      met &=
          compare(
              lines,
              "3-step 14-day funnel over 30 days",
              target,
              funnel,
              c,
              List.of("Product Viewed", "Added To Cart", "Order Completed"),
              from,
              to.plus(Duration.ofDays(14)),
              3.0);
    }
    System.out.printf(
        "%n  analytics: %,d contacts, %,d events in the workspace, 50 noise workspaces; medians of"
            + " %d runs%n",
        contacts, events, RUNS);
    lines.forEach(l -> System.out.println("  " + l));
    return met;
  }

  private boolean compare(
      List<String> lines,
      String name,
      Target target,
      String body,
      Connection c,
      List<String> names,
      Instant from,
      Instant to,
      double aim)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + target.port() + "/v1/analytics/query"))
            .timeout(Duration.ofMinutes(5))
            .header("Authorization", "Bearer " + target.secretKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long rows = 0;
    double[] query = new double[RUNS];
    double[] base = new double[RUNS];
    for (int i = -1; i < RUNS; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      double q = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(name + ": HTTP " + r.statusCode() + " " + r.body());
      }
      t0 = System.nanoTime();
      try (PreparedStatement s =
          c.prepareStatement(
              "select count(*) from events where workspace_id = ? and event = any(?)"
                  + " and timestamp between ? and ?")) {
        s.setString(1, target.workspaceId());
        s.setArray(2, c.createArrayOf("text", names.toArray()));
        s.setTimestamp(3, java.sql.Timestamp.from(from));
        s.setTimestamp(4, java.sql.Timestamp.from(to));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          rows = rs.getLong(1);
        }
      }
      double b = (System.nanoTime() - t0) / 1e6;
      if (i >= 0) {
        query[i] = q;
        base[i] = b;
      }
    }
    double mq = median(query);
    double mb = median(base);
    double ratio = mq / mb;
    boolean met = ratio <= aim;
    lines.add(
        String.format(
            Locale.ROOT,
            "%-38s %9.1f ms   baseline count(*) of %,d rows %8.1f ms   ratio %.2f (aim ≤ %.1f: %s)",
            name,
            mq,
            rows,
            mb,
            ratio,
            aim,
            met ? "met" : "NOT met"));
    return met;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }
}
