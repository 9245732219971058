package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.runtime.ServiceJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker-compose.yml} is written and reviewed by reading only: this machine has no Docker
 * engine. This test runs each of its GrowthOS services as Compose would, short of the container:
 * with the environment the file gives it (anchors, merge keys and {@code ${VAR:-default}} / {@code
 * ${VAR:?message}} interpolated as Compose does, with the three bootstrap keys a user exports),
 * started by the {@code Dockerfile}'s own {@code ENTRYPOINT} with the options file its {@code RUN}
 * writes and its {@code ENV} ({@link Image}), both at once, against a PostgreSQL with the {@code
 * postgres} service's database, user and password and against the machine's Redis. Only host names
 * and ports are mapped to this machine; everything else is read from the file, so a misspelt
 * variable, a port that the health check does not probe, or a datasource that is not the {@code
 * postgres} service's fails here.
 */
class ComposeEnvironmentIT {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?}");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private final List<Process> services = new ArrayList<>();
  private Image image;
  private LocalPostgres postgres;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : services) {
      p.destroy();
    }
    for (Process p : services) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void bothServicesComeUpWithTheComposeFilesEnvironmentAndServeWithItsBootstrapKeys()
      throws Exception {
    Path root = LauncherProcess.repositoryRoot();
    Map<String, Object> compose =
        new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));
    Map<String, Object> composeServices = map(compose, "services");
    image = Image.read(root);
    // What a user exports before `docker compose up`: the three keys (the file refuses to start
    // without them) and, here, the optional workspace settings too, with values that are not the
    // services' defaults, so each must reach the services through the file.
    String workspaceId = Ids.next(IdPrefix.WORKSPACE);
    Map<String, String> shell =
        Map.of(
            "GROWTHOS_BOOTSTRAP_WRITE_KEY",
            newKey("gos_wk_"),
            "GROWTHOS_BOOTSTRAP_SECRET_KEY",
            newKey("gos_sk_"),
            "GROWTHOS_BOOTSTRAP_ADMIN_KEY",
            newKey("gos_ak_"),
            "GROWTHOS_BOOTSTRAP_WORKSPACE_ID",
            workspaceId,
            "GROWTHOS_BOOTSTRAP_WORKSPACE_NAME",
            "Compose workspace",
            "GROWTHOS_BOOTSTRAP_PLAN",
            "growth");

    // PostgreSQL as the postgres service's image makes it: its database, owned by its user.
    Map<String, String> db = environment(composeServices, "postgres", shell);
    StackFiles files = new StackFiles(dir.resolve("data"));
    Files.createDirectories(files.logs());
    postgres = LocalPostgres.start(files, System.out);
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
        Statement s = c.createStatement()) {
      s.execute(
          "create role "
              + identifier(db.get("POSTGRES_USER"))
              + " login password '"
              + db.get("POSTGRES_PASSWORD").replace("'", "''")
              + "'");
      if (!db.get("POSTGRES_DB").equals(LocalPostgres.DATABASE)) {
        s.execute("create database " + identifier(db.get("POSTGRES_DB")));
      }
      s.execute(
          "alter database "
              + identifier(db.get("POSTGRES_DB"))
              + " owner to "
              + identifier(db.get("POSTGRES_USER")));
    }

    Map<String, Integer> ports = new HashMap<>();
    for (String name : List.of("ingest", "management")) {
      ports.put(name, start(root, composeServices, name, shell, db));
    }
    for (String name : List.of("ingest", "management")) {
      awaitHealthy(name, ports.get(name));
    }

    int ingest = ports.get("ingest");
    int management = ports.get("management");
    String writeKey = shell.get("GROWTHOS_BOOTSTRAP_WRITE_KEY");
    String secretKey = shell.get("GROWTHOS_BOOTSTRAP_SECRET_KEY");
    String adminKey = shell.get("GROWTHOS_BOOTSTRAP_ADMIN_KEY");

    // Both services bootstrapped at once: one workspace, with the id, name and plan exported.
    HttpResponse<String> workspaces = send(get(management, "/v1/workspaces", adminKey));
    assertThat(workspaces.statusCode()).as(workspaces.body()).isEqualTo(200);
    JsonNode list = JSON.readTree(workspaces.body()).path("data");
    assertThat(list.size()).as(workspaces.body()).isEqualTo(1);
    assertThat(list.path(0).path("id").asString()).isEqualTo(workspaceId);
    assertThat(list.path(0).path("name").asString()).isEqualTo("Compose workspace");
    assertThat(list.path(0).path("plan").asString()).isEqualTo("growth");

    HttpResponse<String> keys = send(get(management, "/v1/api-keys", secretKey));
    assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
    String writeKeyId = null;
    for (JsonNode key : JSON.readTree(keys.body()).path("data")) {
      if ("write".equals(key.path("type").asString())) {
        writeKeyId = key.path("id").asString();
      }
    }
    assertThat(writeKeyId).as(keys.body()).isNotNull();

    // The rate limits run on Redis (GROWTHOS_RATELIMIT_BACKEND), in the write key's bucket, read
    // right after a request: an idle bucket's key expires about a second after its last write.
    String bucket = "growthos:ratelimit:ingest:key:" + writeKeyId + ":*";
    List<String> buckets = List.of();
    for (int i = 0; i < 10 && buckets.isEmpty(); i++) {
      HttpResponse<String> tracked =
          send(
              post(
                  ingest,
                  "/v1/track",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)),
                  "{\"userId\":\"compose-user\",\"event\":\"Compose Up\",\"messageId\":\"compose-1\"}"));
      assertThat(tracked.statusCode()).as(tracked.body()).isEqualTo(200);
      buckets = redisKeys(bucket);
    }
    assertThat(buckets)
        .as(
            bucket + " in Redis at 127.0.0.1:6379; growthos:ratelimit:* holds %s",
            redisKeys("growthos:ratelimit:*"))
        .isNotEmpty();

    // The event is stored (read through the Management API with the secret key).
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode events;
    do {
      HttpResponse<String> r = send(get(management, "/v1/events?user_id=compose-user", secretKey));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      events = JSON.readTree(r.body()).path("data");
    } while (events.isEmpty() && System.nanoTime() < deadline && pause());
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.path(0).path("event").asString()).isEqualTo("Compose Up");
  }

  /**
   * Starts the Compose service {@code name} as its image runs it, with the file's environment;
   * checks that the file's datasource, Redis, published port and health check agree with the
   * services they name, maps them to this machine and returns the port it listens on.
   */
  private int start(
      Path root,
      Map<String, Object> composeServices,
      String name,
      Map<String, String> shell,
      Map<String, String> db)
      throws Exception {
    Map<String, Object> service = map(composeServices, name);
    Map<String, String> env = environment(composeServices, name, shell);
    String module = String.valueOf(map(map(service, "build"), "args").get("SERVICE"));

    assertThat(env.get("SPRING_DATASOURCE_URL"))
        .isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
    assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(db.get("POSTGRES_USER"));
    assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(db.get("POSTGRES_PASSWORD"));
    assertThat(env.get("GROWTHOS_RATELIMIT_BACKEND")).isEqualTo("redis");
    assertThat(env.get("GROWTHOS_RATELIMIT_REDIS_URL")).isEqualTo("redis://redis:6379");
    assertThat(composeServices).containsKeys("postgres", "redis");

    String portVariable =
        "ingest-service".equals(module) ? "GROWTHOS_INGEST_PORT" : "GROWTHOS_MANAGEMENT_PORT";
    assertThat(env).containsKey(portVariable);
    int containerPort = Integer.parseInt(env.get(portVariable));
    assertThat(list(service, "ports")).contains(containerPort + ":" + containerPort);
    assertThat(list(map(service, "healthcheck"), "test"))
        .contains("http://localhost:" + containerPort + "/actuator/health");

    int port = LauncherProcess.freePort();
    env.put(portVariable, Integer.toString(port));
    env.put(
        "SPRING_DATASOURCE_URL",
        "jdbc:postgresql://localhost:" + postgres.port() + "/" + db.get("POSTGRES_DB"));
    env.put("GROWTHOS_RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379");
    env.putAll(image.environment());

    List<String> command = image.entrypoint(module, dir.resolve(name), root);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    // A container's environment is the file's, not this shell's.
    builder.environment().keySet().removeIf(k -> !k.equals("PATH"));
    builder.environment().putAll(env);
    services.add(builder.start());
    return port;
  }

  /**
   * The final stage of the {@code Dockerfile}, run on this machine: its {@code ENV} lines, the
   * {@code RUN} that writes the options file with {@link ServiceJvm} (run here with the
   * shared-model jar the build stage copies), and its {@code ENTRYPOINT} through {@code /bin/sh}
   * with {@code /app/jvm.options} and {@code /app/app.jar} mapped to this build's files.
   */
  private record Image(String dockerfile) {

    static Image read(Path root) throws IOException {
      String text = Files.readString(root.resolve("Dockerfile"));
      return new Image(text.substring(text.lastIndexOf("\nFROM ")));
    }

    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      Matcher m = Pattern.compile("(?m)^ENV (\\w+)=(\\S+)$").matcher(dockerfile);
      while (m.find()) {
        env.put(m.group(1), m.group(2));
      }
      assertThat(env).as("the image's ENV").containsAllEntriesOf(ServiceJvm.ENVIRONMENT);
      return env;
    }

    List<String> entrypoint(String module, Path app, Path root) throws Exception {
      Files.createDirectories(app);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Matcher run =
          Pattern.compile(
                  "(?m)^RUN java -cp /tmp/service-jvm.jar ([\\w.]+) \"\\$\\{SERVICE}\" >"
                      + " /app/jvm.options")
              .matcher(dockerfile);
      assertThat(run.find()).as("the RUN that writes /app/jvm.options").isTrue();
      Path options = app.resolve("jvm.options");
      Process write =
          new ProcessBuilder(
                  java,
                  "-cp",
                  jar(root.resolve("shared-model").resolve("target"), "shared-model").toString(),
                  run.group(1),
                  module)
              .redirectOutput(options.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      assertThat(write.waitFor()).as("ServiceJvm " + module).isZero();
      assertThat(Files.readAllLines(options))
          .isEqualTo(ServiceJvm.Service.ofModule(module).options(null));

      Matcher entry =
          Pattern.compile("(?m)^ENTRYPOINT \\[\"/bin/sh\", \"-c\", \"(.*)\"]$").matcher(dockerfile);
      assertThat(entry.find()).as("ENTRYPOINT [\"/bin/sh\", \"-c\", …]").isTrue();
      String script =
          entry
              .group(1)
              .replace("exec java ", "exec " + java + " ")
              .replace("/app/jvm.options", options.toString())
              .replace(
                  "/app/app.jar", jar(root.resolve(module).resolve("target"), module).toString());
      // Ends the service if this test's JVM dies (a container ends with compose).
      return List.of(
          "/bin/sh", "-c", script + " --growthos.parent-pid=" + ProcessHandle.current().pid());
    }
  }

  /** The service's {@code environment}, merge keys applied, interpolated as Compose does. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(
      Map<String, Object> composeServices, String name, Map<String, String> shell) {
    Object raw = map(composeServices, name).get("environment");
    assertThat(raw).as(name + ": environment as a map").isInstanceOf(Map.class);
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) raw).entrySet()) {
      if (e.getValue() == null) {
        // "NAME:" with no value passes the user's own variable through, if set.
        if (shell.containsKey(e.getKey())) {
          env.put(e.getKey(), shell.get(e.getKey()));
        }
        continue;
      }
      env.put(e.getKey(), interpolate(String.valueOf(e.getValue()), shell));
    }
    return env;
  }

  private static String interpolate(String value, Map<String, String> shell) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String set = shell.get(m.group(1));
      String replacement;
      if (set != null && !set.isEmpty()) {
        replacement = set;
      } else if ("-".equals(m.group(2))) {
        replacement = m.group(3);
      } else if ("?".equals(m.group(2))) {
        throw new AssertionError("Compose would refuse to start: " + m.group(3));
      } else {
        replacement = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    assertThat(child).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) child;
  }

  private static List<String> list(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    assertThat(child).as(key).isInstanceOf(List.class);
    return ((List<?>) child).stream().map(String::valueOf).toList();
  }

  private static Path jar(Path target, String module) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
      for (Path jar : jars) {
        if (!jar.getFileName().toString().endsWith("-plain.jar")) {
          return jar;
        }
      }
    }
    throw new IllegalStateException(module + " is not packaged in " + target);
  }

  private void awaitHealthy(String name, int port) throws Exception {
    Process process = services.get(name.equals("ingest") ? 0 : 1);
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log(name));
      }
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(name + " not healthy after " + START_TIMEOUT + ":\n" + log(name));
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  private static HttpRequest post(int port, String path, String authorization, String body) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest get(int port, String path, String bearer) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + bearer)
        .build();
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A key of the documented form: the prefix and 32 letters or digits. */
  private static String newKey(String prefix) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder key = new StringBuilder(prefix);
    for (int i = 0; i < 32; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** {@code KEYS pattern} on the machine's Redis, in its own protocol (RESP). */
  private static List<String> redisKeys(String pattern) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", 6379)) {
      socket.setSoTimeout(5000);
      byte[] arg = pattern.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("*2\r\n$4\r\nKEYS\r\n$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(arg);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String header = line(in);
      assertThat(header).as("Redis answer to KEYS").startsWith("*");
      int count = Integer.parseInt(header.substring(1));
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        line(in); // $<length>
        keys.add(line(in));
      }
      return keys;
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        in.read(); // \n
        break;
      }
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
