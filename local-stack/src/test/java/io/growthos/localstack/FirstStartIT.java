package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * heap), and a {@code kill -9} while it unpacks them.
 */
class FirstStartIT {

  @TempDir Path tmp;
  private LauncherProcess stack;

  @AfterEach
  void leaveNothingRunning() {
    if (stack != null) {
      stack.kill();
    }
  }

  @Test
  void launcherKilledWhileUnpackingPostgresComesUpOnTheNextStart() throws Exception {
    Path home = LauncherProcess.repositoryRoot();
    Path dataDir = tmp.resolve("data");
    Path binaries = dataDir.resolve("postgres-binaries");
    int ingestPort = LauncherProcess.freePort();
    int managementPort = LauncherProcess.freePort();

    LauncherProcess first = LauncherProcess.start(home, dataDir, ingestPort, managementPort);
    stack = first;
    Path partial = awaitPartialUnpack(first, binaries);
    first.killNow();
    assertThat(partial).isDirectory();
    assertThat(completeUnpacks(binaries)).isEmpty();

    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort).awaitReady();

    assertThat(stack.output()).contains("Unpacking PostgreSQL");
    assertThat(partial).doesNotExist();
    assertThat(children(binaries)).hasSize(1);
    Path unpacked = completeUnpacks(binaries).get(0);
    assertThat(unpacked.resolve("bin").resolve("postgres")).isExecutable();
    assertThat(stack.postmaster().info().command().orElse(""))
        .startsWith(unpacked.toRealPath().toString());

    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
    // Each service wrote its class data archive when it stopped (Java 17; later JVMs keep it).
    List<Path> archives = archives(dataDir.resolve("services"));
    assertThat(archives).hasSize(2);

    // A later start finds the binaries complete and unpacks nothing; the services map archives.
    stack = LauncherProcess.start(home, dataDir, ingestPort, managementPort).awaitReady();
    assertThat(stack.output()).doesNotContain("Unpacking PostgreSQL");
    assertThat(completeUnpacks(binaries)).containsExactly(unpacked);
    for (String service : List.of(Launcher.INGEST, Launcher.MANAGEMENT)) {
      assertThat(stack.service(service).info().arguments().map(List::of).orElse(List.of()))
          .anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
    }
    stack.handle().destroy();
    assertThat(stack.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
  }

  private static List<Path> archives(Path images) throws IOException {
    List<Path> found = new java.util.ArrayList<>();
    for (Path image : children(images)) {
      Path archive = image.resolve("classes.jsa");
      if (Files.isRegularFile(archive)) {
        found.add(archive);
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
