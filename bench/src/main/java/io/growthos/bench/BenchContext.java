package io.growthos.bench;

import io.growthos.bench.infra.Postgres;
import io.growthos.bench.infra.ServiceProcess;
import io.growthos.bench.load.CpuMeter;
import io.growthos.bench.load.LoadPhase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.runtime.ServiceJvm;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the scenarios of one run share: the options, the PostgreSQL server (started on first use),
 * and the services under test (each started once, on a fresh database of its own).
 */
public final class BenchContext implements AutoCloseable {

  /**
   * A running service and what a client needs to reach it.
   *
   * @param service the process
   * @param jdbcUrl its database
   * @param workspaceId the bootstrap workspace
   * @param writeKey its write key (Ingest API)
   * @param secretKey its secret key with scope {@code *} (Management API)
   */
  public record Target(
      ServiceProcess service,
      String jdbcUrl,
      String workspaceId,
      String writeKey,
      String secretKey) {

    public int port() {
      return service.port();
    }
  }

  private final Options options;
  private final String runTag = Long.toString(System.currentTimeMillis(), 36);
  private final Map<String, Target> targets = new LinkedHashMap<>();
  private Postgres postgres;
  private boolean closed;

  BenchContext(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /** A short tag unique to this run, for messageIds and emails. */
  public String runTag() {
    return runTag;
  }

  /** Whether a PostgreSQL server has been started or connected to in this run. */
  public synchronized boolean hasPostgres() {
    return postgres != null;
  }

  /** The PostgreSQL server, started on first use. */
  public synchronized Postgres postgres() throws IOException {
    if (postgres == null) {
      if (options.jdbcUrl() != null) {
        postgres = Postgres.existing(options.jdbcUrl(), options.jdbcUser(), options.jdbcPassword());
      } else {
        System.out.println("Starting embedded PostgreSQL …");
        postgres = Postgres.embedded();
      }
      System.out.println("Database: " + postgres.describe());
    }
    return postgres;
  }

  /** The ingest service, started on first use with the no-op endpoint and no rate limit. */
  public Target ingest() throws Exception {
    return target(
        "ingest", options.ingestJar(), Map.of("GROWTHOS_INGEST_BENCH_NOOP_ENDPOINT", "true"));
  }

  /**
   * The analytics scenario times queries over 10,000,000 events against a count(*) baseline; the
   * service's default statement timeout (10 s) would cut a slow query off instead of measuring it.
   */
  private static final Map<String, String> MANAGEMENT_ENV =
      Map.of("GROWTHOS_MANAGEMENT_QUERY_TIMEOUT", "10m");

  /** The management service, started on first use with no rate limit. */
  public Target management() throws Exception {
    return target("management", options.managementJar(), MANAGEMENT_ENV, null, null);
  }

  /**
   * The management service (as {@link #management()}) started on the existing database {@code
   * jdbcUrl}, which is neither dropped nor emptied, with bootstrap workspace {@code workspaceId}
   * (fresh keys are added to it when it exists already).
   */
  public Target management(String jdbcUrl, String workspaceId) throws Exception {
    return target("management", options.managementJar(), MANAGEMENT_ENV, jdbcUrl, workspaceId);
  }

  private synchronized Target target(String name, java.nio.file.Path jar, Map<String, String> extra)
      throws Exception {
    return target(name, jar, extra, null, null);
  }

  private synchronized Target target(
      String name,
      java.nio.file.Path jar,
      Map<String, String> extra,
      String database,
      String workspace)
      throws Exception {
    Target existing = targets.get(name);
    if (existing != null) {
      return existing;
    }
    postgres();
    String jdbcUrl =
        database != null ? database : postgres().freshDatabase("growthos_bench_" + name);
    String workspaceId = workspace != null ? workspace : Ids.next(IdPrefix.WORKSPACE);
    String writeKey = ApiKeys.generate(KeyType.WRITE);
    String secretKey = ApiKeys.generate(KeyType.SECRET);
    Map<String, String> env = new HashMap<>(extra);
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", postgres.user());
    env.put("SPRING_DATASOURCE_PASSWORD", postgres.password());
    env.put("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", workspaceId);
    env.put("GROWTHOS_BOOTSTRAP_WORKSPACE_NAME", "bench");
    env.put("GROWTHOS_BOOTSTRAP_PLAN", "scale");
    env.put("GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey);
    env.put("GROWTHOS_BOOTSTRAP_SECRET_KEY", secretKey);
    env.put("GROWTHOS_RATELIMIT_ENABLED", "false");
    System.out.println("Starting " + name + " service " + jar + " …");
    long t0 = System.nanoTime();
    ServiceProcess service =
        ServiceProcess.start(
            name,
            jar,
            options.javaOpts(
                name.equals("ingest") ? ServiceJvm.Service.INGEST : ServiceJvm.Service.MANAGEMENT),
            env,
            options.results().resolve("logs"),
            options.jfr());
    System.out.printf(
        "  %s service up on 127.0.0.1:%d in %.1f s (log %s)%n",
        name, service.port(), (System.nanoTime() - t0) / 1e9, service.log());
    Target target = new Target(service, jdbcUrl, workspaceId, writeKey, secretKey);
    targets.put(name, target);
    return target;
  }

  /** A load phase whose CPU report covers {@code target}'s service (null: none) and PostgreSQL. */
  public LoadPhase phase(String name, int connections, Target target) {
    return phase(
        name, connections, target, options.warmup(), options.measure(), options.maxRequests());
  }

  public LoadPhase phase(
      String name,
      int connections,
      Target target,
      Duration warmup,
      Duration measure,
      long maxRequests) {
    CpuMeter cpu =
        new CpuMeter(
            () -> target == null ? -1 : target.service().pid(),
            () -> postgres == null ? -1 : postgres.postmasterPid());
    return new LoadPhase(name, connections, warmup, measure, maxRequests, cpu);
  }

  /** Runs {@code sql} on the database at {@code jdbcUrl}. */
  public void execute(String jdbcUrl, String sql) throws SQLException, IOException {
    try (Connection c = postgres().connect(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Empties the event tables and checkpoints, so each phase starts from the same state and no
   * checkpoint of an earlier phase's writes lands in the next one.
   */
  public void resetEvents(String jdbcUrl) throws SQLException, IOException {
    execute(jdbcUrl, "truncate events, event_dedupe");
    checkpoint(jdbcUrl);
  }

  /**
   * Keeps a copy of the event tables' rows as they are now (the {@code dupes} pool), for {@link
   * #restoreEvents}.
   */
  public void snapshotEvents(String jdbcUrl) throws SQLException, IOException {
    execute(jdbcUrl, "drop table if exists bench_saved_events, bench_saved_dedupe");
    execute(jdbcUrl, "create table bench_saved_events as table events");
    execute(jdbcUrl, "create table bench_saved_dedupe as table event_dedupe");
  }

  /**
   * Brings the event tables back to what {@link #snapshotEvents} saved (emptied, the saved rows
   * inserted again), vacuumed and checkpointed: every phase of {@code dupes} starts from the same
   * tables, instead of from tables that grow through the run, which made its ratio depend on the
   * number of rounds.
   */
  public void restoreEvents(String jdbcUrl) throws SQLException, IOException {
    execute(jdbcUrl, "truncate events, event_dedupe");
    execute(jdbcUrl, "insert into events select * from bench_saved_events");
    execute(jdbcUrl, "insert into event_dedupe select * from bench_saved_dedupe");
    // Vacuumed, so that autovacuum, woken by the inserts, does not start during the phase, and
    // checkpointed, so that the phase does not write out these pages. Without both, the phase that
    // ran second in a round was the slower one (docs/benchmarks.md, "An order effect in dupes").
    execute(jdbcUrl, "vacuum (analyze) events, event_dedupe");
    checkpoint(jdbcUrl);
  }

  private void checkpoint(String jdbcUrl) throws IOException {
    try {
      execute(jdbcUrl, "checkpoint");
    } catch (SQLException e) {
      // Needs superuser (or pg_checkpoint) on an existing server: the run just gets noisier.
    }
  }

  /**
   * One line per service started so far: its peak resident memory and its resident memory now (call
   * it at the end of the run, before {@link #close}).
   */
  public synchronized java.util.List<String> serviceMemory() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    targets.forEach(
        (name, t) -> {
          ServiceProcess.Memory m = t.service().memory();
          lines.add(
              m == null
                  ? name + " service: resident memory unknown"
                  : String.format(
                      java.util.Locale.ROOT,
                      "%s service: peak RSS %d MiB (VmHWM), RSS at the end %d MiB",
                      name,
                      m.peakKib() / 1024,
                      m.nowKib() / 1024));
        });
    return lines;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    for (Target t : targets.values()) {
      t.service().close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
