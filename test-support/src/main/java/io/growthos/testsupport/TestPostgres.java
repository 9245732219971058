package io.growthos.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL server of this test JVM, started on first use: a Testcontainers
 * PostgreSQL 17 where Docker runs, otherwise embedded PostgreSQL 17 (real binaries from Maven
 * Central). {@code GROWTHOS_TEST_DB=embedded|docker} forces one.
 *
 * <p>Each Spring test context gets the shared database {@code growthos}; tests that need an empty
 * database (migrations, concurrent starts) ask for a {@link #newDatabase fresh one}.
 */
public final class TestPostgres {

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger counter = new AtomicInteger();
  private static volatile TestPostgres instance;

  private final String host;
  private final int port;
  private final String user;
  private final String password;

  private TestPostgres(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** The server, started on first call. */
  public static TestPostgres get() {
    TestPostgres local = instance;
    if (local == null) {
      synchronized (TestPostgres.class) {
        local = instance;
        if (local == null) {
          local = start();
          local.createDatabase("growthos");
          instance = local;
        }
      }
    }
    return local;
  }

  private static TestPostgres start() {
    String forced = System.getenv().getOrDefault("GROWTHOS_TEST_DB", "");
    boolean docker =
        switch (forced) {
          case "docker" -> true;
          case "embedded" -> false;
          default -> dockerAvailable();
        };
    if (docker) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      log.info("Tests use Testcontainers PostgreSQL at {}", container.getJdbcUrl());
      return new TestPostgres(
          container.getHost(),
          container.getMappedPort(5432),
          container.getUsername(),
          container.getPassword());
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException ignored) {
                      // the JVM is going away; the data directory is temporary
                    }
                  }));
      log.info("Docker not available: tests use embedded PostgreSQL on port {}", pg.getPort());
      return new TestPostgres("localhost", pg.getPort(), "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** JDBC URL of the shared {@code growthos} database. */
  public String jdbcUrl() {
    return jdbcUrl("growthos");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String username() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Creates an empty database with a unique name and returns its JDBC URL. */
  public String newDatabase(String hint) {
    String name = hint.replaceAll("[^a-z0-9_]", "_") + "_" + counter.incrementAndGet();
    createDatabase(name);
    return jdbcUrl(name);
  }

  private void createDatabase(String name) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
  }
}
