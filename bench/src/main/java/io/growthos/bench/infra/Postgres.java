package io.growthos.bench.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server of a bench run: an embedded PostgreSQL 17 in a temporary directory (stopped
 * and deleted at the end), or an existing server given by a JDBC URL. Each service under test gets
 * a fresh database of its own on it, so runs never see each other's rows.
 *
 * <p>The embedded server runs with PostgreSQL's durable defaults, {@code synchronous_commit=on} and
 * {@code fsync=on}, which the embedded library turns off for tests: the ingest contract is "ACK
 * after a durable commit", so a benchmark that let commits skip the WAL flush would measure a
 * different product.
 */
public final class Postgres implements AutoCloseable {

  private final EmbeddedPostgres embedded;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String adminDatabase;
  private long postmasterPid = -2;

  private Postgres(
      EmbeddedPostgres embedded,
      String host,
      int port,
      String user,
      String password,
      String adminDatabase) {
    this.embedded = embedded;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.adminDatabase = adminDatabase;
  }

  /** Starts an embedded server in a fresh temporary directory. */
  public static Postgres embedded() throws IOException {
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "200")
            .setCleanDataDirectory(true)
            .start();
    return new Postgres(pg, "localhost", pg.getPort(), "postgres", "postgres", "postgres");
  }

  /** Uses an existing server; {@code jdbcUrl} names any database the user may connect to. */
  public static Postgres existing(String jdbcUrl, String user, String password) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String db =
        uri.getPath() == null || uri.getPath().length() <= 1
            ? "postgres"
            : uri.getPath().substring(1);
    return new Postgres(
        null, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, db);
  }

  /** Drops (if present) and creates database {@code name}; returns its JDBC URL. */
  public String freshDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), user, password);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name + " with (force)");
      s.execute("create database " + name);
    }
    return jdbcUrl(name);
  }

  /** Creates database {@code name} unless it exists; returns its JDBC URL. */
  public String database(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), user, password);
        java.sql.PreparedStatement q =
            c.prepareStatement("select 1 from pg_database where datname = ?")) {
      q.setString(1, name);
      boolean exists;
      try (ResultSet rs = q.executeQuery()) {
        exists = rs.next();
      }
      if (!exists) {
        try (Statement s = c.createStatement()) {
          s.execute("create database " + name);
        }
      }
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Where the data lives and how commits are flushed, for the report. */
  public String describe() {
    String where = embedded != null ? "embedded PostgreSQL" : "PostgreSQL at " + host + ":" + port;
    try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), user, password);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('server_version'), current_setting('synchronous_commit'),"
                    + " current_setting('fsync'), current_setting('shared_buffers')")) {
      rs.next();
      return where
          + " "
          + rs.getString(1)
          + " (synchronous_commit="
          + rs.getString(2)
          + ", fsync="
          + rs.getString(3)
          + ", shared_buffers="
          + rs.getString(4)
          + ")";
    } catch (SQLException e) {
      return where;
    }
  }

  /**
   * The postmaster's pid, read from {@code postmaster.pid} in the data directory when this machine
   * can read it; -1 otherwise (CPU of PostgreSQL is then not reported).
   */
  public synchronized long postmasterPid() {
    if (postmasterPid == -2) {
      postmasterPid = readPostmasterPid();
    }
    return postmasterPid;
  }

  private long readPostmasterPid() {
    try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_setting('data_directory')")) {
      rs.next();
      Path pidFile = Path.of(rs.getString(1), "postmaster.pid");
      return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (SQLException | IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
