package io.growthos.bench;

import io.growthos.model.runtime.ServiceJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Command line of {@code bench/run}: scenario names, then {@code --flag value} options.
 *
 * @param scenarios the scenarios to run, in order, groups expanded
 * @param warmup warm-up of each load phase (not measured)
 * @param measure measured part of each load phase
 * @param rounds how many rounds of subject and baseline, in turns, each scenario runs ({@link
 *     Interleaved})
 * @param serviceWarmup load driven into each service once after its start, not measured
 * @param connections concurrent connections of the batch, dupes and raw phases
 * @param trackConnections concurrent connections of the track scenario
 * @param managementConnections concurrent connections of the management scenarios
 * @param batchSize events per batch request (and per raw JDBC transaction)
 * @param dupePool messageIds stored before the dupes scenario and re-sent during it
 * @param contacts contacts seeded for the pagination scenario
 * @param maxRequests upper bound on requests of one phase, whatever its duration
 * @param ingestJar the ingest service jar
 * @param managementJar the management service jar
 * @param jdbcUrl an existing PostgreSQL to use instead of the embedded one, or null
 * @param jdbcUser its user
 * @param jdbcPassword its password
 * @param serviceJavaOpts options of each service's JVM (by default the local stack's, {@link
 *     ServiceJvm.Service#defaultOptions}; {@code --service-java-opts} sets those of both)
 * @param jfr whether the service JVM records a Java Flight Recorder profile
 * @param keepData whether the analytics scenario keeps its data set in a database of its own and
 *     reuses it when a later run finds it complete
 * @param results directory for the summary files and service logs
 */
public record Options(
    List<String> scenarios,
    Duration warmup,
    Duration measure,
    Interleaved.Rounds rounds,
    Duration serviceWarmup,
    int connections,
    int trackConnections,
    int managementConnections,
    int batchSize,
    int dupePool,
    int contacts,
    long maxRequests,
    Path ingestJar,
    Path managementJar,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Map<ServiceJvm.Service, List<String>> serviceJavaOpts,
    boolean jfr,
    boolean keepData,
    Path results) {

  /** Every scenario, in the order {@code all} runs them. */
  public static final List<String> SCENARIOS =
      List.of("client", "raw", "batch", "dupes", "track", "pagination", "idempotency");

  static final String USAGE =
      """
      usage: bench/run <scenario>... [options]

      scenarios: client raw batch dupes track track-db pagination idempotency analytics feed
                 ingest (= batch dupes track), management (= pagination idempotency), all

        client       this harness's HTTP client against a trivial in-process server: its own ceiling
        raw          raw JDBC writes of batches into events + event_dedupe, COPY vs multi-row INSERT
        batch        POST /v1/batch (100 events) vs the fastest raw JDBC method, same batch, same concurrency
        dupes        batch where half of each batch's messageIds are already stored, vs batch
        track        POST /v1/track at 64 connections vs POST /v1/noop of the same server
        track-db     POST /v1/track at 64 connections vs raw JDBC writing the same events one per
                     durable transaction from 64 connections (not in "all")
        pagination   GET /v1/contacts?limit=25 at page 10,000 vs page 1, 1,000,000 contacts
        idempotency  replayed POST /v1/contacts (same Idempotency-Key and body) vs fresh creates
        analytics    30-day daily trend and 3-step funnel vs a count(*) of the rows they touch, over
                     --contacts contacts and 10x as many events (not in "all")
        feed         GET /v1/widgets/campaigns/{id}/feed of a social-proof campaign over the analytics
                     data set (--contacts; try --contacts 20000 for a quick run) at
                     --track-connections vs GET /v1/noop of the same server (not in "all")

      options (defaults in brackets):
        --rounds N                 rounds per scenario at least: subject and baseline run in
                                   turns (A B, B A, …); the ratio is the median of the rounds' [20]
        --max-rounds N             rounds per scenario at most [60, or --rounds if more]
        --precision P              after --rounds, run more rounds (in pairs) until the median's
                                   95 %% confidence interval is within ±P of it, e.g. 5%% or 0.05;
                                   0 always runs --max-rounds [5%%]
        --warmup D                 warm-up of each phase of each round, e.g. 2s, 500ms [500ms]
        --measure D                measured part of each phase of each round [1500ms]
        --service-warmup D         unmeasured load into each fresh service JVM, once, so the JIT
                                   has compiled its hot paths before the first phase [30s]
        --connections N            connections of batch, dupes, raw [8]
        --track-connections N      connections of track [64]
        --management-connections N connections of pagination, idempotency [8]
        --batch-size N             events per batch [100]
        --dupe-pool N              messageIds pre-stored for dupes [50000]
        --contacts N               contacts seeded for pagination, analytics, feed [1000000]
        --max-requests N           bound on the requests of one phase [10000000]
        --ingest-jar PATH          [ingest-service/target/ingest-service-0.1.0-SNAPSHOT.jar]
        --management-jar PATH      [management-service/target/management-service-0.1.0-SNAPSHOT.jar]
        --jdbc-url URL             use this PostgreSQL server instead of an embedded one; the bench
                                   creates (drops first) databases growthos_bench_* on it
        --jdbc-user U, --jdbc-password P   [postgres / postgres]
        --service-java-opts "OPTS" options of each service JVM [the local stack's: %s;
                                   management adds %s]
        --server-heap SIZE         -Xmx of the service JVM, added after --service-java-opts
        --jfr                      profile each service JVM with Java Flight Recorder into
                                   <results>/logs/<service>.jfr (where the time goes)
        --keep-data                analytics: keep the generated data set in database
                                   growthos_bench_analytics_<contacts> (not dropped at the end nor
                                   by other scenarios) and reuse it, without generating again, when
                                   a later run with the same --contacts finds it complete; the
                                   service's new migrations are applied to it on start
        --results DIR              summary files and service logs [bench/results]
      """
          .formatted(ServiceJvm.DEFAULT_OPTIONS, ServiceJvm.Service.MANAGEMENT.own());

  /** The options {@code service}'s JVM runs with. */
  public List<String> javaOpts(ServiceJvm.Service service) {
    return serviceJavaOpts.get(service);
  }

  /** Parses the command line; relative jar and result paths resolve against {@code root}. */
  static Options parse(String[] args, Path root) {
    Set<String> scenarios = new LinkedHashSet<>();
    // Many short rounds rather than a few long ones: the rounds' spread does not shrink with longer
    // phases, the median's does with more rounds (docs/benchmarks.md, "How often two runs agree").
    Duration warmup = Duration.ofMillis(500);
    Duration measure = Duration.ofMillis(1500);
    int rounds = 20;
    Integer maxRounds = null;
    double precision = 0.05;
    Duration serviceWarmup = Duration.ofSeconds(30);
    int connections = 8;
    int trackConnections = 64;
    int managementConnections = 8;
    int batchSize = 100;
    int dupePool = 50_000;
    int contacts = 1_000_000;
    long maxRequests = 10_000_000;
    Path ingestJar = root.resolve("ingest-service/target/ingest-service-0.1.0-SNAPSHOT.jar");
    Path managementJar =
        root.resolve("management-service/target/management-service-0.1.0-SNAPSHOT.jar");
    String jdbcUrl = null;
    String jdbcUser = "postgres";
    String jdbcPassword = "postgres";
    String givenJavaOpts = null;
    String serverHeap = null;
    boolean jfr = false;
    boolean keepData = false;
    Path results = root.resolve("bench/results");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        scenarios.addAll(expand(arg));
        continue;
      }
      if (arg.equals("--jfr")) {
        jfr = true;
        continue;
      }
      if (arg.equals("--keep-data")) {
        keepData = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--warmup" -> warmup = duration(value);
        case "--measure" -> measure = duration(value);
        case "--rounds" -> rounds = positive(arg, value);
        case "--max-rounds" -> maxRounds = positive(arg, value);
        case "--precision" -> precision = fraction(arg, value);
        case "--service-warmup" -> serviceWarmup = duration(value);
        case "--connections" -> connections = positive(arg, value);
        case "--track-connections" -> trackConnections = positive(arg, value);
        case "--management-connections" -> managementConnections = positive(arg, value);
        case "--batch-size" -> batchSize = positive(arg, value);
        case "--dupe-pool" -> dupePool = positive(arg, value);
        case "--contacts" -> contacts = positive(arg, value);
        case "--max-requests" -> maxRequests = positive(arg, value);
        case "--ingest-jar" -> ingestJar = root.resolve(value);
        case "--management-jar" -> managementJar = root.resolve(value);
        case "--jdbc-url" -> jdbcUrl = value;
        case "--jdbc-user" -> jdbcUser = value;
        case "--jdbc-password" -> jdbcPassword = value;
        case "--service-java-opts" -> givenJavaOpts = value;
        case "--server-heap" -> serverHeap = value;
        case "--results" -> results = root.resolve(value);
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("name at least one scenario");
    }
    if (warmup.isNegative() || serviceWarmup.isNegative()) {
      throw new IllegalArgumentException("warm-ups must not be negative");
    }
    if (measure.isZero() || measure.isNegative()) {
      throw new IllegalArgumentException("--measure must be positive");
    }
    if (maxRounds != null && maxRounds < rounds) {
      throw new IllegalArgumentException("--max-rounds must not be below --rounds");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("--jdbc-url must be a jdbc:postgresql:// URL");
    }
    Map<ServiceJvm.Service, List<String>> serviceJavaOpts = new EnumMap<>(ServiceJvm.Service.class);
    for (ServiceJvm.Service service : ServiceJvm.Service.values()) {
      List<String> opts = service.options(givenJavaOpts);
      // The last -Xmx wins.
      serviceJavaOpts.put(
          service,
          serverHeap == null
              ? opts
              : Stream.concat(opts.stream(), Stream.of("-Xmx" + serverHeap)).toList());
    }
    return new Options(
        new ArrayList<>(scenarios),
        warmup,
        measure,
        new Interleaved.Rounds(
            rounds, maxRounds != null ? maxRounds : Math.max(60, rounds), precision),
        serviceWarmup,
        connections,
        trackConnections,
        managementConnections,
        batchSize,
        dupePool,
        contacts,
        maxRequests,
        ingestJar,
        managementJar,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        Map.copyOf(serviceJavaOpts),
        jfr,
        keepData,
        results);
  }

  private static List<String> expand(String name) {
    return switch (name) {
      case "all" -> SCENARIOS;
      case "ingest" -> List.of("batch", "dupes", "track");
      case "management" -> List.of("pagination", "idempotency");
      // Not part of "all": it generates 10 events per contact (--contacts) first.
      case "analytics" -> List.of("analytics");
      // Not part of "all" either: it generates the analytics data set first.
      case "feed" -> List.of("feed");
      // Not part of "all": a second baseline for track, beside the no-op of issue 9's aim.
      case "track-db" -> List.of("track-db");
      default -> {
        if (!SCENARIOS.contains(name)) {
          throw new IllegalArgumentException("unknown scenario " + name);
        }
        yield List.of(name);
      }
    };
  }

  /** {@code 10s}, {@code 500ms}, {@code 2m}, or a bare number of seconds. */
  static Duration duration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: " + value + " (try 10s or 500ms)");
    }
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive integer, not " + value);
  }

  /** {@code "5%"} or {@code "0.05"} as 0.05; between 0 and 1. */
  private static double fraction(String option, String value) {
    try {
      boolean percent = value.endsWith("%");
      double v = Double.parseDouble(percent ? value.substring(0, value.length() - 1) : value);
      v = percent ? v / 100 : v;
      if (v >= 0 && v < 1) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " needs a fraction such as 5% or 0.05 (at least 0, below 1), not " + value);
  }
}
