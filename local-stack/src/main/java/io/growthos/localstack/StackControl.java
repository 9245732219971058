package io.growthos.localstack;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** {@code ./growthos stop} and {@code ./growthos status}, for the stack of one data directory. */
final class StackControl {

  /** Exit code of {@code status} when the stack is not running, as LSB init scripts use. */
  static final int NOT_RUNNING = 3;

  private final StackFiles files;
  private final PrintStream out;

  StackControl(StackFiles files, PrintStream out) {
    this.files = files;
    this.out = out;
  }

  /**
   * Asks the launcher to stop (SIGTERM: it stops the services, then PostgreSQL) and waits for it.
   * Without a live launcher, stops whatever a crashed one left behind.
   */
  int stop() {
    if (!Files.isDirectory(files.run())) {
      out.println("GrowthOS is not running on " + files.root());
      return 0;
    }
    if (stopLeftoversUnlessRunning()) {
      out.println("GrowthOS is not running on " + files.root());
      return 0;
    }
    Optional<ProcessHandle> launcher = Processes.fromPidFile(files.pidFile("launcher"));
    if (launcher.isEmpty()) {
      throw new StackException(
          "a launcher holds " + files.launcherLock() + " but left no pid file; stop it by hand");
    }
    out.println("Stopping GrowthOS (launcher pid " + launcher.get().pid() + ")...");
    // The launcher's own stop: services' grace, plus the time a first run needs to write its
    // class data archive (ServiceProcess#stop), plus PostgreSQL's. Cutting it shorter loses the
    // archive (seen at 60 s under a load average of 30).
    Processes.terminate(launcher.get(), Duration.ofMinutes(4));
    // If the launcher had to be killed, what it could not stop is a leftover now.
    stopLeftoversUnlessRunning();
    out.println("Stopped.");
    return 0;
  }

  /** Stops what a dead launcher left behind; false (and does nothing) if a launcher is alive. */
  private boolean stopLeftoversUnlessRunning() {
    Optional<InstanceLock> lock = InstanceLock.tryAcquire(files.launcherLock());
    if (lock.isEmpty()) {
      return false;
    }
    try {
      Leftovers.stop(files, out);
    } finally {
      lock.get().close();
    }
    return true;
  }

  /** Prints each process of the stack with its pid, health and resident memory. */
  int status() {
    boolean launcherRunning =
        Files.isDirectory(files.run())
            && InstanceLock.tryAcquire(files.launcherLock())
                .map(
                    lock -> {
                      lock.close();
                      return false;
                    })
                .orElse(true);
    if (!launcherRunning) {
      out.println("GrowthOS is not running on " + files.root());
      return NOT_RUNNING;
    }
    Credentials credentials =
        Files.exists(files.credentials()) ? Credentials.read(files.credentials()) : null;
    out.println("GrowthOS is running on " + files.root());
    line("launcher", Processes.fromPidFile(files.pidFile("launcher")), "");
    if (credentials != null) {
      service(Launcher.INGEST, credentials.ingestUrl());
      service(Launcher.MANAGEMENT, credentials.managementUrl());
      out.println("  credentials        " + files.credentials());
    }
    line("postgres", LocalPostgres.postmaster(files), "");
    return 0;
  }

  private void service(String name, String url) {
    boolean healthy = ServiceProcess.isHealthy(URI.create(url).getPort());
    line(
        name,
        Processes.fromPidFile(files.pidFile(name)),
        url + (healthy ? "  UP" : "  not healthy"));
  }

  private void line(String name, Optional<ProcessHandle> process, String detail) {
    String state =
        process
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "pid %-8d %s",
                        p.pid(),
                        Processes.residentKib(p.pid())
                            .map(kib -> String.format(Locale.ROOT, "RSS %4d MiB", kib / 1024))
                            .orElse("")))
            .orElse("not running");
    out.printf(Locale.ROOT, "  %-18s %-28s %s%n", name, state, detail);
  }
}
