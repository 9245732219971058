package io.growthos.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pid files and stopping processes that are not (or no longer) our children. */
final class Processes {

  private Processes() {}

  static void writePid(Path file, long pid) {
    try {
      Files.writeString(file, pid + "\n");
    } catch (IOException e) {
      throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The live process a pid file names, if any. The first line of the file is the pid. */
  static Optional<ProcessHandle> fromPidFile(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process was started with {@code argument} among its arguments. */
  static boolean hasArgument(ProcessHandle process, String argument) {
    return process.info().arguments().map(a -> Arrays.asList(a).contains(argument)).orElse(false);
  }

  /** Whether the process runs the executable {@code name} (a file name, not a path). */
  static boolean runs(ProcessHandle process, String name) {
    return process
        .info()
        .command()
        .map(c -> Path.of(c).getFileName().toString().equals(name))
        .orElse(false);
  }

  /**
   * Asks the process to stop (SIGTERM), then kills it (SIGKILL) if it is still there after {@code
   * grace}. Returns once it is gone.
   */
  static void terminate(ProcessHandle process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(process, grace)) {
      process.destroyForcibly();
      awaitExit(process, Duration.ofSeconds(10));
    }
  }

  /** Sends SIGINT, which PostgreSQL takes as "fast shutdown": roll back, disconnect, stop. */
  static void interrupt(ProcessHandle process) {
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Resident memory in KiB (VmRSS of /proc/PID/status), where the OS exposes it. */
  static Optional<Long> residentKib(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
