package io.growthos.management.analytics;

import io.growthos.core.contacts.Actors;
import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SqlFragment;
import io.growthos.management.analytics.AnalyticsResponse.Cohort;
import io.growthos.management.analytics.AnalyticsResponse.FunnelBreakdown;
import io.growthos.management.analytics.AnalyticsResponse.NameCount;
import io.growthos.management.analytics.AnalyticsResponse.Point;
import io.growthos.management.analytics.AnalyticsResponse.SeriesResult;
import io.growthos.management.analytics.AnalyticsResponse.StepResult;
import io.growthos.management.analytics.Query.Breakdown;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of each query kind, run on one connection (the caller owns the transaction). Every
 * statement is bounded by {@code e.workspace_id = ?} and by the event name and time range, which
 * the index {@code events_event_timestamp_idx} (V15) serves.
 *
 * <p>Who counts as one person ("actor"): {@link Actors}.
 */
final class QueryEngine {

  static final String ACTOR = Actors.SQL;

  /** Most buckets a series is aggregated in branches, one per bucket ({@link #bucketBranches}). */
  static final int MAX_BUCKET_BRANCHES = 100;

  private QueryEngine() {}

  // ---------------------------------------------------------------- trends

  static AnalyticsResponse trends(
      Connection c, String ws, Query.Trends q, FilterSql grammar, Sql filter) throws SQLException {
    List<Instant> bounds =
        Buckets.covering(
            q.range().from(), q.range().to(), q.range().zone(), q.interval(), Integer.MAX_VALUE);
    int n = bounds.size() - 1;
    List<SeriesResult> out = new ArrayList<>();
    for (int i = 0; i < q.series().size(); i++) {
      out.addAll(series(c, ws, q, i, bounds, grammar, filter));
    }
    return new AnalyticsResponse(
        "trends",
        bounds.get(0),
        bounds.get(n),
        q.range().zone().getId(),
        q.interval().wireName(),
        null,
        out,
        null,
        null,
        null,
        null,
        null);
  }

  private static List<SeriesResult> series(
      Connection c,
      String ws,
      Query.Trends q,
      int index,
      List<Instant> bounds,
      FilterSql grammar,
      Sql filter)
      throws SQLException {
    Query.Series s = q.series().get(index);
    int n = bounds.size() - 1;
    Breakdown b = q.breakdown();
    Sql sql =
        b == null && n <= MAX_BUCKET_BRANCHES
            ? bucketBranches(ws, s, bounds, grammar, filter)
            : bucketJoin(ws, q, s, bounds, grammar, filter);
    Map<Long, String> groups = new TreeMap<>();
    Map<Long, Number[]> values = new LinkedHashMap<>();
    if (b == null) {
      groups.put(1L, null);
      values.put(1L, zeros(n));
    }
    try (PreparedStatement ps = withMatched(ws, sql, filter).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int bucket = rs.getInt(1);
        long rank = rs.getLong(2);
        groups.putIfAbsent(rank, rs.getString(3));
        values.computeIfAbsent(rank, r -> zeros(n))[bucket - 1] = number(rs.getObject(4));
      }
    }
    List<SeriesResult> out = new ArrayList<>();
    for (Map.Entry<Long, String> g : groups.entrySet()) {
      Number[] v = values.get(g.getKey());
      List<Point> points = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        points.add(new Point(bounds.get(i), v[i]));
      }
      boolean other = b != null && g.getKey() == b.limit() + 1;
      out.add(new SeriesResult(index, s.event(), s.math().wireName(), g.getValue(), other, points));
    }
    return out;
  }

  /**
   * Two breakdown values are the same value, null being one: "a is not distinct from b" written as
   * two equalities, which PostgreSQL can hash-join. It joins "is not distinct from" only in a
   * nested loop, every event against every value: a breakdown by a property of 14,000 values over
   * 17,000 events ran past the 10 s timeout (a black-box review at volume, 2026-12-07).
   */
  private static final String SAME_VALUE =
      "coalesce(%1$s, '') = coalesce(%2$s, '') and (%1$s is null) = (%2$s is null)";

  /**
   * A series as one scan of its range whose rows are numbered by bucket and grouped: the shape for
   * a breakdown (the top groups are ranked over the whole range) and for more buckets than {@link
   * #MAX_BUCKET_BRANCHES}.
   */
  private static Sql bucketJoin(
      String ws,
      Query.Trends q,
      Query.Series s,
      List<Instant> bounds,
      FilterSql grammar,
      Sql filter) {
    int n = bounds.size() - 1;
    Breakdown b = q.breakdown();
    // The bucket bounds are cast once, in a sub-select: text to timestamptz is only STABLE, so a
    // bare ?::timestamptz[] is cast again for every row (measured: 7.8 s instead of 0.17 s for
    // 666,000 rows and 31 bounds).
    // The bucket number is the key of a join with 1..n rather than a bare expression: PostgreSQL
    // estimates the groups of an expression over e.timestamp by the column's distinct values (one
    // per event), so it saw no gain in aggregating per worker and ran the whole scan in one
    // process; grouping by k.i it estimates n groups and aggregates in parallel workers, like the
    // count(*) baseline scans (measured: ratio 1.97 -> 1.67 on a loaded machine, docs/benchmarks).
    Sql sql =
        new Sql().append("with base as (select k.i as b, ").append(actorAndValue(s)).append(", ");
    if (b == null) {
      sql.append("null::text as bv");
    } else {
      sql.append(JsonValues.text(b.byTrait() ? "bc" : "e", b.path())).append(" as bv");
    }
    sql.append(
        " from events e join generate_series(1, ?) as k(i)"
            + " on k.i = width_bucket(e.timestamp, (select ?::timestamptz[]))",
        n,
        isoArray(bounds.subList(0, n)));
    if (b != null && b.byTrait()) {
      sql.append(
          " left join contacts bc on bc.workspace_id = e.workspace_id and bc.id = e.contact_id");
    }
    sql.append(
        seriesEvents(ws, s, bounds.get(0), bounds.get(n), where(grammar, s.where()), filter));
    sql.append(")");
    String agg = aggregate(s.math());
    if (b == null) {
      sql.append(
          " select b, 1 as rank, null::text as grp, " + agg + " as value from base group by b");
    } else {
      int limit = b.limit();
      sql.append(
          ", top as (select bv, row_number() over (order by count(*) desc, bv nulls last) as rn"
              + " from base group by bv)"
              + " select b, rank, grp, "
              + agg
              + " as value from (select base.*, least(top.rn, "
              + (limit + 1)
              + ") as rank, case when top.rn <= "
              + limit
              + " then base.bv else '$other' end as grp"
              + " from base join top on "
              + SAME_VALUE.formatted("base.bv", "top.bv")
              + ") x"
              + " group by b, rank, grp");
    }
    return sql;
  }

  /**
   * A series without breakdown as one aggregate per bucket, {@code union all}: each branch reads
   * only its bucket's slice of {@code events_event_timestamp_idx}, with nothing to compute per row
   * for a count, and PostgreSQL runs the branches in its parallel workers (Parallel Append). Over
   * the benchmark's 30 daily buckets of 665,592 events: 1.07 times the baseline count of the same
   * rows, against 1.85 for {@link #bucketJoin}, and 0.48 s against 1.4 s for unique contacts
   * (docs/benchmarks.md). Each branch is planned, about 0.15 ms, hence the bound on branches.
   */
  private static Sql bucketBranches(
      String ws, Query.Series s, List<Instant> bounds, FilterSql grammar, Sql filter) {
    int n = bounds.size() - 1;
    String agg = aggregate(s.math());
    Sql columns = actorAndValue(s);
    Sql conditions = where(grammar, s.where());
    Sql sql = new Sql();
    for (int i = 1; i <= n; i++) {
      sql.append(i == 1 ? "" : " union all ")
          .append("select " + i + " as b, 1 as rank, null::text as grp, " + agg + " as value")
          .append(" from (select ")
          .append(columns)
          .append(" from events e")
          .append(seriesEvents(ws, s, bounds.get(i - 1), bounds.get(i), conditions, filter))
          .append(") x");
    }
    return sql;
  }

  /** {@code actor, v}: an event's actor and the series' number (null for counts) of it. */
  private static Sql actorAndValue(Query.Series s) {
    Sql sql = new Sql().append(ACTOR + " as actor, ");
    return s.math().numeric()
        ? sql.append(JsonValues.number("e", s.property())).append(" as v")
        : sql.append("null::numeric as v");
  }

  /**
   * {@code where} for the series' events {@code e} in {@code [from, to)}: its event name, its
   * compiled {@code conditions} and the contact filter.
   */
  private static Sql seriesEvents(
      String ws, Query.Series s, Instant from, Instant to, Sql conditions, Sql filter) {
    Sql sql =
        new Sql()
            .append(
                " where e.workspace_id = ? and e.event = ? and e.timestamp >= ?"
                    + " and e.timestamp < ?",
                ws,
                s.event(),
                from,
                to)
            .append(conditions);
    appendFilter(sql, filter);
    return sql;
  }

  private static String aggregate(Query.Math math) {
    return switch (math) {
      case COUNT -> "count(*)";
      case UNIQUE_CONTACTS -> "count(distinct actor)";
      case SUM -> "sum(v)";
      case AVG -> "avg(v)";
      case MIN -> "min(v)";
      case MAX -> "max(v)";
      case P50 -> percentile("0.5", "v");
      case P90 -> percentile("0.9", "v");
      case P99 -> percentile("0.99", "v");
    };
  }

  /**
   * {@code percentile_cont(p)} of the values of {@code column}, computed in numeric: the value at
   * position {@code p * (n - 1)} of the sorted values, interpolated linearly between the two around
   * it. PostgreSQL's percentile_cont casts to double precision, so results were not exact: the
   * median of 0.1 and 0.2 was 0.15000000000000002, and the median of the one amount
   * 12345678901234567.89 was 12345678901234568. The sorted array is an aggregate of the query this
   * expression stands in (its argument is that query's column), read by the sub-selects around it.
   */
  private static String percentile(String p, String column) {
    return "(select case when s.a is null then null else s.a[s.f + 1]"
        + " + coalesce((s.pos - s.f) * (s.a[s.f + 2] - s.a[s.f + 1]), 0) end"
        + " from (select a, "
        + p
        + " * (cardinality(a) - 1) as pos, floor("
        + p
        + " * (cardinality(a) - 1))::int as f"
        + " from (select array_agg("
        + column
        + " order by "
        + column
        + ") filter (where "
        + column
        + " is not null) as a) s0) s)";
  }

  private static Number[] zeros(int n) {
    Number[] a = new Number[n];
    Arrays.fill(a, 0L);
    return a;
  }

  /** A value of an aggregate: null (no values in the bucket) is 0; decimals without noise. */
  static Number number(Object o) {
    if (o == null) {
      return 0L;
    }
    if (o instanceof BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      return s.scale() < 0 ? s.setScale(0) : s;
    }
    return (Number) o;
  }

  /** {@code and (<conditions>)} in the filter grammar's leaf semantics, over events {@code e}. */
  private static Sql where(FilterSql grammar, List<Filter.FieldCondition> where) {
    if (where.isEmpty()) {
      return new Sql();
    }
    SqlFragment f = grammar.compileWhere(where, "e");
    return new Sql().append(" and " + f.sql(), f.params());
  }

  /**
   * Only events of contacts that match the contact filter; events without a contact never match.
   * The matching contacts are the statement's {@code matched} ({@link #withMatched}), found once.
   */
  private static void appendFilter(Sql sql, Sql filter) {
    if (filter != null) {
      sql.append(" and e.contact_id in (select m.id from matched m)");
    }
  }

  /**
   * {@code sql} with {@code matched}, the contacts of the workspace that match the contact filter
   * (its predicate over {@code contacts c}), as its first common table expression, materialized:
   * the filter is evaluated once per contact. It was a correlated {@code exists} per event, which
   * PostgreSQL ran as a nested loop, so a contact with 300 page views was checked 300 times (a
   * trend of 136,000 events filtered on a behaviour took 4-9 s against 0.3 s without the filter, a
   * black-box review at volume, 2026-12-07). A filtered query now costs about what counting the
   * filter's contacts costs (a segment's count) plus the query without it.
   */
  private static Sql withMatched(String ws, Sql sql, Sql filter) {
    if (filter == null) {
      return sql;
    }
    return sql.withFirst(
        new Sql()
            .append(
                "matched as materialized (select c.id from contacts c where c.workspace_id = ? and (",
                ws)
            .append(filter)
            .append("))"));
  }

  static Sql.TextArray isoArray(List<Instant> instants) {
    return new Sql.TextArray(instants.stream().map(Instant::toString).toList());
  }

  // ---------------------------------------------------------------- funnel

  /**
   * Ordered funnel. An actor enters at its first step-1 event in {@code [from, to)}; each next step
   * is the actor's first matching event strictly after the previous step's, and no later than the
   * window after the entry. A breakdown value is taken from the entry event (property) or the
   * contact (trait).
   */
  static AnalyticsResponse funnel(
      Connection c, String ws, Query.Funnel q, FilterSql grammar, Sql filter) throws SQLException {
    Breakdown b = q.breakdown();
    Instant from = q.range().from();
    Instant to = q.range().to();
    long windowMs = q.window().toMillis();
    Instant horizon = to.plus(q.window());
    // Step 1's rows are only (actor, t1[, bv]): it is the widest step (497,002 actors in the
    // benchmark), materialised once and hashed by step 2, and each column costs there.
    Sql sql = new Sql().append("with s1 as (select " + ACTOR + " as actor, min(e.timestamp) as t1");
    if (b != null) {
      sql.append(", (array_agg(")
          .append(JsonValues.text(b.byTrait() ? "bc" : "e", b.path()))
          .append(" order by e.timestamp, e.id))[1] as bv");
    }
    sql.append(" from events e");
    if (b != null && b.byTrait()) {
      sql.append(
          " left join contacts bc on bc.workspace_id = e.workspace_id and bc.id = e.contact_id");
    }
    Query.Step first = q.steps().get(0);
    sql.append(
        " where e.workspace_id = ? and e.event = ? and e.timestamp >= ? and e.timestamp < ?",
        ws,
        first.event(),
        from,
        to);
    sql.append(where(grammar, first.where()));
    appendFilter(sql, filter);
    sql.append(" group by 1)");
    String bv = b == null ? "" : ", p.bv";
    for (int k = 2; k <= q.steps().size(); k++) {
      Query.Step step = q.steps().get(k - 1);
      // The previous step's time: step 1's is its entry time t1.
      String prev = k == 2 ? "p.t1" : "p.t";
      sql.append(
          ", s"
              + k
              + " as (select p.actor, p.t1, "
              + prev
              + " as prev, min(e.timestamp) as t"
              + bv
              + " from s"
              + (k - 1)
              + " p join events e on "
              + ACTOR
              + " = p.actor where e.workspace_id = ? and e.event = ? and e.timestamp > ?"
              + " and e.timestamp <= ? and e.timestamp > "
              + prev
              + " and e.timestamp <= p.t1 + ? * interval '1 millisecond'",
          ws,
          step.event(),
          from,
          horizon,
          windowMs);
      sql.append(where(grammar, step.where()))
          .append(" group by p.actor, p.t1" + (k == 2 ? "" : ", p.t") + bv + ")");
    }
    // Seconds as numeric (extract's type), so that their median is exact (percentile()), between
    // the events' times to the millisecond, as every response shows them: a median computed from
    // the events the API lists (until 2026-12-07 it carried the microseconds stored, 0.020101
    // for steps listed 0.020 s apart).
    StringBuilder union = new StringBuilder("select 1 as k, bv, null::numeric as secs from s1");
    for (int k = 2; k <= q.steps().size(); k++) {
      union
          .append(" union all select ")
          .append(k)
          .append(
              " as k, bv, extract(epoch from date_trunc('milliseconds', t) - date_trunc('milliseconds', prev)) as secs from s")
          .append(k);
    }
    if (b == null) {
      // Step 1 has no time to convert: its entrants are only counted, not sorted for a median
      // (they are most of the rows: 497,002 of 544,109 in the benchmark's funnel).
      StringBuilder later = new StringBuilder();
      for (int k = 2; k <= q.steps().size(); k++) {
        later
            .append(k == 2 ? "" : " union all ")
            .append("select ")
            .append(k)
            .append(
                " as k, extract(epoch from date_trunc('milliseconds', t) - date_trunc('milliseconds', prev)) as secs from s")
            .append(k);
      }
      sql.append(
          " select 1 as k, 0 as overall, 1 as rank, null::text as grp, count(*),"
              + " null::numeric from s1 union all"
              + " select k, 0 as overall, 1 as rank, null::text as grp, count(*),"
              + " "
              + percentile("0.5", "secs")
              + " from ("
              + later
              + ") x group by k");
    } else {
      int limit = b.limit();
      sql.append(
          ", ranked as (select bv, row_number() over (order by count(*) desc, bv nulls last) as rn"
              + " from s1 group by bv)"
              + " select k, grouping(rank, grp) as overall, rank, grp, count(*),"
              + " "
              + percentile("0.5", "secs")
              + " from (select x.k, x.secs,"
              + " least(r.rn, "
              + (limit + 1)
              + ") as rank, case when r.rn <= "
              + limit
              + " then x.bv else '$other' end as grp from ("
              + union
              + ") x join ranked r on "
              + SAME_VALUE.formatted("x.bv", "r.bv")
              + ") y"
              + " group by grouping sets ((k), (k, rank, grp))");
    }
    int steps = q.steps().size();
    long[] overall = new long[steps];
    Double[] overallMedian = new Double[steps];
    Map<Long, String> groups = new TreeMap<>();
    Map<Long, long[]> counts = new LinkedHashMap<>();
    Map<Long, Double[]> medians = new LinkedHashMap<>();
    // Each step joins the previous step's actors (500,000 entrants in the benchmark) with the
    // step's events on the actor expression, whose join size PostgreSQL cannot estimate (it guessed
    // 84 million rows for 48,084), and it then preferred merge joins that sort both sides. A hash
    // join over the same rows does not sort: 9.4 instead of 11.9 times the baseline, measured with
    // the benchmark's data on a loaded machine. Local to this query's transaction.
    // Step 1 is one hash aggregate of every step-1 event by actor, which PostgreSQL cannot split
    // across processes; its scan can run in parallel workers that pass the rows to it (Gather),
    // which PostgreSQL's default cost of a passed row (parallel_tuple_cost 0.1) ruled out. At 0.001
    // it plans that: with the narrower step 1 above, 1.55-1.69 s instead of 2.0-2.3 s for the
    // benchmark's funnel (psql, quiet machine; docs/benchmarks.md).
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("set local enable_mergejoin = off");
      s.execute("set local parallel_tuple_cost = 0.001");
    }
    try (PreparedStatement ps = withMatched(ws, sql, filter).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int k = rs.getInt(1) - 1;
        boolean isOverall = rs.getInt(2) != 0 || b == null;
        long count = rs.getLong(5);
        double median = rs.getDouble(6);
        Double med = rs.wasNull() ? null : median;
        if (isOverall) {
          overall[k] = count;
          overallMedian[k] = med;
        } else {
          long rank = rs.getLong(3);
          groups.putIfAbsent(rank, rs.getString(4));
          counts.computeIfAbsent(rank, r -> new long[steps])[k] = count;
          medians.computeIfAbsent(rank, r -> new Double[steps])[k] = med;
        }
      }
    }
    List<FunnelBreakdown> breakdowns = null;
    if (b != null) {
      breakdowns = new ArrayList<>();
      for (Map.Entry<Long, String> g : groups.entrySet()) {
        breakdowns.add(
            new FunnelBreakdown(
                g.getValue(),
                g.getKey() == b.limit() + 1,
                steps(q, counts.get(g.getKey()), medians.get(g.getKey()))));
      }
    }
    return new AnalyticsResponse(
        "funnel",
        from,
        to,
        q.range().zone().getId(),
        null,
        q.windowText(),
        null,
        steps(q, overall, overallMedian),
        breakdowns,
        null,
        null,
        null);
  }

  private static List<StepResult> steps(Query.Funnel q, long[] counts, Double[] medians) {
    List<StepResult> out = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      double rate = counts[0] == 0 ? 0 : (double) counts[k] / counts[0];
      out.add(
          new StepResult(q.steps().get(k).event(), counts[k], rate, k == 0 ? null : medians[k]));
    }
    return out;
  }

  // ---------------------------------------------------------------- retention

  /**
   * Cohorts by the bucket of each actor's first start event in the range; period {@code p} of a
   * cohort counts its actors who did the return event in the bucket {@code p} buckets later (period
   * 0: the cohort's own bucket, at or after the start event). Return events stamped after {@code
   * now} (a device clock running fast, stored without {@code sentAt} to correct it) do not count,
   * so periods that have not begun are 0.
   */
  static AnalyticsResponse retention(
      Connection c, String ws, Query.Retention q, Sql filter, Instant now) throws SQLException {
    List<Instant> cohortBounds =
        Buckets.covering(
            q.range().from(), q.range().to(), q.range().zone(), q.interval(), Integer.MAX_VALUE);
    int n = cohortBounds.size() - 1;
    List<Instant> all =
        Buckets.starting(q.range().from(), q.range().zone(), q.interval(), n + q.periods() - 1);
    Sql.TextArray lower = isoArray(all.subList(0, all.size() - 1));
    Sql sql =
        new Sql()
            .append(
                "with starts as (select "
                    + ACTOR
                    + " as actor, min(e.timestamp) as t from events e"
                    + " where e.workspace_id = ? and e.event = ? and e.timestamp >= ?"
                    + " and e.timestamp < ?",
                ws,
                q.startEvent(),
                cohortBounds.get(0),
                cohortBounds.get(n));
    appendFilter(sql, filter);
    sql.append(
        " group by 1),"
            + " cohorts as (select actor, t, width_bucket(t, (select ?::timestamptz[])) as c"
            + " from starts),"
            + " returned as (select distinct s.c,"
            + " width_bucket(e.timestamp, (select ?::timestamptz[])) - s.c as p, s.actor"
            + " from cohorts s join events e on "
            + ACTOR
            + " = s.actor where e.workspace_id = ? and e.event = ? and e.timestamp >= ?"
            + " and e.timestamp < ? and e.timestamp <= ? and e.timestamp >= s.t)"
            + " select 0, c, 0, count(*) from cohorts group by c"
            + " union all select 1, c, p, count(*) from returned where p < ?"
            + " group by c, p",
        lower,
        lower,
        ws,
        q.returnEvent(),
        cohortBounds.get(0),
        all.get(all.size() - 1),
        now,
        q.periods());
    long[] sizes = new long[n];
    long[][] returned = new long[n][q.periods()];
    try (PreparedStatement ps = withMatched(ws, sql, filter).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int cohort = rs.getInt(2) - 1;
        if (rs.getInt(1) == 0) {
          sizes[cohort] = rs.getLong(4);
        } else {
          returned[cohort][rs.getInt(3)] = rs.getLong(4);
        }
      }
    }
    List<Cohort> cohorts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cohorts.add(
          new Cohort(cohortBounds.get(i), sizes[i], Arrays.stream(returned[i]).boxed().toList()));
    }
    return new AnalyticsResponse(
        "retention",
        cohortBounds.get(0),
        cohortBounds.get(n),
        q.range().zone().getId(),
        q.interval().wireName(),
        null,
        null,
        null,
        null,
        cohorts,
        null,
        null);
  }

  // ---------------------------------------------------------------- counts

  static AnalyticsResponse counts(Connection c, String ws, Query.Counts q) throws SQLException {
    Instant from = q.range().from();
    Instant to = q.range().to();
    List<NameCount> events =
        names(
            c,
            new Sql()
                .append(
                    "select e.event, count(*) from events e where e.workspace_id = ?"
                        + " and e.event is not null and e.timestamp >= ? and e.timestamp < ?"
                        + " group by 1 order by 2 desc, 1 limit 1000",
                    ws,
                    from,
                    to),
            "");
    List<NameCount> properties =
        names(
            c,
            new Sql()
                .append(
                    "select k.key, count(*) from events e cross join lateral jsonb_object_keys("
                        + "case when jsonb_typeof(e.properties) = 'object' then e.properties"
                        + " else '{}'::jsonb end) as k(key)"
                        + " where e.workspace_id = ? and e.event is not null"
                        + " and e.timestamp >= ? and e.timestamp < ?"
                        + " group by 1 order by 2 desc, 1 limit 1000",
                    ws,
                    from,
                    to),
            "properties.");
    return new AnalyticsResponse(
        "counts",
        from,
        to,
        q.range().zone().getId(),
        null,
        null,
        null,
        null,
        null,
        null,
        events,
        properties);
  }

  private static List<NameCount> names(Connection c, Sql sql, String prefix) throws SQLException {
    List<NameCount> out = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new NameCount(prefix + rs.getString(1), rs.getLong(2)));
      }
    }
    return out;
  }
}
