package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.analytics.AnalyticsQueryRequest.BreakdownRequest;
import io.growthos.management.analytics.AnalyticsQueryRequest.SeriesRequest;
import io.growthos.management.analytics.AnalyticsQueryRequest.StepRequest;
import io.growthos.management.analytics.AnalyticsResponse.Point;
import io.growthos.management.analytics.AnalyticsResponse.SeriesResult;
import io.growthos.management.analytics.AnalyticsResponse.StepResult;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.flywaydb.core.Flyway;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trends, funnels and retention on random events compared with a straightforward computation in
 * Java of the same documented rules. Each try writes its events into a fresh workspace and the same
 * events into a second one, so a query that leaked across workspaces would count twice.
 */
class AnalyticsPropertyTests {

  static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
  static final List<String> NAMES = List.of("A", "B", "C");
  static final List<String> ZONES =
      List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata");

  static String url;
  static AnalyticsDatabase db;
  static AnalyticsService service;

  /** One generated event; actor 0–3 are contacts, 4–5 anonymous visitors. */
  record Ev(int actor, String name, Instant at, Integer amount, String plan) {
    String actorKey() {
      return "actor-" + actor;
    }
  }

  @BeforeContainer
  static void start() {
    TestPostgres pg = TestPostgres.get();
    url = pg.newDatabase("analytics_properties");
    Flyway.configure()
        .dataSource(url, pg.username(), pg.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    db =
        new AnalyticsDatabase(
            new JdbcConnectionDetails() {
              @Override
              public String getUsername() {
                return pg.username();
              }

              @Override
              public String getPassword() {
                return pg.password();
              }

              @Override
              public String getJdbcUrl() {
                return url;
              }
            },
            new QueryProperties(Duration.ofSeconds(30), 2, "64MB"));
    service =
        new AnalyticsService(
            db,
            JsonMapper.builder().build(),
            Clock.fixed(BASE.plus(Duration.ofDays(40)), ZoneOffset.UTC),
            workspace -> io.growthos.core.filter.SegmentResolver.NONE);
  }

  @AfterContainer
  static void stop() {
    db.destroy();
  }

  @Provide
  Arbitrary<List<Ev>> events() {
    Arbitrary<Ev> ev =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.of(NAMES),
                // A quarter on whole hours, where most bucket bounds fall (hour, day, week, month;
                // Kolkata's on the half hour): an event on a bound belongs to the later bucket.
                Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.longs().between(0, Duration.ofDays(20).toSeconds())),
                    Tuple.of(
                        1,
                        Arbitraries.longs()
                            .between(0, Duration.ofDays(20).toHours())
                            .map(h -> h * 3600))),
                Arbitraries.integers().between(0, 100).injectNull(0.3),
                Arbitraries.of("x", "y", "z").injectNull(0.2))
            .as((a, n, s, amount, plan) -> new Ev(a, n, BASE.plusSeconds(s), amount, plan));
    return ev.list().ofMinSize(0).ofMaxSize(60);
  }

  // ---------------------------------------------------------------- trends

  @Property(tries = 100, seed = "20261205")
  void trendsMatchTheReference(
      @ForAll("events") List<Ev> events,
      @ForAll("zones") String zone,
      @ForAll("intervals") String interval,
      @ForAll("mathsWithProperty") String math,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 200) int fromHours,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int spanHours,
      @ForAll boolean breakdown)
      throws SQLException {
    String ws = load(events);
    Instant from = BASE.plus(Duration.ofHours(fromHours));
    Instant to = from.plus(Duration.ofHours(spanHours));
    if (interval.equals("month") || interval.equals("week")) {
      to = from.plus(Duration.ofDays(15));
    }
    boolean numeric = !math.equals("count") && !math.equals("unique_contacts");
    AnalyticsQueryRequest request =
        new AnalyticsQueryRequest(
            "trends",
            from,
            to,
            zone,
            interval,
            List.of(new SeriesRequest("A", math, numeric ? "properties.amount" : null, null)),
            breakdown ? new BreakdownRequest("properties.plan", null, 2) : null,
            null,
            null,
            null,
            null,
            null,
            null);
    AnalyticsResponse r = query(ws, request);
    ZoneId z = ZoneId.of(zone);
    Instant first = key(from, z, interval);
    Instant last = key(to.minusMillis(1), z, interval);
    List<Ev> inRange =
        events.stream()
            .filter(e -> e.name().equals("A"))
            .filter(e -> !e.at().isBefore(first) && !key(e.at(), z, interval).isAfter(last))
            .toList();
    assertThat(r.from()).isEqualTo(first);

    Map<String, List<Ev>> groups = new LinkedHashMap<>();
    if (!breakdown) {
      groups.put(null, inRange);
    } else {
      Map<String, Long> byPlan = new HashMap<>();
      inRange.forEach(e -> byPlan.merge(String.valueOf(e.plan()), 1L, Long::sum));
      List<String> ranked =
          byPlan.entrySet().stream()
              .sorted(
                  Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                      .reversed()
                      .thenComparing(en -> en.getKey().equals("null") ? "~" : en.getKey()))
              .map(Map.Entry::getKey)
              .toList();
      for (int i = 0; i < ranked.size(); i++) {
        String plan = ranked.get(i);
        String label = i < 2 ? (plan.equals("null") ? null : plan) : "$other";
        groups.computeIfAbsent(label, k -> new ArrayList<>());
        inRange.stream()
            .filter(e -> String.valueOf(e.plan()).equals(plan))
            .forEach(groups.get(label)::add);
      }
    }
    assertThat(r.series()).hasSize(groups.size());
    int i = 0;
    for (Map.Entry<String, List<Ev>> g : groups.entrySet()) {
      SeriesResult s = r.series().get(i++);
      assertThat(s.breakdownValue()).isEqualTo(g.getKey());
      Map<Instant, List<Ev>> byBucket = new TreeMap<>();
      g.getValue()
          .forEach(
              e ->
                  byBucket
                      .computeIfAbsent(key(e.at(), z, interval), k -> new ArrayList<>())
                      .add(e));
      Map<Instant, Double> expected = new TreeMap<>();
      byBucket.forEach(
          (t, evs) -> {
            double v = reference(math, evs);
            if (v != 0) {
              expected.put(t, v);
            }
          });
      Map<Instant, Double> actual = new TreeMap<>();
      Instant previous = null;
      for (Point p : s.points()) {
        if (previous != null) {
          assertThat(p.t()).isAfter(previous);
        }
        previous = p.t();
        assertThat(key(p.t(), z, interval)).isEqualTo(p.t());
        double v = p.value().doubleValue();
        if (v != 0) {
          actual.put(p.t(), v);
        }
      }
      assertThat(actual.keySet()).isEqualTo(expected.keySet());
      expected.forEach(
          (t, v) -> assertThat(actual.get(t)).as("%s at %s", math, t).isCloseTo(v, offset(v)));
    }
  }

  private static org.assertj.core.data.Offset<Double> offset(double v) {
    return org.assertj.core.data.Offset.offset(Math.max(1e-9, Math.abs(v) * 1e-12));
  }

  static double reference(String math, List<Ev> evs) {
    List<Double> values =
        evs.stream()
            .filter(e -> e.amount() != null)
            .map(e -> (double) e.amount())
            .sorted()
            .toList();
    return switch (math) {
      case "count" -> evs.size();
      case "unique_contacts" -> evs.stream().map(Ev::actorKey).distinct().count();
      case "sum" -> values.stream().mapToDouble(d -> d).sum();
      case "avg" -> values.isEmpty() ? 0 : values.stream().mapToDouble(d -> d).average().orElse(0);
      case "min" -> values.isEmpty() ? 0 : values.get(0);
      case "max" -> values.isEmpty() ? 0 : values.get(values.size() - 1);
      case "p50" -> percentile(values, 0.5);
      case "p90" -> percentile(values, 0.9);
      default -> percentile(values, 0.99);
    };
  }

  /** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    double pos = p * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
  }

  /** Start of the calendar bucket of {@code t}, computed from local dates and times. */
  static Instant key(Instant t, ZoneId z, String interval) {
    var local = t.atZone(z);
    return switch (interval) {
      case "hour" -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
      case "day" -> local.toLocalDate().atStartOfDay(z).toInstant();
      case "week" ->
          local
              .toLocalDate()
              .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
              .atStartOfDay(z)
              .toInstant();
      default -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(z).toInstant();
    };
  }

  // ---------------------------------------------------------------- funnel

  @Property(tries = 25, seed = "20261205")
  void funnelsMatchTheReference(
      @ForAll("events") List<Ev> events,
      @ForAll("funnelSteps") List<String> steps,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 96) int windowHours,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 200) int fromHours,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int spanHours)
      throws SQLException {
    String ws = load(events);
    Instant from = BASE.plus(Duration.ofHours(fromHours));
    Instant to = from.plus(Duration.ofHours(spanHours));
    Duration window = Duration.ofHours(windowHours);
    AnalyticsResponse r =
        query(
            ws,
            new AnalyticsQueryRequest(
                "funnel",
                from,
                to,
                "UTC",
                null,
                null,
                null,
                null,
                steps.stream().map(s -> new StepRequest(s, null)).toList(),
                windowHours + "h",
                null,
                null,
                null));
    long[] counts = new long[steps.size()];
    List<List<Double>> secs = new ArrayList<>();
    steps.forEach(s -> secs.add(new ArrayList<>()));
    Map<String, List<Ev>> byActor = events.stream().collect(Collectors.groupingBy(Ev::actorKey));
    for (List<Ev> evs : byActor.values()) {
      Optional<Instant> entry =
          evs.stream()
              .filter(e -> e.name().equals(steps.get(0)))
              .map(Ev::at)
              .filter(t -> !t.isBefore(from) && t.isBefore(to))
              .min(Comparator.naturalOrder());
      if (entry.isEmpty()) {
        continue;
      }
      Instant t1 = entry.get();
      Instant prev = t1;
      counts[0]++;
      for (int k = 1; k < steps.size(); k++) {
        String name = steps.get(k);
        Instant p = prev;
        Optional<Instant> next =
            evs.stream()
                .filter(e -> e.name().equals(name))
                .map(Ev::at)
                .filter(t -> t.isAfter(p) && !t.isAfter(t1.plus(window)))
                .min(Comparator.naturalOrder());
        if (next.isEmpty()) {
          break;
        }
        counts[k]++;
        secs.get(k).add(Duration.between(p, next.get()).toMillis() / 1000.0);
        prev = next.get();
      }
    }
    List<StepResult> result = r.steps();
    assertThat(result).hasSize(steps.size());
    for (int k = 0; k < steps.size(); k++) {
      StepResult s = result.get(k);
      assertThat(s.event()).isEqualTo(steps.get(k));
      assertThat(s.count()).as("step %d", k + 1).isEqualTo(counts[k]);
      assertThat(s.conversionRate())
          .isCloseTo(counts[0] == 0 ? 0 : (double) counts[k] / counts[0], offset(1));
      if (k > 0 && counts[k] > 0) {
        List<Double> sorted = secs.get(k).stream().sorted().toList();
        assertThat(s.medianSecondsToConvert()).isCloseTo(percentile(sorted, 0.5), offset(1e6));
      } else {
        assertThat(s.medianSecondsToConvert()).isNull();
      }
    }
  }

  // ---------------------------------------------------------------- retention

  @Property(tries = 25, seed = "20261205")
  void retentionMatchesTheReference(
      @ForAll("events") List<Ev> events,
      @ForAll("zones") String zone,
      @ForAll("names") String start,
      @ForAll("names") String back,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 200) int fromHours,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 10) int days,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int periods)
      throws SQLException {
    String ws = load(events);
    Instant from = BASE.plus(Duration.ofHours(fromHours));
    Instant to = from.plus(Duration.ofDays(days));
    ZoneId z = ZoneId.of(zone);
    AnalyticsResponse r =
        query(
            ws,
            new AnalyticsQueryRequest(
                "retention",
                from,
                to,
                zone,
                "day",
                null,
                null,
                null,
                null,
                null,
                start,
                back,
                periods));
    LocalDate d0 = from.atZone(z).toLocalDate();
    LocalDate dn = to.minusMillis(1).atZone(z).toLocalDate();
    int n = (int) ChronoUnit.DAYS.between(d0, dn) + 1;
    Instant rangeStart = d0.atStartOfDay(z).toInstant();
    Instant rangeEnd = dn.plusDays(1).atStartOfDay(z).toInstant();
    long[] sizes = new long[n];
    long[][] returned = new long[n][periods];
    Map<String, List<Ev>> byActor = events.stream().collect(Collectors.groupingBy(Ev::actorKey));
    for (List<Ev> evs : byActor.values()) {
      Optional<Instant> first =
          evs.stream()
              .filter(e -> e.name().equals(start))
              .map(Ev::at)
              .filter(t -> !t.isBefore(rangeStart) && t.isBefore(rangeEnd))
              .min(Comparator.naturalOrder());
      if (first.isEmpty()) {
        continue;
      }
      LocalDate cohort = first.get().atZone(z).toLocalDate();
      int c = (int) ChronoUnit.DAYS.between(d0, cohort);
      sizes[c]++;
      Set<Long> seen = new HashSet<>();
      for (Ev e : evs) {
        if (e.name().equals(back) && !e.at().isBefore(first.get())) {
          long p = ChronoUnit.DAYS.between(cohort, e.at().atZone(z).toLocalDate());
          if (p < periods && seen.add(p)) {
            returned[c][(int) p]++;
          }
        }
      }
    }
    assertThat(r.cohorts()).hasSize(n);
    for (int c = 0; c < n; c++) {
      assertThat(r.cohorts().get(c).start()).isEqualTo(d0.plusDays(c).atStartOfDay(z).toInstant());
      assertThat(r.cohorts().get(c).size()).as("cohort %d size", c).isEqualTo(sizes[c]);
      assertThat(r.cohorts().get(c).returned())
          .as("cohort %d", c)
          .containsExactlyElementsOf(java.util.Arrays.stream(returned[c]).boxed().toList());
    }
  }

  // ---------------------------------------------------------------- data

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of(NAMES);
  }

  @Provide
  Arbitrary<String> intervals() {
    return Arbitraries.of("hour", "day", "week", "month");
  }

  @Provide
  Arbitrary<String> mathsWithProperty() {
    return Arbitraries.of(
        "count", "unique_contacts", "sum", "avg", "min", "max", "p50", "p90", "p99");
  }

  @Provide
  Arbitrary<List<String>> funnelSteps() {
    return Arbitraries.of(NAMES).list().ofMinSize(2).ofMaxSize(4);
  }

  /** Writes the events into a fresh workspace (returned) and a copy into another one. */
  static String load(List<Ev> events) throws SQLException {
    String ws = Ids.next(IdPrefix.WORKSPACE);
    try (Connection c =
        DriverManager.getConnection(
            url, TestPostgres.get().username(), TestPostgres.get().password())) {
      for (String w : List.of(ws, Ids.next(IdPrefix.WORKSPACE))) {
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into workspaces (id, name, plan) values (?, 'p', 'scale')")) {
          s.setString(1, w);
          s.execute();
        }
        Map<Integer, String> contacts = new HashMap<>();
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into contacts (workspace_id, id, traits) values (?, ?, '{}'::jsonb)")) {
          for (int a = 0; a < 4; a++) {
            String id = Ids.next(IdPrefix.CONTACT);
            contacts.put(a, id);
            s.setString(1, w);
            s.setString(2, id);
            s.addBatch();
          }
          s.executeBatch();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into events (workspace_id, id, message_id, type, event, anonymous_id,"
                    + " contact_id, properties, timestamp, received_at)"
                    + " values (?, ?, ?, 'track', ?, ?, ?, ?::jsonb, ?, now())")) {
          for (Ev e : events) {
            String id = Ids.next(IdPrefix.EVENT);
            s.setString(1, w);
            s.setString(2, id);
            s.setString(3, id);
            s.setString(4, e.name());
            s.setString(5, e.actor() >= 4 ? "anon-" + e.actor() : null);
            s.setString(6, contacts.get(e.actor()));
            Map<String, Object> props = new LinkedHashMap<>();
            if (e.amount() != null) {
              props.put("amount", new BigDecimal(e.amount()));
            }
            if (e.plan() != null) {
              props.put("plan", e.plan());
            }
            s.setString(7, JsonMapper.builder().build().writeValueAsString(props));
            s.setTimestamp(8, Timestamp.from(e.at()));
            s.addBatch();
          }
          s.executeBatch();
        }
      }
    }
    return ws;
  }

  /** The service as a caller holding every scope runs it. */
  private AnalyticsResponse query(String ws, AnalyticsQueryRequest request) {
    return service.query(ws, request, true);
  }
}
