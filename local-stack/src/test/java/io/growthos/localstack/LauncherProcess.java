package io.growthos.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar local-stack.jar start}, run as a separate process exactly as {@code ./growthos
 * start} runs it, so a test can signal or {@code kill -9} it.
 */
final class LauncherProcess {

  /** Generous: two Spring Boot services start on two cores shared with other builds. */
  static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final Process process;
  private final Path output;
  private final StackFiles files;

  private LauncherProcess(Process process, Path output, StackFiles files) {
    this.process = process;
    this.output = output;
    this.files = files;
  }

  static LauncherProcess start(Path home, Path dataDir, int ingestPort, int managementPort)
      throws IOException {
    Files.createDirectories(dataDir);
    Path output = Files.createTempFile(dataDir.getParent(), "launcher-", ".out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launcherJvmOptions(home));
    // A temp dir of its own, so a test can tell what the launcher leaves in one.
    Path tempDir = tempDirOf(dataDir);
    Files.createDirectories(tempDir);
    command.add("-Djava.io.tmpdir=" + tempDir);
    command.addAll(List.of("-jar", launcherJar(home).toString(), "start"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "GROWTHOS_HOME", home.toString(),
                "GROWTHOS_DATA_DIR", dataDir.toString(),
                "GROWTHOS_INGEST_PORT", Integer.toString(ingestPort),
                "GROWTHOS_MANAGEMENT_PORT", Integer.toString(managementPort),
                "GROWTHOS_START_TIMEOUT", Long.toString(START_TIMEOUT.toSeconds()),
                // Quicker starts on a busy machine; these tests measure lifecycle, not speed.
                "GROWTHOS_SERVICE_JAVA_OPTS",
                    "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"));
    return new LauncherProcess(builder.start(), output, new StackFiles(dataDir));
  }

  /** The launcher's {@code java.io.tmpdir} for the data directory {@code dataDir}. */
  static Path tempDirOf(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + "-tmp");
  }

  /**
   * The JVM options {@code ./growthos} gives the launcher (its {@code LAUNCHER_JVM_OPTS}), so the
   * tests run it as small as users do.
   */
  static List<String> launcherJvmOptions(Path home) throws IOException {
    Matcher options =
        Pattern.compile("(?m)^LAUNCHER_JVM_OPTS=\"([^\"]*)\"")
            .matcher(Files.readString(home.resolve("growthos")));
    if (!options.find()) {
      throw new IllegalStateException(
          "no LAUNCHER_JVM_OPTS=\"...\" line in " + home.resolve("growthos"));
    }
    return List.of(options.group(1).trim().split("\\s+"));
  }

  /** The repository root: the parent of this module, holding both services' jars. */
  static Path repositoryRoot() {
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    for (String module : List.of("ingest-service", "management-service")) {
      if (!hasJar(root.resolve(module).resolve("target"), module)) {
        throw new IllegalStateException(
            module
                + " is not packaged in "
                + root
                + "; run the whole build (./mvnw verify), in which local-stack comes last");
      }
    }
    return root;
  }

  private static boolean hasJar(Path target, String module) {
    if (!Files.isDirectory(target)) {
      return false;
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
      return jars.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static Path launcherJar(Path home) throws IOException {
    Path target = home.resolve("local-stack").resolve("target");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "local-stack-*.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("local-stack is not packaged yet in " + target);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * How long {@link #awaitReady} waits: the first start of a build runs the services twice (the
   * training run, whose stop writes the class data archives, then the real start), each with the
   * launcher's start timeout.
   */
  static final Duration READY_TIMEOUT = START_TIMEOUT.multipliedBy(2).plusMinutes(3);

  /** Waits for the "running" banner; fails with the launcher's output if it exits first. */
  LauncherProcess awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains("GrowthOS is running.")) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "launcher exited with " + process.exitValue() + " before it was ready:\n" + output());
      }
      Thread.sleep(250);
    }
    throw new AssertionError("launcher not ready after " + READY_TIMEOUT + ":\n" + output());
  }

  /** Waits for the launcher to exit by itself and returns its exit code. */
  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("launcher still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /** {@code kill -9}: the launcher gets no chance to clean up. */
  void killNow() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  ProcessHandle service(String name) {
    return Processes.fromPidFile(files.pidFile(name))
        .orElseThrow(() -> new AssertionError(name + " has no live pid file"));
  }

  ProcessHandle postmaster() {
    return LocalPostgres.postmaster(files)
        .orElseThrow(() -> new AssertionError("no live postmaster"));
  }

  /** Every process of the stack as it runs now: launcher, services, postmaster. */
  List<ProcessHandle> allProcesses() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(handle());
    all.add(service(Launcher.INGEST));
    all.add(service(Launcher.MANAGEMENT));
    all.add(postmaster());
    return all;
  }

  Optional<ProcessHandle> postmasterIfRunning() {
    return LocalPostgres.postmaster(files);
  }

  /** Best-effort cleanup after a failed test, so no process outlives the build. */
  void kill() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(handle());
    for (String name : List.of(Launcher.INGEST, Launcher.MANAGEMENT)) {
      Processes.fromPidFile(files.pidFile(name)).ifPresent(all::add);
    }
    postmasterIfRunning().ifPresent(all::add);
    all.forEach(p -> Processes.terminate(p, Duration.ofSeconds(10)));
  }
}
