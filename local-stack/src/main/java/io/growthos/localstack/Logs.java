package io.growthos.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The log files of a stack: one per process, the previous run's kept as {@code *.log.1}. */
final class Logs {

  private Logs() {}

  static void rotate(Path log) {
    try {
      if (Files.exists(log)) {
        Files.move(
            log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StackException("cannot rotate " + log + ": " + e.getMessage(), e);
    }
  }

  /** The last lines of a log, indented, for an error message; empty if there are none. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      return last.isEmpty() ? "" : "\n  | " + String.join("\n  | ", last);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
