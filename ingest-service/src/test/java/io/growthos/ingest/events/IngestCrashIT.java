package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.ServiceProcesses;
import io.growthos.testsupport.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The crash test (run by {@code ./mvnw verify}, after the boot jar is packaged): the service runs
 * as a separate process, concurrent clients send batches and record every ACKed messageId, the
 * process is killed with SIGKILL mid-load, restarted, everything is sent again (ACKed or not), and
 * the database must hold every sent messageId exactly once — so no ACKed event was lost and no
 * retry was stored twice.
 */
class IngestCrashIT {

  private static final int CLIENTS = 4;
  private static final int EVENTS_PER_BATCH = 20;
  private static final int ACKED_BEFORE_KILL = 400;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void everyAckedEventSurvivesKillNineAndResendsAreStoredOnce() throws Exception {
    String jdbcUrl = TestPostgres.get().newDatabase("crash_it");
    String writeKey = ApiKeys.generate(KeyType.WRITE);
    String auth =
        "Basic "
            + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    int port = ServiceProcesses.freePort();

    Process first = startService(jdbcUrl, writeKey, port, "first");
    ServiceProcesses.awaitHealthy(port, first, Path.of("target", "crash-it-first.log"));

    List<Batch> sent = Collections.synchronizedList(new ArrayList<>());
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      running.add(
          clients.submit(
              () -> {
                while (!stop.get()) {
                  Batch batch = Batch.random();
                  sent.add(batch);
                  try {
                    if (post(port, auth, batch.body()) == 200) {
                      acked.addAll(batch.messageIds());
                    }
                  } catch (IOException e) {
                    // The process died under us: this batch is simply not ACKed.
                  }
                }
                return null;
              }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.size() < ACKED_BEFORE_KILL && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful drain.
    first.waitFor(30, TimeUnit.SECONDS);
    stop.set(true);
    for (Future<?> f : running) {
      f.get(60, TimeUnit.SECONDS);
    }
    clients.shutdown();
    assertThat(acked).as("some batches were ACKed before the kill").isNotEmpty();

    Process second = startService(jdbcUrl, writeKey, port, "second");
    ServiceProcesses.awaitHealthy(port, second, Path.of("target", "crash-it-second.log"));
    List<Batch> all = new ArrayList<>(sent);
    ExecutorService resenders = Executors.newFixedThreadPool(CLIENTS);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (Batch b : all) {
      statuses.add(resenders.submit(() -> post(port, auth, b.body())));
    }
    for (Future<Integer> s : statuses) {
      assertThat(s.get(60, TimeUnit.SECONDS)).isEqualTo(200);
    }
    resenders.shutdown();

    Map<String, Integer> stored = storedCounts(jdbcUrl);
    int sentIds = 0;
    for (Batch b : all) {
      for (String id : b.messageIds()) {
        sentIds++;
        assertThat(stored.get(id)).as("messageId %s stored exactly once", id).isEqualTo(1);
      }
    }
    for (String id : acked) {
      assertThat(stored.get(id)).as("ACKed messageId %s", id).isEqualTo(1);
    }
    assertThat(stored).hasSize(sentIds);
    System.out.printf(
        "Crash test: %d batches (%d events) sent, %d events ACKed before kill -9,"
            + " all %d stored exactly once after restart and resend%n",
        all.size(), sentIds, acked.size(), stored.size());
  }

  private record Batch(String body, List<String> messageIds) {
    static Batch random() {
      List<String> ids = new ArrayList<>();
      StringBuilder body = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < EVENTS_PER_BATCH; i++) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        body.append(i == 0 ? "" : ",")
            .append("{\"type\":\"track\",\"event\":\"Crash Test\",\"userId\":\"u-")
            .append(i % 5)
            .append("\",\"messageId\":\"")
            .append(id)
            .append("\",\"properties\":{\"i\":")
            .append(i)
            .append("}}");
      }
      return new Batch(body.append("]}").toString(), ids);
    }
  }

  private int post(int port, String auth, String body) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/batch"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private Process startService(String jdbcUrl, String writeKey, int port, String name)
      throws IOException {
    Path jar = Path.of("target", "ingest-service-0.1.0-SNAPSHOT.jar");
    assertThat(jar).as("boot jar (run after package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "--growthos.parent-pid=" + ProcessHandle.current().pid());
    Map<String, String> env = pb.environment();
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", TestPostgres.get().username());
    env.put("SPRING_DATASOURCE_PASSWORD", TestPostgres.get().password());
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey);
    File log = Path.of("target", "crash-it-" + name + ".log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static Map<String, Integer> storedCounts(String jdbcUrl) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c =
            DriverManager.getConnection(
                jdbcUrl, TestPostgres.get().username(), TestPostgres.get().password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select message_id, count(*) from events group by 1")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    }
    return counts;
  }
}
