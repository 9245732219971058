package io.growthos.bench.infra;

import io.growthos.bench.http.HttpConnection;
import io.growthos.bench.http.RequestHead;
import io.growthos.model.runtime.ServiceJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service jar under test, run as a separate JVM ({@code java <options> -jar}) on a free loopback
 * port, configured only through the environment as a deployment would be. Its output goes to a log
 * file; it is stopped with SIGTERM (then SIGKILL) at the end, and it stops by itself if this
 * harness dies (the services' parent-process watchdog).
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the jar and waits until {@code /actuator/health} answers 200.
   *
   * @param jvmOptions options of the service JVM, e.g. {@code -Xmx1g}
   * @param env environment variables added to this process's own (and {@link
   *     ServiceJvm#ENVIRONMENT}, as the local stack runs services)
   * @param jfr whether to record a Flight Recorder profile into {@code <logDir>/<name>.jfr}
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      List<String> jvmOptions,
      Map<String, String> env,
      Path logDir,
      boolean jfr)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "service jar not found: " + jar + " (build it with ./mvnw -pl <module> -am package)");
    }
    int port = freePort();
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (jfr) {
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + logDir.resolve(name + ".jfr").toAbsolutePath());
    }
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--growthos.parent-pid=" + ProcessHandle.current().pid());
    ProcessBuilder pb = new ProcessBuilder(command);
    ServiceJvm.ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    ServiceProcess service = new ServiceProcess(name, pb.start(), port, log);
    try {
      service.awaitHealthy();
    } catch (IOException | RuntimeException | InterruptedException e) {
      service.close();
      throw e;
    }
    return service;
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    byte[] head = RequestHead.get("/actuator/health", port).encode(-1);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            name
                + " exited with "
                + process.exitValue()
                + " during start; log "
                + log
                + ":\n"
                + tail());
      }
      try (HttpConnection c = new HttpConnection(port, null)) {
        if (c.send(head, null) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IOException(
        name + " not healthy after " + START_TIMEOUT + "; log " + log + ":\n" + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.isAlive() ? process.pid() : -1;
  }

  /**
   * Resident memory of the service as Linux reports it: peak ({@code VmHWM}) and now ({@code
   * VmRSS}), in KiB; null where {@code /proc} does not tell or the process has exited.
   */
  public Memory memory() {
    if (!process.isAlive()) {
      return null;
    }
    try {
      long peak = -1;
      long now = -1;
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        } else if (line.startsWith("VmRSS:")) {
          now = kib(line);
        }
      }
      return peak < 0 || now < 0 ? null : new Memory(peak, now);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long kib(String statusLine) {
    // "VmHWM:\t  310280 kB"
    return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
  }

  /** Resident set size in KiB: the peak since start and the current one. */
  public record Memory(long peakKib, long nowKib) {}

  public Path log() {
    return log;
  }

  /** Stops the service: SIGTERM, then SIGKILL if it has not exited within 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
