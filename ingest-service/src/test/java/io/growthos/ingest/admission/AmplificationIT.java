package io.growthos.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.ServiceProcesses;
import io.growthos.testsupport.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 of issue 8 against the packaged service, with the JVM options the local stack starts it
 * with ({@code -Xmx384m -XX:+ExitOnOutOfMemoryError}, local-stack {@code StackConfig}): rounds of
 * six concurrent amplified batches (the attack that used to end in {@code OutOfMemoryError}) are
 * refused with 413 or 503, the process stays up, and a normal batch is then stored. GC is logged to
 * {@code target/amplification-it-gc.log} for the heap figures.
 */
class AmplificationIT {

  private static final int ROUNDS = 3;
  private static final int CONCURRENT = 6;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void sixConcurrentAmplifiedBatchesNeitherKillNorStopTheService() throws Exception {
    String jdbcUrl = TestPostgres.get().newDatabase("amplification_it");
    String writeKey = ApiKeys.generate(KeyType.WRITE);
    String auth =
        "Basic "
            + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    int port = ServiceProcesses.freePort();
    process = start(jdbcUrl, writeKey, port);
    ServiceProcesses.awaitHealthy(port, process, Path.of("target", "amplification-it.log"));

    List<Integer> statuses = new ArrayList<>();
    ExecutorService attackers = Executors.newFixedThreadPool(CONCURRENT);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
          String body = AmplificationTests.amplifiedBatch(UUID.randomUUID().toString());
          sent.add(attackers.submit(() -> post(port, auth, body)));
        }
        for (Future<Integer> f : sent) {
          statuses.add(f.get(120, TimeUnit.SECONDS));
        }
      }
    } finally {
      attackers.shutdownNow();
    }
    System.out.println("Amplification attack statuses: " + statuses);

    assertThat(process.isAlive()).as("the service survived the attack").isTrue();
    assertThat(statuses).isNotEmpty().allMatch(s -> s == 413 || s == 503);
    String normal =
        "{\"context\":{\"ip\":\"1.2.3.4\"},\"batch\":[{\"type\":\"track\",\"event\":\"e\","
            + "\"userId\":\"u\",\"messageId\":\""
            + UUID.randomUUID()
            + "\"}]}";
    assertThat(post(port, auth, normal)).isEqualTo(200);
  }

  private int post(int port, String auth, String body) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/batch"))
            .timeout(Duration.ofSeconds(120))
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

  private Process start(String jdbcUrl, String writeKey, int port) throws IOException {
    Path jar = Path.of("target", "ingest-service-0.1.0-SNAPSHOT.jar");
    assertThat(jar).as("boot jar (run after package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx384m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Xlog:gc:file=" + Path.of("target", "amplification-it-gc.log"),
            "-jar",
            jar.toString(),
            "--growthos.parent-pid=" + ProcessHandle.current().pid());
    Map<String, String> env = pb.environment();
    env.put("SPRING_DATASOURCE_URL", jdbcUrl);
    env.put("SPRING_DATASOURCE_USERNAME", TestPostgres.get().username());
    env.put("SPRING_DATASOURCE_PASSWORD", TestPostgres.get().password());
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey);
    pb.redirectErrorStream(true).redirectOutput(Path.of("target", "amplification-it.log").toFile());
    return pb.start();
  }
}
