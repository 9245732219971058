package io.growthos.localstack;

import io.growthos.model.runtime.ServiceJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One service running as a child process ({@code java -jar}), its output in its own log file.
 *
 * <p>It runs from its {@link ServiceImage} (unpacked, with a class data archive). Every service
 * gets {@code GROWTHOS_PARENT_PID} (it exits by itself once the launcher is gone, even after a
 * {@code kill -9}) and the {@link #marker} argument, by which a later launcher recognises a
 * leftover as one of its own before stopping it.
 */
final class ServiceProcess {

  /**
   * What HotSpot prints when it cannot write or read a class data archive, before it exits with
   * code 1; when writing the archive at exit fails, that is after the service ran (checked against
   * the JVM the tests run on by ServiceProcessTests).
   */
  static final String ARCHIVE_ERROR =
      "An error has occurred while processing the shared archive file";

  /** Spring Framework's training-run mode: exit once the application context is refreshed. */
  static final String EXIT_ON_REFRESH = "-Dspring.context.exit=onRefresh";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;
  private final long startedNanos;
  private final ServiceImage image;
  private final boolean writesArchive;
  private final boolean trainingRun;
  private volatile long exitedNanos;
  private volatile Boolean failedOnArchive;

  private ServiceProcess(
      String name,
      int port,
      Path log,
      Process process,
      long startedNanos,
      ServiceImage image,
      boolean trainingRun) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
    this.startedNanos = startedNanos;
    this.image = image;
    this.writesArchive = image.writesArchiveAtExit();
    this.trainingRun = trainingRun;
    process.onExit().thenRun(() -> exitedNanos = System.nanoTime());
  }

  /** The argument that tags a service process as belonging to the stack in {@code dataDir}. */
  static String marker(Path dataDir) {
    return "-Dgrowthos.local-stack.data-dir=" + dataDir;
  }

  /**
   * Starts the service. A {@code trainingRun} is the same command plus Spring's {@value
   * #EXIT_ON_REFRESH}: the service exits by itself (code 0) once its context is refreshed, before
   * it starts its web server or any background work, writing the class data archive as it exits
   * (the training run Spring documents for CDS).
   */
  static ServiceProcess start(
      String name,
      ServiceImage image,
      int port,
      List<String> jvmOptions,
      StackConfig config,
      Map<String, String> environment,
      StackFiles files,
      boolean trainingRun) {
    Path log = files.log(name);
    Logs.rotate(log);
    Path tmp = files.tmp(name);
    try {
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new StackException("cannot prepare " + tmp + ": " + e.getMessage(), e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Before the options given, so a java.io.tmpdir among them still wins.
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(jvmOptions);
    if (trainingRun) {
      command.add(EXIT_ON_REFRESH);
    }
    command.addAll(image.jvmOptions(Runtime.version().feature()));
    command.add(marker(config.dataDir()));
    command.add("-jar");
    command.add(image.jar().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(config.dataDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    // SERVER_PORT would beat the GROWTHOS_*_PORT defaults and put both services on one port.
    builder.environment().remove("SERVER_PORT");
    ServiceJvm.ENVIRONMENT.forEach(builder.environment()::putIfAbsent);
    builder.environment().putAll(environment);
    try {
      long started = System.nanoTime();
      Process process = builder.start();
      Processes.writePid(files.pidFile(name), process.pid());
      return new ServiceProcess(name, port, log, process, started, image, trainingRun);
    } catch (IOException e) {
      throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code /actuator/health} on {@code port} answers UP. */
  static boolean isHealthy(int port) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean isHealthy() {
    return isHealthy(port);
  }

  /** Time from process start until now: call it when the service has just become healthy. */
  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Time from process start until it exited (or until now, while it runs). */
  Duration ranFor() {
    long exited = exitedNanos;
    return Duration.ofNanos((exited != 0 ? exited : System.nanoTime()) - startedNanos);
  }

  /** CPU time the service used so far (zero where the OS does not tell). */
  Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /**
   * SIGTERM starts Spring's graceful shutdown; a service that hangs is killed after {@code grace}.
   * A training run is killed at once.
   */
  void stop(Duration grace) {
    if (trainingRun) {
      // A training run stopped halfway keeps no archive, so there is nothing to wait for: a
      // graceful stop would wait for the Spring context to finish refreshing and then write an
      // archive only to throw it away (some 20 s). Killed, it leaves what a kill -9 of the whole
      // stack leaves, which the next start handles: every migration runs in a transaction.
      process.destroyForcibly();
      Processes.awaitExit(process.toHandle(), Duration.ofSeconds(10));
      return;
    }
    // Writing the class data archive at exit (first run of a build) takes tens of seconds on a
    // busy machine; cutting it short would only mean writing it again next time.
    Processes.terminate(
        process.toHandle(), writesArchive ? grace.plus(Duration.ofSeconds(120)) : grace);
    // 143: ended by our SIGTERM after Spring's graceful shutdown, so the JVM exited normally.
    if (!process.isAlive() && (process.exitValue() == 143 || process.exitValue() == 0)) {
      image.keepArchive();
    }
  }

  /**
   * Whether the JVM said in its log that it could not process its class data archive. Asked of an
   * exited process, whose log no longer changes: read once.
   */
  boolean failedOnArchive() {
    Boolean failed = failedOnArchive;
    if (failed == null) {
      failed = logShowsArchiveError(log);
      failedOnArchive = failed;
    }
    return failed;
  }

  static boolean logShowsArchiveError(Path log) {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1).contains(ARCHIVE_ERROR);
    } catch (IOException e) {
      return false;
    }
  }

  /** After a training run exited by itself (code 0): makes its archive the one later runs map. */
  void keepTrainingRunArchive() {
    if (trainingRun && !process.isAlive() && process.exitValue() == 0) {
      image.keepArchive();
    }
  }
}
