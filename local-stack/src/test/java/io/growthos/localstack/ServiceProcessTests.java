package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the launcher tells a training run that could not write its class data archive (a warning, the
 * start goes on) from one that failed to start (the start fails), against this JVM's own messages.
 */
class ServiceProcessTests {

  @TempDir Path dir;

  @Test
  void aJvmThatCannotWriteItsArchiveAtExitSaysSoInItsLog() throws Exception {
    Path blocked = dir.resolve("classes.jsa.new");
    Files.createDirectories(blocked.resolve("not-empty"));

    Path log = run("-XX:ArchiveClassesAtExit=" + blocked, "-Xshare:auto", "-version");

    assertThat(ServiceProcess.logShowsArchiveError(log)).isTrue();
  }

  @Test
  void aJvmThatFailsForAnotherReasonDoesNot() throws Exception {
    Path log = run("-XX:+NoSuchOptionAnywhere", "-version");

    assertThat(ServiceProcess.logShowsArchiveError(log)).isFalse();
    assertThat(ServiceProcess.logShowsArchiveError(dir.resolve("no-such.log"))).isFalse();
  }

  /** Runs this JVM's {@code java} with {@code options}; returns its log, after it exited with 1. */
  private Path run(String... options) throws Exception {
    Path log = Files.createTempFile(dir, "jvm-", ".log");
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(options));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isEqualTo(1);
    return log;
  }
}
