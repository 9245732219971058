package io.growthos.bench.analytics;

import io.growthos.bench.BenchContext;
import io.growthos.bench.BenchContext.Target;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  /** Seed of the data set ({@code setseed}). */
  static final double SEED = 0.42;

  /** Reads of a segment's first page of contacts, for its p95. */
  static final int PAGE_RUNS = 40;

  private final BenchContext ctx;

  public AnalyticsBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** Runs the scenario and prints its figures; returns whether every aim was met. */
  public boolean run() throws Exception {
    long contacts = ctx.options().contacts();
    long events = contacts * 10;
    Target target;
    Instant end;
    AnalyticsDataSet.Summary kept = null;
    String keptUrl = null;
    if (ctx.options().keepData()) {
      // --keep-data: a database of its own, reused when a complete data set of this size is in it.
      String name = "growthos_bench_analytics_" + contacts;
      keptUrl = ctx.postgres().database(name);
      try (Connection c = ctx.postgres().connect(keptUrl)) {
        kept = AnalyticsDataSet.stored(c, contacts, events, 50, SEED);
      }
      if (kept == null) {
        keptUrl = ctx.postgres().freshDatabase(name);
      } else {
        System.out.printf(
            "  setup: reusing the data set in %s (generated up to %s in %.1f s)%n",
            name, kept.end(), kept.seconds());
      }
    }
    if (keptUrl == null) {
      target = ctx.management();
    } else {
      target =
          ctx.management(keptUrl, kept != null ? kept.workspaceId() : Ids.next(IdPrefix.WORKSPACE));
    }
    if (kept != null) {
      end = kept.end();
    } else {
      end = Instant.now().truncatedTo(ChronoUnit.DAYS);
      System.out.printf(
          "  setup: generating %,d contacts and %,d events (+50 noise workspaces at 1%%) …%n",
          contacts, events);
      AnalyticsDataSet.Summary data;
      try (Connection c = ctx.postgres().connect(target.jdbcUrl())) {
        data = AnalyticsDataSet.generate(c, target.workspaceId(), contacts, events, 50, end, SEED);
        if (keptUrl != null) {
          AnalyticsDataSet.store(c, data, SEED);
        }
      }
      System.out.printf("  setup: generated in %.1f s%n", data.seconds());
    }

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
              request(target, "/v1/analytics/query", trend),
              eventCount(c, target, List.of("Product Viewed"), from, to),
              1.5,
              false);
      met &=
          compare(
              lines,
              "3-step 14-day funnel over 30 days",
              request(target, "/v1/analytics/query", funnel),
              eventCount(
                  c,
                  target,
                  List.of("Product Viewed", "Added To Cart", "Order Completed"),
                  from,
                  to.plus(Duration.ofDays(14))),
              3.0,
              false);
      met &= segments(lines, target, c);
    }
    System.out.printf(
        "%n  analytics: %,d contacts, %,d events in the workspace, 50 noise workspaces; medians of"
            + " %d runs%n",
        contacts, events, RUNS);
    lines.forEach(l -> System.out.println("  " + l));
    return met;
  }

  /** A baseline: one SQL statement that counts the rows a query has to touch. */
  @FunctionalInterface
  private interface Baseline {
    long count() throws SQLException;
  }

  /**
   * Times {@code request} and {@code baseline} alternately (one warm-up, then {@link #RUNS} runs
   * each), compares the medians with {@code aim} and adds the line; with {@code showBody}, the
   * answer's body follows the figures.
   */
  private static boolean compare(
      List<String> lines,
      String name,
      HttpRequest request,
      Baseline baseline,
      double aim,
      boolean showBody)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long rows = 0;
    String body = "";
    double[] query = new double[RUNS];
    double[] base = new double[RUNS];
    for (int i = -1; i < RUNS; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      double q = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(name + ": HTTP " + r.statusCode() + " " + r.body());
      }
      body = r.body();
      t0 = System.nanoTime();
      rows = baseline.count();
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
                "%-38s %9.1f ms   baseline count(*) of %,d rows %8.1f ms   ratio %.2f (aim ≤ %.1f:"
                    + " %s)",
                name,
                mq,
                rows,
                mb,
                ratio,
                aim,
                met ? "met" : "NOT met")
            + (showBody ? " " + body.strip() : ""));
    return met;
  }

  /** The baseline of issue 10: a count of the events of {@code names} between two instants. */
  private static Baseline eventCount(
      Connection c, Target target, List<String> names, Instant from, Instant to) {
    return () -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "select count(*) from events where workspace_id = ? and event = any(?)"
                  + " and timestamp between ? and ?")) {
        s.setString(1, target.workspaceId());
        s.setArray(2, c.createArrayOf("text", names.toArray()));
        s.setTimestamp(3, java.sql.Timestamp.from(from));
        s.setTimestamp(4, java.sql.Timestamp.from(to));
        return single(s);
      }
    };
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A request with the bench's secret key: a POST of {@code body}, or a GET when it is null. */
  private static HttpRequest request(Target target, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
            .timeout(Duration.ofMinutes(5))
            .header("Authorization", "Bearer " + target.secretKey());
    return body == null
        ? b.GET().build()
        : b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
  }

  /**
   * Segments of issue 10: a segment with one trait leaf and one behavioural leaf, its {@code
   * …/count} against a baseline that counts the rows it has to touch (the workspace's contacts and
   * its {@code Order Completed} events of the last 30 days, one statement), aim ≤ 3×; and the first
   * page of {@code …/contacts} ({@code limit=25}), aim p95 ≤ 200 ms over {@link #PAGE_RUNS} reads.
   */
  private boolean segments(List<String> lines, Target target, Connection c) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String create =
        """
        {"name": "Scale buyers (bench)", "filter": {"all": [
          {"field": "traits.plan", "op": "eq", "value": "scale"},
          {"performed": "Order Completed", "count": {"gte": 1}, "within": "30d"}]}}
        """;
    HttpResponse<String> created =
        http.send(request(target, "/v1/segments", create), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 200 && created.statusCode() != 201) {
      throw new IllegalStateException(
          "segment create: HTTP " + created.statusCode() + " " + created.body());
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"(seg_[^\"]+)\"").matcher(created.body());
    if (!m.find()) {
      throw new IllegalStateException("segment create: no id in " + created.body());
    }
    String segment = m.group(1);
    boolean met =
        compare(
            lines,
            "segment count (trait + behaviour)",
            request(target, "/v1/segments/" + segment + "/count", null),
            () -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "select (select count(*) from contacts where workspace_id = ?)"
                          + " + (select count(*) from events where workspace_id = ? and event ="
                          + " any(?) and timestamp between now() - interval '30 days' and now())")) {
                s.setString(1, target.workspaceId());
                s.setString(2, target.workspaceId());
                s.setArray(3, c.createArrayOf("text", new Object[] {"Order Completed"}));
                return single(s);
              }
            },
            3.0,
            true);
    HttpRequest page = request(target, "/v1/segments/" + segment + "/contacts?limit=25", null);
    double[] pages = new double[PAGE_RUNS];
    for (int i = -3; i < PAGE_RUNS; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(page, HttpResponse.BodyHandlers.ofString());
      double q = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("segment page: HTTP " + r.statusCode() + " " + r.body());
      }
      if (i >= 0) {
        pages[i] = q;
      }
    }
    double[] sorted = pages.clone();
    java.util.Arrays.sort(sorted);
    double p50 = sorted[sorted.length / 2];
    double p95 = sorted[(int) Math.ceil(sorted.length * 0.95) - 1];
    boolean pageMet = p95 <= 200.0;
    lines.add(
        String.format(
            Locale.ROOT,
            "%-38s p50 %7.1f ms   p95 %7.1f ms over %d reads (aim p95 ≤ 200 ms: %s)",
            "segment …/contacts first page (25)",
            p50,
            p95,
            PAGE_RUNS,
            pageMet ? "met" : "NOT met"));
    return met && pageMet;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }
}
