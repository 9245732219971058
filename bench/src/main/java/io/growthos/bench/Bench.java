package io.growthos.bench;

import io.growthos.bench.analytics.AnalyticsBench;
import io.growthos.bench.http.HttpConnection;
import io.growthos.bench.http.HttpWorker;
import io.growthos.bench.http.HttpWorker.Request;
import io.growthos.bench.http.RequestHead;
import io.growthos.bench.http.TrivialServer;
import io.growthos.bench.ingest.IngestScenarios;
import io.growthos.bench.ingest.SegmentPayloads;
import io.growthos.bench.load.PhaseResult;
import io.growthos.bench.management.ManagementScenarios;
import io.growthos.bench.socialproof.FeedBench;
import io.growthos.model.runtime.ServiceJvm;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Entry point of {@code bench/run}: runs the named scenarios, prints each as it finishes, then a
 * summary table, also written to {@code bench/results/}. See {@code docs/benchmarks.md}.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("growthos.root", ".")).toAbsolutePath().normalize();
    if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(Options.USAGE);
      System.exit(args.length == 0 ? 2 : 0);
      return;
    }
    Options options;
    try {
      options = Options.parse(args, root);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println();
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options));
  }

  private static int run(Options options) throws Exception {
    List<ScenarioResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    String environment;
    try (BenchContext ctx = new BenchContext(options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(ctx)));
      IngestScenarios ingest = new IngestScenarios(ctx);
      ManagementScenarios management = new ManagementScenarios(ctx);
      System.out.printf(
          "GrowthOS bench: %s; warm-up %s, measure %s per phase; %s%n",
          String.join(" ", options.scenarios()),
          human(options.warmup()),
          human(options.measure()),
          rounds(options.rounds()));
      for (String name : options.scenarios()) {
        System.out.println();
        System.out.println("-- " + name);
        try {
          if (name.equals("analytics")) {
            // Timed queries against a SQL baseline, printed by the scenario itself.
            if (!new AnalyticsBench(ctx).run()) {
              failed.add(name + " (aim not met)");
            }
            continue;
          }
          ScenarioResult result =
              switch (name) {
                case "client" -> client(ctx);
                case "raw" -> ingest.raw();
                case "batch" -> ingest.batch();
                case "dupes" -> ingest.dupes();
                case "track" -> ingest.track();
                case "track-db" -> ingest.trackDb();
                case "pagination" -> management.pagination();
                case "idempotency" -> management.idempotency();
                case "feed" -> new FeedBench(ctx).run();
                default -> throw new IllegalArgumentException(name);
              };
          results.add(result);
          System.out.print(Report.scenarioBlock(result));
        } catch (Exception e) {
          failed.add(name);
          System.out.println("!! " + name + " failed: " + e);
          if (!(e instanceof java.io.IOException)) {
            e.printStackTrace(System.out);
          }
        }
      }
      environment = environment(ctx, options);
    }
    String header =
        "# GrowthOS bench "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\n\n"
            + environment
            + (failed.isEmpty() ? "" : "\n\nFailed scenarios: " + String.join(", ", failed));
    String markdown = Report.markdown(results, header);
    System.out.println();
    System.out.println(markdown);
    Path written = Report.write(options.results(), markdown, Report.json(results, environment));
    System.out.println("Written to " + written + " (and latest.md / latest.json beside it)");
    return failed.isEmpty() ? 0 : 1;
  }

  /**
   * The harness's own ceiling: the same client against a server that does nothing, in this process.
   * If a scenario's figures come near this, the client is the bottleneck.
   */
  private static ScenarioResult client(BenchContext ctx) throws Exception {
    try (TrivialServer server = new TrivialServer()) {
      RequestHead head = RequestHead.post("/v1/track", server.port()).basic("gos_wk_client_test");
      PhaseResult phase =
          ctx.phase("client vs trivial server", ctx.options().trackConnections(), null)
              .run(
                  i -> {
                    SegmentPayloads gen = new SegmentPayloads(0xc11e + i);
                    long[] seq = {0};
                    Supplier<Request> requests =
                        () -> {
                          byte[] body =
                              SegmentPayloads.trackBody(gen.next("c-" + i + "-" + seq[0]++));
                          return new Request(head.encode(body.length), body, 1);
                        };
                    return new HttpWorker(
                        new HttpConnection(server.port(), null),
                        requests,
                        HttpWorker.Check.SUCCESS);
                  });
      return new ScenarioResult(
          "client",
          phase,
          null,
          List.of(),
          true,
          List.of(
              "client and trivial server share this JVM and the machine's cores: the req/s is a"
                  + " floor of the client's ceiling, not a property of any service"));
    }
  }

  private static String environment(BenchContext ctx, Options options) {
    String db;
    try {
      db = ctx.hasPostgres() ? ctx.postgres().describe() : "no database used";
    } catch (Exception e) {
      db = "database: " + e.getMessage();
    }
    return String.format(
        Locale.ROOT,
        "Machine: %d cores shared by the harness, the service JVM and PostgreSQL (and anything else"
            + " running); Java %s; %s; warm-up %s, measure %s per phase; %s; service JVM"
            + " options: %s.%s",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        db,
        human(options.warmup()),
        human(options.measure()),
        rounds(options.rounds()),
        serviceOptions(options),
        ctx.serviceMemory().stream().map(line -> "\n\n" + line + ".").reduce("", String::concat));
  }

  /** {@code "20 to 60 rounds, until the median is within ±5 %"}. */
  static String rounds(Interleaved.Rounds r) {
    if (r.min() == r.max() || r.precision() == 0) {
      return r.max() + " rounds";
    }
    return String.format(
        Locale.ROOT,
        "%d to %d rounds, until the median's 95%% interval is within ±%.1f %%",
        r.min(),
        r.max(),
        r.precision() * 100);
  }

  /** The services' JVM options: once when both have the same, else each service's. */
  private static String serviceOptions(Options options) {
    String ingest = String.join(" ", options.javaOpts(ServiceJvm.Service.INGEST));
    String management = String.join(" ", options.javaOpts(ServiceJvm.Service.MANAGEMENT));
    return ingest.equals(management) ? ingest : "ingest " + ingest + "; management " + management;
  }

  private static String human(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static void closeQuietly(BenchContext ctx) {
    try {
      ctx.close();
    } catch (Exception ignored) {
      // best effort on the way out
    }
  }
}
