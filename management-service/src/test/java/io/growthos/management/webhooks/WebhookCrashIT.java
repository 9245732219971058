package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.webhooks.WebhookSignature;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook crash test (run by {@code ./mvnw verify}, after the boot jar is packaged): the
 * management service runs as a process, clients create contacts while the dispatcher delivers their
 * {@code contact.created} events to a receiver here; the process is killed with SIGKILL while the
 * receiver holds a delivery open (during delivery) and while committed events still wait in the
 * outbox (between commit and delivery). After a restart every contact that exists — every
 * acknowledged one among them — is delivered at least once, validly signed, and the receiver saw no
 * event for a contact that does not exist.
 */
class WebhookCrashIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int HELD_AT = 10;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void everyCommittedEventIsDeliveredAtLeastOnceAcrossKillNine() throws Exception {
    String jdbcUrl = TestPostgres.get().newDatabase("webhook_crash_it");
    String workspaceId = Ids.next(IdPrefix.WORKSPACE);
    String secretKey = ApiKeys.generate(KeyType.SECRET);
    int port = ServiceProcesses.freePort();
    try (Receiver receiver = new Receiver()) {
      CountDownLatch held = new CountDownLatch(1);
      AtomicInteger arrivals = new AtomicInteger();
      String[] heldId = new String[1];
      receiver.answer(
          r -> {
            if (arrivals.incrementAndGet() == HELD_AT) {
              heldId[0] = r.id();
              held.countDown();
              return new Receiver.Answer(200, Duration.ofSeconds(5), Map.of());
            }
            return new Receiver.Answer(200, Duration.ofMillis(50), Map.of());
          });

      Process first = start(jdbcUrl, workspaceId, secretKey, port, "first");
      ServiceProcesses.awaitHealthy(port, first, Path.of("target", "webhook-crash-it-first.log"));
      HttpResponse<String> created =
          call(
              port,
              secretKey,
              "POST",
              "/v1/webhook-endpoints",
              "{\"url\":\"" + receiver.url() + "\",\"events\":[\"contact.created\"]}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String secret = JSON.readTree(created.body()).path("secret").asString();

      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(2);
      AtomicInteger n = new AtomicInteger();
      for (int c = 0; c < 2; c++) {
        clients.execute(
            () -> {
              while (!stop.get()) {
                try {
                  HttpResponse<String> r =
                      call(
                          port,
                          secretKey,
                          "POST",
                          "/v1/contacts",
                          "{\"email\":\"c" + n.incrementAndGet() + "@example.com\"}");
                  if (r.statusCode() == 201) {
                    acked.add(JSON.readTree(r.body()).path("id").asString());
                  }
                } catch (IOException e) {
                  // the service is down: this create may or may not have committed
                }
              }
            });
      }
      assertThat(held.await(120, TimeUnit.SECONDS)).as("a delivery is in flight").isTrue();
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      Set<String> existing = contactIds(jdbcUrl);
      long undelivered = pendingDeliveries(jdbcUrl) + undispatched(jdbcUrl);
      assertThat(undelivered).as("events committed but not delivered at the kill").isPositive();

      Process second = start(jdbcUrl, workspaceId, secretKey, port, "second");
      ServiceProcesses.awaitHealthy(port, second, Path.of("target", "webhook-crash-it-second.log"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!receivedContactIds(receiver).containsAll(existing) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Set<String> received = receivedContactIds(receiver);
      assertThat(received).as("every committed contact delivered").containsAll(existing);
      assertThat(received).as("every acknowledged contact delivered").containsAll(acked);
      assertThat(existing).as("no event for a contact that does not exist").containsAll(received);
      for (Receiver.Received r : receiver.received()) {
        WebhookSignature.verify(secret, r.id(), r.timestamp(), r.signature(), r.body());
      }
      long heldTimes = receiver.received().stream().filter(r -> r.id().equals(heldId[0])).count();
      assertThat(heldTimes)
          .as("the delivery cut by the kill is sent again")
          .isGreaterThanOrEqualTo(2);
      System.out.printf(
          "WebhookCrashIT: %d contacts (%d acknowledged), %d deliveries received, %d undelivered"
              + " at the kill%n",
          existing.size(), acked.size(), receiver.received().size(), undelivered);
    }
  }

  private static Set<String> receivedContactIds(Receiver receiver) {
    return receiver.received().stream()
        .map(r -> JSON.readTree(r.body()))
        .filter(b -> b.path("type").asString().equals("contact.created"))
        .map(b -> b.path("data").path("id").asString())
        .collect(Collectors.toCollection(HashSet::new));
  }

  private HttpResponse<String> call(int port, String key, String method, String path, String body)
      throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private Process start(String jdbcUrl, String workspaceId, String secretKey, int port, String name)
      throws IOException {
    Path jar = Path.of("target", "management-service-0.1.0-SNAPSHOT.jar");
    assertThat(jar).as("boot jar (run after package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "--growthos.parent-pid=" + ProcessHandle.current().pid(),
            "--growthos.ratelimit.enabled=false",
            // A lease shorter than the default so the cut delivery is retaken within the test.
            "--growthos.webhooks.dispatcher.lease=6s",
            "--growthos.webhooks.dispatcher.request-timeout=3s");
    Map<String, String> env = pb.environment();
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", TestPostgres.get().username());
    env.put("SPRING_DATASOURCE_PASSWORD", TestPostgres.get().password());
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", workspaceId);
    env.put("GROWTHOS_BOOTSTRAP_SECRET_KEY", secretKey);
    env.put("GROWTHOS_WEBHOOKS_ALLOW_PRIVATE_URLS", "true");
    File log = Path.of("target", "webhook-crash-it-" + name + ".log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static Set<String> contactIds(String jdbcUrl) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = connect(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from contacts")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static long pendingDeliveries(String jdbcUrl) throws Exception {
    return count(jdbcUrl, "select count(*) from webhook_deliveries where status = 'pending'");
  }

  private static long undispatched(String jdbcUrl) throws Exception {
    return count(jdbcUrl, "select count(*) from webhook_outbox where dispatched_at is null");
  }

  private static long count(String jdbcUrl, String sql) throws Exception {
    try (Connection c = connect(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection connect(String jdbcUrl) throws Exception {
    return DriverManager.getConnection(
        jdbcUrl, TestPostgres.get().username(), TestPostgres.get().password());
  }
}
