package io.growthos.bench.referrals;

import io.growthos.bench.infra.Postgres;
import io.growthos.bench.infra.ServiceProcess;
import io.growthos.core.campaigns.ReferralCodes;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run referrals}: how far referral attribution lags ingest while {@code bench/run
 * batch}-style load runs (docs/campaigns.md#how-far-behind-it-runs).
 *
 * <p>One ingest service on an embedded PostgreSQL, a referral program with a qualifying event, and
 * {@code --connections} (8) clients posting {@code /v1/batch} of {@code --batch} (100) plain track
 * events for {@code --seconds} (20), after a 5 s warm-up. Phase 1 is that load alone (the baseline
 * events/s). Phase 2 sends, at {@code --rate} (20) per second and without other load, an identify
 * carrying the program's code for a new user followed by its qualifying track event; phase 3 sends
 * both at once. A poller reads {@code referrals} every 10 ms and records when each referral became
 * visible as created and as qualified. Reported: events/s with and without attribution traffic, and
 * the lag from the identify's / the track's 200 to the referral being visible (p50, p99, max).
 */
public final class AttributionBench {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    Path root = Path.of(System.getProperty("growthos.root", "."));
    Path jar =
        Path.of(
            opts.getOrDefault(
                "--ingest-jar",
                root.resolve("ingest-service/target/ingest-service-0.1.0-SNAPSHOT.jar")
                    .toString()));
    Path results =
        Path.of(opts.getOrDefault("--results", root.resolve("bench/results").toString()));
    new AttributionBench()
        .run(
            jar,
            results,
            Integer.parseInt(opts.getOrDefault("--seconds", "20")),
            Integer.parseInt(opts.getOrDefault("--rate", "20")),
            Integer.parseInt(opts.getOrDefault("--connections", "8")),
            Integer.parseInt(opts.getOrDefault("--batch", "100")));
    System.exit(0);
  }

  private void run(Path jar, Path results, int seconds, int rate, int connections, int batch)
      throws Exception {
    System.out.println("Starting embedded PostgreSQL …");
    try (Postgres pg = Postgres.embedded()) {
      String jdbcUrl = pg.freshDatabase("growthos_bench_referrals");
      String workspaceId = Ids.next(IdPrefix.WORKSPACE);
      String writeKey = ApiKeys.generate(KeyType.WRITE);
      Map<String, String> env = new HashMap<>();
      env.put("SPRING_DATASOURCE_URL", jdbcUrl);
      env.put("SPRING_DATASOURCE_USERNAME", pg.user());
      env.put("SPRING_DATASOURCE_PASSWORD", pg.password());
      env.put("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", workspaceId);
      env.put("GROWTHOS_BOOTSTRAP_PLAN", "scale");
      env.put("GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey);
      env.put("GROWTHOS_RATELIMIT_ENABLED", "false");
      System.out.println("Starting ingest service " + jar + " …");
      try (ServiceProcess ingest =
          ServiceProcess.start(
              "ingest-referrals", jar, List.of("-Xmx1g"), env, results.resolve("logs"), false)) {
        String auth =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        String code;
        try (Connection db = pg.connect(jdbcUrl)) {
          code = setUp(db, workspaceId);
        }
        // Let the write path's watch of qualifying event names pick the program up (5 s).
        Thread.sleep(6_000);
        System.out.println("Warm-up: 5 s of batch load …");
        load(ingest.port(), auth, connections, batch, 5, null);
        System.out.printf(
            "Phase 1: %d connections × /v1/batch of %d track events, %d s …%n",
            connections, batch, seconds);
        double baseline = load(ingest.port(), auth, connections, batch, seconds, null);
        System.out.printf("  %.0f events/s%n", baseline);
        System.out.printf("Phase 2: %d referred users/s, no other load, %d s …%n", rate, seconds);
        Referrals idle = new Referrals(pg, jdbcUrl, workspaceId, "idle-");
        idle.drive(ingest.port(), auth, code, rate, seconds);
        long[][] idleLags = idle.collect(Duration.ofSeconds(60));
        System.out.printf("Phase 3: the batch load + %d referred users/s, %d s …%n", rate, seconds);
        Referrals loaded = new Referrals(pg, jdbcUrl, workspaceId, "loaded-");
        double withReferrals =
            load(
                ingest.port(),
                auth,
                connections,
                batch,
                seconds,
                () -> loaded.drive(ingest.port(), auth, code, rate, seconds));
        long[][] lags = loaded.collect(Duration.ofSeconds(60));
        System.out.printf("  %.0f events/s%n", withReferrals);
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|--:|");
        System.out.printf("| batch load alone, events/s | %.0f |%n", baseline);
        System.out.printf(
            "| batch load + %d referred users/s, events/s | %.0f |%n", rate, withReferrals);
        print("no load: identify 200 → referral created", idleLags[0]);
        print("no load: qualifying track 200 → referral qualified", idleLags[1]);
        print("batch load: identify 200 → referral created", lags[0]);
        print("batch load: qualifying track 200 → referral qualified", lags[1]);
        System.out.printf(
            "| referrals never seen within 60 s | %d |%n", idleLags[2][0] + lags[2][0]);
      }
    }
  }

  private static void print(String what, long[] micros) {
    System.out.printf(
        "| %s, p50 / p99 / max (n=%d) | %.0f / %.0f / %.0f ms |%n",
        what, micros.length, pct(micros, 50), pct(micros, 99), pct(micros, 100));
  }

  /** A referral program with a qualifying event and one referrer; returns its code. */
  private static String setUp(Connection db, String ws) throws Exception {
    String campaign = Ids.next(IdPrefix.CAMPAIGN);
    String contact = Ids.next(IdPrefix.CONTACT);
    String code = ReferralCodes.generate();
    exec(
        db,
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'referral', 'bench', 'active', ?::jsonb)",
        ws,
        campaign,
        "{\"landing_url\": \"https://example.com/r\", \"qualifying_event\": {\"event\": \"Order"
            + " Completed\", \"where\": []}, \"reward_rules\": [{\"side\": \"referrer\", \"every\":"
            + " 1, \"milestones\": null, \"limit\": null, \"reward\": {\"type\": \"custom\","
            + " \"amount\": null, \"currency\": null, \"description\": \"thanks\"}}], \"approval\":"
            + " \"auto\", \"fraud\": {\"self_referral\": true, \"velocity_per_day\": 1000000}}");
    exec(
        db,
        "insert into campaign_counters (workspace_id, campaign_id, last_join_seq) values (?, ?, 1)",
        ws,
        campaign);
    exec(
        db,
        "insert into contacts (workspace_id, id, email) values (?, ?, 'referrer@bench.dev')",
        ws,
        contact);
    exec(
        db,
        "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
            + " email_normalized, referral_code, join_seq, score) values (?, ?, ?, ?,"
            + " 'referrer@bench.dev', ?, 1, 1)",
        ws,
        campaign,
        Ids.next(IdPrefix.PARTICIPANT),
        contact,
        code);
    return code;
  }

  private static void exec(Connection db, String sql, Object... args) throws Exception {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  /** Posts batches of track events from {@code connections} threads; returns events/s. */
  private double load(
      int port, String auth, int connections, int batch, int seconds, Runnable alongside)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections + 1);
    AtomicLong events = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int client = c;
      pool.submit(
          () -> {
            long n = 0;
            while (!stop.get()) {
              StringBuilder body = new StringBuilder("{\"batch\": [");
              for (int i = 0; i < batch; i++) {
                if (i > 0) {
                  body.append(',');
                }
                body.append("{\"type\": \"track\", \"userId\": \"load-")
                    .append(client)
                    .append('-')
                    .append(n++ % 1000)
                    .append("\", \"event\": \"Page Viewed\", \"properties\": {\"path\": \"/p/")
                    .append(n)
                    .append("\"}, \"context\": {\"page\": {\"url\": \"https://example.com/p\"}}}");
              }
              body.append("]}");
              if (post(port, auth, "/v1/batch", body.toString()).statusCode() == 200) {
                events.addAndGet(batch);
              }
            }
            return null;
          });
    }
    if (alongside != null) {
      pool.submit(alongside);
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    return events.get() / elapsed;
  }

  HttpResponse<String> post(int port, String auth, String path, String body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Authorization", auth)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The referred users of phase 2: when each was acknowledged and when its referral was seen. */
  private final class Referrals {
    private final Postgres pg;
    private final String jdbcUrl;
    private final String ws;
    private final String prefix;
    private volatile boolean polling = true;
    private final Map<String, Long> identified = new ConcurrentHashMap<>();
    private final Map<String, Long> ordered = new ConcurrentHashMap<>();
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> qualified = new ConcurrentHashMap<>();

    Referrals(Postgres pg, String jdbcUrl, String ws, String prefix) {
      this.pg = pg;
      this.jdbcUrl = jdbcUrl;
      this.ws = ws;
      this.prefix = prefix;
    }

    void drive(int port, String auth, String code, int rate, int seconds) {
      Thread poller = new Thread(this::poll, "referral-poller");
      poller.setDaemon(true);
      poller.start();
      long intervalNanos = 1_000_000_000L / Math.max(1, rate);
      long next = System.nanoTime();
      int total = rate * seconds;
      for (int i = 0; i < total; i++) {
        String user = prefix + i;
        post(
            port,
            auth,
            "/v1/identify",
            "{\"userId\": \"" + user + "\", \"context\": {\"referral_code\": \"" + code + "\"}}");
        identified.put(user, System.nanoTime());
        post(
            port,
            auth,
            "/v1/track",
            "{\"userId\": \""
                + user
                + "\", \"event\": \"Order Completed\", \"properties\":"
                + " {\"total\": 42}}");
        ordered.put(user, System.nanoTime());
        next += intervalNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(sleep);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    private void poll() {
      try (Connection db = pg.connect(jdbcUrl);
          PreparedStatement st =
              db.prepareStatement(
                  "select c.user_id, r.state from referrals r join contacts c on c.workspace_id ="
                      + " r.workspace_id and c.id = r.referee_contact_id where r.workspace_id = ?")) {
        st.setString(1, ws);
        while (polling) {
          long now = System.nanoTime();
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              String user = rs.getString(1);
              if (user == null || !user.startsWith(prefix)) {
                continue;
              }
              created.putIfAbsent(user, now);
              if (!rs.getString(2).equals("pending")) {
                qualified.putIfAbsent(user, now);
              }
            }
          }
          Thread.sleep(10);
        }
      } catch (Exception e) {
        if (polling) {
          throw new IllegalStateException(e);
        }
      }
    }

    /**
     * Lags in µs (created, qualified) and the number never seen, after waiting up to {@code max}.
     */
    long[][] collect(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (qualified.size() < ordered.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      polling = false;
      List<Long> c = new ArrayList<>();
      List<Long> q = new ArrayList<>();
      long missing = 0;
      for (Map.Entry<String, Long> e : identified.entrySet()) {
        Long seen = created.get(e.getKey());
        if (seen == null) {
          missing++;
        } else {
          c.add(Math.max(0, seen - e.getValue()) / 1000);
        }
        Long done = qualified.get(e.getKey());
        Long sent = ordered.get(e.getKey());
        if (done != null && sent != null) {
          q.add(Math.max(0, done - sent) / 1000);
        }
      }
      return new long[][] {sorted(c), sorted(q), {missing}};
    }
  }

  private static long[] sorted(List<Long> values) {
    long[] out = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(out);
    return out;
  }

  private static double pct(long[] sortedMicros, int p) {
    if (sortedMicros.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
    return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))] / 1000.0;
  }
}
