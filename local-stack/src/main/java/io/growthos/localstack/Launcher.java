package io.growthos.localstack;

import io.growthos.model.runtime.ServiceJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code ./growthos start}: brings the stack up on its data directory, prints how to use it and
 * keeps it running until interrupted or until one of its processes dies (then it stops the rest and
 * exits non-zero). Whatever an earlier launcher left behind after a crash is stopped first.
 */
final class Launcher {

  static final String INGEST = ServiceJvm.Service.INGEST.module();
  static final String MANAGEMENT = ServiceJvm.Service.MANAGEMENT.module();
  // Spring's graceful shutdown, plus (first run on Java 17) writing the class data archive.
  private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(45);

  private final StackConfig config;
  private final StackFiles files;
  private final Map<String, String> env;
  private final PrintStream out;
  private final List<ServiceProcess> services = new ArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private LocalPostgres postgres;
  private volatile InstanceLock lock;
  private boolean stopping;
  private volatile int signalStatus;

  Launcher(StackConfig config, Map<String, String> env, PrintStream out) {
    this.config = config;
    this.files = config.files();
    this.env = env;
    this.out = out;
  }

  /** Runs the stack; returns the process exit code once it has stopped. */
  int run() {
    prepareDirectories();
    lock =
        InstanceLock.tryAcquire(files.launcherLock())
            .orElseThrow(
                () ->
                    new StackException(
                        "GrowthOS is already running on "
                            + files.root()
                            + Processes.fromPidFile(files.pidFile("launcher"))
                                .map(p -> " (launcher pid " + p.pid() + ")")
                                .orElse("")
                            + "; stop it with ./growthos stop"));
    Processes.writePid(files.pidFile("launcher"), ProcessHandle.current().pid());
    Leftovers.stop(files, out);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ServiceImage ingestImage =
        ServiceImage.prepare(INGEST, config.ingestJar(), files.serviceImages(), java);
    ServiceImage managementImage =
        ServiceImage.prepare(MANAGEMENT, config.managementJar(), files.serviceImages(), java);
    Ports.requireFree(config.ingestPort(), "GROWTHOS_INGEST_PORT", "ingest API");
    Ports.requireFree(config.managementPort(), "GROWTHOS_MANAGEMENT_PORT", "management API");
    Credentials credentials =
        Credentials.loadOrCreate(
            files.credentials(),
            "http://localhost:" + config.ingestPort(),
            "http://localhost:" + config.managementPort(),
            env);

    Signals.onTermination(this::stopOnSignal);
    // For every other way out (SIGHUP, or where the handler could not be installed).
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "growthos-stop"));
    out.println("Starting PostgreSQL (data in " + files.postgresData() + ")");
    LocalPostgres db = LocalPostgres.start(files, out);
    synchronized (this) {
      postgres = db;
    }
    Map<String, String> serviceEnv = new HashMap<>(credentials.bootstrapEnvironment());
    serviceEnv.put("SPRING_DATASOURCE_URL", db.jdbcUrl());
    serviceEnv.put("SPRING_DATASOURCE_USERNAME", LocalPostgres.USER);
    serviceEnv.put("SPRING_DATASOURCE_PASSWORD", LocalPostgres.USER);
    serviceEnv.put("GROWTHOS_INGEST_PORT", Integer.toString(config.ingestPort()));
    serviceEnv.put("GROWTHOS_MANAGEMENT_PORT", Integer.toString(config.managementPort()));
    serviceEnv.put("GROWTHOS_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    // Webhook receivers of a local stack run on this machine (docs/webhooks.md): allow loopback
    // and private URLs, which production refuses by default.
    serviceEnv.put("GROWTHOS_WEBHOOKS_ALLOW_PRIVATE_URLS", "true");
    List<ServiceSpec> all =
        List.of(
            new ServiceSpec(
                INGEST, ingestImage, config.ingestPort(), config.ingestJvmOptions(), serviceEnv),
            new ServiceSpec(
                MANAGEMENT,
                managementImage,
                config.managementPort(),
                config.managementJvmOptions(),
                serviceEnv));
    if (!trainingRun(all.stream().filter(s -> s.image().needsTrainingRun()).toList())) {
      return signalStatus; // stopped while preparing
    }
    out.println("Starting " + INGEST + " and " + MANAGEMENT + " (logs in " + files.logs() + ")");
    all.forEach(spec -> startService(spec, false));
    if (awaitHealthy() == null) {
      return signalStatus; // stopped while starting
    }
    printReady(credentials, db);
    return awaitFirstExit(db);
  }

  private void prepareDirectories() {
    try {
      Files.createDirectories(
          files.root(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.createDirectories(files.logs());
      Files.createDirectories(files.run());
    } catch (IOException e) {
      throw new StackException("cannot create " + files.root() + ": " + e.getMessage(), e);
    }
  }

  /** A service as the launcher runs it: its image, port, JVM options and environment. */
  private record ServiceSpec(
      String name,
      ServiceImage image,
      int port,
      List<String> jvmOptions,
      Map<String, String> environment) {}

  private synchronized void startService(ServiceSpec spec, boolean trainingRun) {
    if (!stopping) {
      services.add(
          ServiceProcess.start(
              spec.name(),
              spec.image(),
              spec.port(),
              spec.jvmOptions(),
              config,
              spec.environment(),
              files,
              trainingRun));
    }
  }

  /**
   * The first start of a build: a training run of each service that has no class data archive yet,
   * with the options, environment and ports of the real start, which stops by itself once its
   * Spring context is refreshed (Flyway has migrated, every bean is created; no web server, no
   * background work) and writes the archive as it exits; the launcher keeps it. The real start then
   * maps it, as every later start does. Fails as the real start would if a service fails to start;
   * an archive that is not written (the JVM then exits with 1 and says so in the log) only costs a
   * warning. Returns false if the stack is being stopped meanwhile.
   */
  private boolean trainingRun(List<ServiceSpec> needing) {
    if (needing.isEmpty()) {
      return true;
    }
    out.println(
        "Preparing faster starts for this build (once per build): a first run of "
            + needing.stream().map(ServiceSpec::name).collect(Collectors.joining(" and "))
            + (needing.size() == 1
                ? " records the classes it loads"
                : " records the classes they load")
            + " (logs in "
            + files.logs()
            + ")");
    out.flush();
    long started = System.nanoTime();
    needing.forEach(spec -> startService(spec, true));
    List<ServiceProcess> training = services();
    if (!awaitTrainingRun(training)) {
      return false;
    }
    synchronized (this) {
      services.removeAll(training);
    }
    List<String> took = new ArrayList<>();
    for (ServiceProcess service : training) {
      service.keepTrainingRunArchive();
      deleteQuietly(files.pidFile(service.name()));
      took.add(String.format(Locale.ROOT, "%s %.1f s", service.name(), seconds(service.ranFor())));
    }
    for (ServiceSpec spec : needing) {
      if (spec.image().writesArchiveAtExit()) {
        // Not tried again before each start of this build: the real run writes it at its stop.
        spec.image().trainingRunWroteNoArchive();
        out.println(
            "warning: "
                + spec.name()
                + " wrote no class data archive (see the log of that run, "
                + files.log(spec.name())
                + ".1); it starts without one this time and writes it when it stops");
      }
    }
    out.printf(
        Locale.ROOT,
        "Prepared in %.1f s (%s)%n",
        seconds(Duration.ofNanos(System.nanoTime() - started)),
        String.join(", ", took));
    return true;
  }

  /**
   * Waits until every training run has exited by itself; false if the stack is being stopped
   * meanwhile. A run that fails, or is not done within the start timeout, fails the start.
   */
  private boolean awaitTrainingRun(List<ServiceProcess> training) {
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    while (true) {
      if (stopping()) {
        return false;
      }
      List<ServiceProcess> running = training.stream().filter(ServiceProcess::isAlive).toList();
      for (ServiceProcess service : training) {
        // Exited with 1 because the JVM could not write the archive: only the speed-up is lost.
        if (!service.isAlive() && service.exitValue() != 0 && !service.failedOnArchive()) {
          return failedUnlessStopping(service);
        }
      }
      if (running.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        throw notHealthyInTime();
      }
      sleep(Duration.ofMillis(250));
    }
  }

  /**
   * A service that exited while starting fails the start, unless the stack is being stopped: Ctrl-C
   * in a terminal signals the services too, a moment before our own handler runs, so it gets that
   * moment first. Returns false (stopping) or throws.
   */
  private boolean failedUnlessStopping(ServiceProcess service) {
    sleep(Duration.ofSeconds(1));
    if (stopping()) {
      return false;
    }
    throw exitedWhileStarting(service);
  }

  private StackException exitedWhileStarting(ServiceProcess service) {
    return new StackException(
        service.name()
            + " exited with code "
            + service.exitValue()
            + " while starting; see "
            + service.log()
            + Logs.tail(service.log(), 20));
  }

  private StackException notHealthyInTime() {
    return new StackException(
        "services not healthy after "
            + config.startTimeout().toSeconds()
            + " s (GROWTHOS_START_TIMEOUT); see the logs in "
            + files.logs());
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private synchronized List<ServiceProcess> services() {
    return List.copyOf(services);
  }

  private synchronized boolean stopping() {
    return stopping;
  }

  /** Startup time of each service, or null if the stack is being stopped meanwhile. */
  private Map<String, Duration> awaitHealthy() {
    Map<String, Duration> startup = new LinkedHashMap<>();
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    while (startup.size() < services().size() || services().isEmpty()) {
      if (stopping()) {
        return null;
      }
      for (ServiceProcess service : services()) {
        if (startup.containsKey(service.name())) {
          continue;
        }
        if (!service.isAlive()) {
          failedUnlessStopping(service);
          return null;
        }
        if (service.isHealthy()) {
          Duration took = service.uptime();
          startup.put(service.name(), took);
          // CPU seconds beside the wall clock: on a busy machine they tell what the start cost.
          out.printf(
              Locale.ROOT,
              "%s is up on port %d (%.1f s, %.1f s of CPU)%n",
              service.name(),
              service.port(),
              seconds(took),
              seconds(service.cpuTime()));
        }
      }
      if (System.nanoTime() > deadline) {
        throw notHealthyInTime();
      }
      sleep(Duration.ofMillis(250));
    }
    return startup;
  }

  private void printReady(Credentials c, LocalPostgres db) {
    out.println();
    out.println("GrowthOS is running.");
    out.println();
    out.println("  Ingest API       " + c.ingestUrl() + "      (docs " + c.ingestUrl() + "/docs)");
    out.println(
        "  Management API   " + c.managementUrl() + "      (docs " + c.managementUrl() + "/docs)");
    out.println("  PostgreSQL       " + db.jdbcUrl() + "  (user postgres, no password)");
    out.println();
    out.println("  Workspace        " + c.workspaceId() + "  (plan scale)");
    out.println("  Write key        " + c.writeKey());
    out.println("  Secret key       " + c.secretKey() + "  (all scopes)");
    out.println("  Admin key        " + c.adminKey());
    out.println("  Saved in         " + files.credentials());
    out.println("  Logs             " + files.logs());
    out.println();
    out.println("Send an event:");
    out.println("  curl -u " + c.writeKey() + ": " + c.ingestUrl() + "/v1/track \\");
    out.println("    -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"userId\": \"user_1\", \"event\": \"Signed Up\"}'");
    out.println("Call the management API:");
    out.println(
        "  curl -H 'Authorization: Bearer "
            + c.secretKey()
            + "' "
            + c.managementUrl()
            + "/v1/contacts");
    out.println();
    out.println("Ctrl-C stops everything (or ./growthos stop from another terminal).");
    out.flush();
  }

  /** Blocks until a service or PostgreSQL exits; anything but our own stop is a failure. */
  private int awaitFirstExit(LocalPostgres db) {
    List<CompletableFuture<?>> exits = new ArrayList<>();
    for (ServiceProcess service : services()) {
      exits.add(
          service
              .onExit()
              .thenApply(
                  p ->
                      service.name()
                          + " exited with code "
                          + p.exitValue()
                          + "; see "
                          + service.log()
                          + Logs.tail(service.log(), 20)));
    }
    Optional<ProcessHandle> postmaster = db.postmaster();
    postmaster.ifPresent(
        p ->
            exits.add(
                p.onExit()
                    .thenApply(
                        x ->
                            "PostgreSQL (pid "
                                + p.pid()
                                + ") stopped; see "
                                + files.log("postgres"))));
    Object reason = CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new)).join();
    // Ctrl-C in a terminal signals the whole process group, so a service may exit a moment
    // before our own handler marks the stop as intended: give it that moment.
    sleep(Duration.ofSeconds(1));
    if (stopping()) {
      return signalStatus;
    }
    System.err.println("growthos: " + reason);
    return 1;
  }

  /** Exits as a shell expects of a signalled process (130 for SIGINT, 143 for SIGTERM). */
  private void stopOnSignal(int signal) {
    signalStatus = 128 + signal;
    stop();
    System.exit(signalStatus);
  }

  /**
   * Stops the services (SIGTERM: Spring's graceful shutdown, in parallel), then PostgreSQL, then
   * removes the pid files. Idempotent; a second caller waits until the first has finished, so the
   * JVM does not exit halfway through.
   */
  void stop() {
    List<ServiceProcess> running;
    LocalPostgres db;
    boolean first;
    synchronized (this) {
      first = !stopping;
      stopping = true;
      running = List.copyOf(services);
      db = postgres;
    }
    if (!first) {
      stopped.join();
      return;
    }
    try {
      stopOwned(running, db);
    } finally {
      stopped.complete(null);
    }
  }

  private void stopOwned(List<ServiceProcess> running, LocalPostgres db) {
    if (lock == null) {
      return; // another launcher owns this data directory and everything in it
    }
    boolean started = !running.isEmpty() || db != null;
    if (started) {
      out.println("Stopping GrowthOS...");
    }
    CompletableFuture.allOf(
            running.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.stop(SERVICE_STOP_GRACE)))
                .toArray(CompletableFuture[]::new))
        .join();
    if (db != null) {
      db.close();
    }
    for (ServiceProcess service : running) {
      deleteQuietly(files.pidFile(service.name()));
    }
    deleteQuietly(files.pidFile("launcher"));
    lock.close();
    if (started) {
      out.println("Stopped.");
      out.flush();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale pid file is harmless: every reader checks the process behind it
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
