package io.growthos.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * What a launcher that died without stopping (a {@code kill -9}, a crash, a closed laptop) may have
 * left running on its data directory: services that have not yet noticed it is gone, and
 * PostgreSQL, which never notices. Only call with the data directory's {@link InstanceLock} held,
 * which proves no live launcher owns them.
 */
final class Leftovers {

  private static final List<String> SERVICES = List.of(Launcher.INGEST, Launcher.MANAGEMENT);

  private Leftovers() {}

  static void stop(StackFiles files, PrintStream out) {
    String marker = ServiceProcess.marker(files.root());
    for (String name : SERVICES) {
      Processes.fromPidFile(files.pidFile(name))
          // a recycled pid now used by some other program is left alone
          .filter(p -> Processes.hasArgument(p, marker))
          .ifPresent(
              p -> {
                out.println(
                    "Stopping "
                        + name
                        + " left running by an earlier launcher (pid "
                        + p.pid()
                        + ")");
                Processes.terminate(p, Duration.ofSeconds(20));
              });
      try {
        Files.deleteIfExists(files.pidFile(name));
      } catch (IOException e) {
        throw new StackException("cannot remove " + files.pidFile(name) + ": " + e.getMessage(), e);
      }
    }
    LocalPostgres.stopLeftover(files, out);
  }
}
