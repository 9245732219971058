package io.growthos.bench.webhooks;

import com.sun.net.httpserver.HttpServer;
import io.growthos.bench.infra.Postgres;
import io.growthos.bench.infra.ServiceProcess;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/run webhooks}: webhook deliveries per second from the management service's
 * dispatcher to a receiver on loopback (an in-process {@link HttpServer} that answers 204 at once),
 * with one and with two service copies sharing the queue, and the end-to-end lag from a change's
 * commit (the client has its 201) to the receiver getting the event, at a steady load.
 *
 * <p>Bounded: {@code --events N} (2,000) queued per throughput phase, {@code --rate R} (40) creates
 * a second for {@code --seconds S} (10) in the lag phase. Options: {@code --management-jar PATH},
 * {@code --results DIR}.
 */
public final class WebhookBench {

  private static final Pattern CONTACT_ID = Pattern.compile("\"data\":\\{\"id\": ?\"([^\"]+)\"");

  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final Map<String, Long> contactArrivals = new ConcurrentHashMap<>();
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
                "--management-jar",
                root.resolve("management-service/target/management-service-0.1.0-SNAPSHOT.jar")
                    .toString()));
    Path results =
        Path.of(opts.getOrDefault("--results", root.resolve("bench/results").toString()));
    int events = Integer.parseInt(opts.getOrDefault("--events", "2000"));
    int rate = Integer.parseInt(opts.getOrDefault("--rate", "40"));
    int seconds = Integer.parseInt(opts.getOrDefault("--seconds", "10"));
    new WebhookBench().run(jar, results, events, rate, seconds);
    System.exit(0);
  }

  private void run(Path jar, Path results, int events, int rate, int seconds) throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    receiver.setExecutor(Executors.newFixedThreadPool(32));
    receiver.createContext(
        "/",
        exchange -> {
          long now = System.nanoTime();
          try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            arrivals.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), now);
            Matcher m = CONTACT_ID.matcher(body);
            if (m.find()) {
              contactArrivals.putIfAbsent(m.group(1), now);
            }
            exchange.sendResponseHeaders(204, -1);
          } finally {
            exchange.close();
          }
        });
    receiver.start();
    List<ServiceProcess> services = new ArrayList<>();
    System.out.println("Starting embedded PostgreSQL …");
    try (Postgres pg = Postgres.embedded()) {
      String jdbcUrl = pg.freshDatabase("growthos_bench_webhooks");
      String workspaceId = Ids.next(IdPrefix.WORKSPACE);
      String key = ApiKeys.generate(KeyType.SECRET);
      Map<String, String> env = new HashMap<>();
      env.put("SPRING_DATASOURCE_URL", jdbcUrl);
      env.put("SPRING_DATASOURCE_USERNAME", pg.user());
      env.put("SPRING_DATASOURCE_PASSWORD", pg.password());
      env.put("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", workspaceId);
      env.put("GROWTHOS_BOOTSTRAP_PLAN", "scale");
      env.put("GROWTHOS_BOOTSTRAP_SECRET_KEY", key);
      env.put("GROWTHOS_RATELIMIT_ENABLED", "false");
      env.put("GROWTHOS_WEBHOOKS_ALLOW_PRIVATE_URLS", "true");
      Path logs = results.resolve("logs");
      System.out.println("Starting management service " + jar + " …");
      services.add(
          ServiceProcess.start("management-1", jar, List.of("-Xmx512m"), env, logs, false));
      int port = services.get(0).port();
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
      HttpResponse<String> created =
          call(port, key, "/v1/webhook-endpoints", "{\"url\":\"" + url + "\",\"events\":[\"*\"]}");
      if (created.statusCode() != 201) {
        throw new IllegalStateException("endpoint not created: " + created.body());
      }
      // Warm-up: a few hundred deliveries so the JIT has compiled the dispatcher's path.
      throughput(pg, jdbcUrl, workspaceId, "warmup", Math.min(500, events));

      double one = throughput(pg, jdbcUrl, workspaceId, "one", events);
      System.out.printf("  1 copy : %,d deliveries in queue → %.0f deliveries/s%n", events, one);
      System.out.println("Starting a second management service copy …");
      services.add(
          ServiceProcess.start("management-2", jar, List.of("-Xmx512m"), env, logs, false));
      double two = throughput(pg, jdbcUrl, workspaceId, "two", events);
      System.out.printf("  2 copies: %,d deliveries in queue → %.0f deliveries/s%n", events, two);

      long[] lags = lag(port, key, rate, seconds);
      System.out.printf(
          "  lag at %d changes/s for %d s (2 copies): n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
          rate, seconds, lags.length, pct(lags, 50), pct(lags, 99), pct(lags, 100));
      System.out.println();
      System.out.println("| phase | figure |");
      System.out.println("|---|--:|");
      System.out.printf("| deliveries/s, 1 copy (%,d queued) | %.0f |%n", events, one);
      System.out.printf("| deliveries/s, 2 copies (%,d queued) | %.0f |%n", events, two);
      System.out.printf(
          "| lag commit → received, p50 / p99 (%d/s, n=%d) | %.1f / %.1f ms |%n",
          rate, lags.length, pct(lags, 50), pct(lags, 99));
      System.out.println(
          "\nMachine: 2 cores shared by this harness, the receiver, the service copies and"
              + " PostgreSQL (and whatever else runs).");
    } finally {
      for (ServiceProcess s : services) {
        s.close();
      }
      receiver.stop(0);
    }
  }

  /** Commits {@code n} events at once and times until the receiver has every one. */
  private double throughput(Postgres pg, String jdbcUrl, String workspaceId, String tag, int n)
      throws Exception {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(Ids.next(IdPrefix.EVENT));
    }
    try (Connection c = pg.connect(jdbcUrl);
        PreparedStatement s =
            c.prepareStatement(
                "insert into webhook_outbox (workspace_id, id, type, payload)"
                    + " select ?, i, 'contact.updated',"
                    + " jsonb_build_object('id', i, 'object', 'contact', 'bench', ?)"
                    + " from unnest(?::text[]) as x(i)")) {
      s.setString(1, workspaceId);
      s.setString(2, tag);
      s.setArray(3, c.createArrayOf("text", ids.toArray()));
      s.executeUpdate();
    }
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
    while (!arrivals.keySet().containsAll(ids)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("deliveries did not all arrive within 300 s");
      }
      Thread.sleep(5);
    }
    long last = ids.stream().mapToLong(arrivals::get).max().orElse(t0);
    return n / ((last - t0) / 1e9);
  }

  /** Creates contacts at {@code rate}/s and returns each one's commit-to-delivery lag in micros. */
  private long[] lag(int port, String key, int rate, int seconds) throws Exception {
    Map<String, Long> committed = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    long start = System.nanoTime();
    long intervalNanos = 1_000_000_000L / rate;
    for (int i = 0; i < rate * seconds; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int k = i;
      clients.execute(
          () -> {
            try {
              HttpResponse<String> r =
                  call(port, key, "/v1/contacts", "{\"email\":\"lag" + k + "@bench.dev\"}");
              long at = System.nanoTime();
              Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(r.body());
              if (r.statusCode() == 201 && m.find()) {
                committed.put(m.group(1), at);
              }
            } catch (IOException e) {
              // counted as missing
            }
          });
    }
    clients.shutdown();
    clients.awaitTermination(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!contactArrivals.keySet().containsAll(committed.keySet())
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<Long> lags = new ArrayList<>();
    committed.forEach(
        (id, at) -> {
          Long arrived = contactArrivals.get(id);
          if (arrived != null) {
            // A delivery can beat the client's reading of its 201: that lag counts as zero.
            lags.add(Math.max(0, arrived - at) / 1_000);
          }
        });
    Collections.sort(lags);
    return lags.stream().mapToLong(Long::longValue).toArray();
  }

  private static double pct(long[] sortedMicros, int p) {
    if (sortedMicros.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
    return sortedMicros[Math.max(0, Math.min(i, sortedMicros.length - 1))] / 1000.0;
  }

  private HttpResponse<String> call(int port, String key, String path, String body)
      throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
