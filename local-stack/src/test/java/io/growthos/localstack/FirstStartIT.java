package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start on a machine that never ran GrowthOS: no PostgreSQL binaries anywhere the
 * launcher looks, the launcher in a JVM with the options {@code ./growthos} gives it (a 64 MB
 * heap), a {@code kill -9} while it unpacks them, a stop during the training run that writes the
 * class data archives and (Java 17) a {@code kill -9} while that run writes them.
 */
class FirstStartIT {

  private static final List<String> SERVICES = List.of(Launcher.INGEST, Launcher.MANAGEMENT);
  private static final String TRAINING = "Preparing faster starts for this build";

  @TempDir Path tmp;
  private LauncherProcess stack;

  @AfterEach
  void leaveNothingRunning() {
    if (stack != null) {
      stack.kill();
    }
  }

  @Test
  void interruptedFirstStartsLeaveNothingBehindAndTheFirstToComeUpMapsBothArchives()
      throws Exception {
    Path home = LauncherProcess.repositoryRoot();
    Path dataDir = tmp.resolve("data");
    Path binaries = dataDir.resolve("postgres-binaries");
    Path images = dataDir.resolve("services");
    int ingestPort = LauncherProcess.freePort();
    int managementPort = LauncherProcess.freePort();

    LauncherProcess first = LauncherProcess.start(home, dataDir, ingestPort, managementPort);
    stack = first;
    Path partial = awaitPartialUnpack(first, binaries);
    first.killNow();
    assertThat(partial).isDirectory();
    assertThat(completeUnpacks(binaries)).isEmpty();

    // Stopped (SIGTERM, as ./growthos stop does) during its training run: kills those services
    // at once, so they neither finish starting nor write an archive that would be thrown away.
    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort);
    List<ProcessHandle> training = awaitTrainingRun(stack, images, false);
    // Once their Spring contexts are refreshing (a SIGTERM then waits for the refresh to end).
    for (String service : SERVICES) {
      awaitLog(stack, dataDir.resolve("logs").resolve(service + ".log"), "HikariPool-1 - Start");
    }
    long stopping = System.nanoTime();
    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
    System.out.printf(
        "stop during the training run took %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
    assertThat(stack.output()).contains("Unpacking PostgreSQL", TRAINING, "Stopped.");
    assertThat(training).noneMatch(ProcessHandle::isAlive);
    assertThat(writingArchive(images)).as("an archive written by a stopped training run").isFalse();
    boolean java17 = Runtime.version().feature() < 19;
    if (java17) {
      assertThat(archives(images)).isEmpty();
      // Java 17 writes each archive aside and the launcher renames it once the training run
      // exited by itself: a launcher killed while they are written leaves none to map.
      stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort);
      training = awaitTrainingRun(stack, images, true);
      stack.killNow();
      assertThat(archives(images)).isEmpty();
    }

    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort).awaitReady();
    assertThat(training).noneMatch(ProcessHandle::isAlive);
    assertThat(partial).doesNotExist();
    assertThat(children(binaries)).hasSize(1);
    Path unpacked = completeUnpacks(binaries).get(0);
    assertThat(unpacked.resolve("bin").resolve("postgres")).isExecutable();
    assertThat(stack.postmaster().info().command().orElse(""))
        .startsWith(unpacked.toRealPath().toString());
    // Nothing in the launcher's temp dir, not even zonky's empty default directory.
    assertThat(LauncherProcess.tempDirOf(dataDir).resolve("embedded-pg")).doesNotExist();
    // The first start that came up ran the services once before, which wrote both archives, so
    // its services map them already.
    List<Path> archives = archives(images);
    assertServicesMap(stack, archives);
    assertThat(archives).hasSize(2);
    if (java17) { // later JVMs may have kept the archives of the run stopped above
      assertThat(stack.output()).contains(TRAINING, "Prepared in").doesNotContain("warning:");
      assertThat(stack.output().indexOf("Prepared in"))
          .isLessThan(stack.output().indexOf("Starting " + Launcher.INGEST));
    }

    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
    assertThat(archives(images)).containsExactlyInAnyOrderElementsOf(archives);

    // A later start finds the binaries complete and the archives there: no unpack, no training.
    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort).awaitReady();
    assertThat(stack.output()).doesNotContain("Unpacking PostgreSQL", TRAINING);
    assertThat(completeUnpacks(binaries)).containsExactly(unpacked);
    assertServicesMap(stack, archives);
    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);

    // An archive that lost its tail after it was kept (the machine crashed after the rename):
    // Java 17 dies mapping it (SIGBUS, exit 134) at every start. The launcher discards it and
    // makes a new one; Java 19+ notices by itself and runs without it.
    Path ingestArchive =
        archives.stream()
            .filter(a -> a.getParent().getFileName().toString().startsWith(Launcher.INGEST))
            .findFirst()
            .orElseThrow();
    long whole = Files.size(ingestArchive);
    try (FileChannel archive = FileChannel.open(ingestArchive, StandardOpenOption.WRITE)) {
      archive.truncate(whole / 2);
    }
    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort).awaitReady();
    if (java17) {
      assertThat(stack.output()).contains(TRAINING, "Prepared in");
      assertThat(Files.size(ingestArchive)).as("a new archive").isGreaterThan(whole / 2);
      assertServicesMap(stack, archives(images));
    }
    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
  }

  /** Both services run with {@code -XX:SharedArchiveFile} and have the archive mapped. */
  private static void assertServicesMap(LauncherProcess stack, List<Path> archives)
      throws IOException {
    for (String service : SERVICES) {
      ProcessHandle process = stack.service(service);
      List<String> arguments = process.info().arguments().map(List::of).orElse(List.of());
      assertThat(arguments)
          .as("arguments of %s", service)
          .anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="))
          .noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
      Path maps = Path.of("/proc", Long.toString(process.pid()), "maps");
      if (Files.isReadable(maps)) {
        String mapped = Files.readString(maps);
        assertThat(archives)
            .as("%s maps its archive (%s)", service, maps)
            .anyMatch(a -> mapped.contains(a.toString()));
      }
    }
  }

  /**
   * Waits until both services of the launcher's training run are started and, if {@code
   * untilWriting}, one of them writes its archive ({@code classes.jsa.new}); returns both.
   */
  private static List<ProcessHandle> awaitTrainingRun(
      LauncherProcess launcher, Path images, boolean untilWriting) throws Exception {
    long deadline = System.nanoTime() + LauncherProcess.READY_TIMEOUT.toNanos();
    List<ProcessHandle> services = new java.util.ArrayList<>();
    while (System.nanoTime() < deadline) {
      if (services.isEmpty() && launcher.output().contains(TRAINING)) {
        try {
          services.add(launcher.service(Launcher.INGEST));
          services.add(launcher.service(Launcher.MANAGEMENT));
        } catch (AssertionError notYet) {
          services.clear();
        }
      }
      if (services.size() == 2 && (!untilWriting || writingArchive(images))) {
        return services;
      }
      if (!launcher.handle().isAlive() || launcher.output().contains("GrowthOS is running.")) {
        throw new AssertionError("no training run seen:\n" + launcher.output());
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no training run seen in time:\n" + launcher.output());
  }

  private static void awaitLog(LauncherProcess launcher, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + LauncherProcess.READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line)) {
        return;
      }
      if (!launcher.handle().isAlive() || launcher.output().contains("Prepared in")) {
        throw new AssertionError("no '" + line + "' in " + log + ":\n" + launcher.output());
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no '" + line + "' in " + log + " in time");
  }

  private static boolean writingArchive(Path images) throws IOException {
    for (Path image : children(images)) {
      if (Files.exists(image.resolve("classes.jsa.new"))) {
        return true;
      }
    }
    return false;
  }

  /** The archives the services map, as real paths (as {@code /proc/PID/maps} shows them). */
  private static List<Path> archives(Path images) throws IOException {
    List<Path> found = new java.util.ArrayList<>();
    for (Path image : children(images)) {
      Path archive = image.resolve("classes.jsa");
      if (Files.isRegularFile(archive)) {
        found.add(archive.toRealPath());
      }
    }
    return found;
  }

  /** Waits until the launcher has unpacked part of the binaries (some of lib/) but not all. */
  private static Path awaitPartialUnpack(LauncherProcess launcher, Path binaries) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Path> partial =
          children(binaries).stream()
              .filter(p -> p.getFileName().toString().contains(".partial-"))
              .filter(p -> Files.isDirectory(p.resolve("lib")))
              .findFirst();
      if (partial.isPresent()) {
        return partial.get();
      }
      if (!launcher.handle().isAlive()) {
        throw new AssertionError("launcher exited before unpacking:\n" + launcher.output());
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no unpack seen in " + binaries + ":\n" + launcher.output());
  }

  private static List<Path> completeUnpacks(Path binaries) throws IOException {
    return children(binaries).stream().filter(p -> Files.exists(p.resolve(".exists"))).toList();
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }
}
