package io.growthos.platform.lifecycle;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * A start that fails because PostgreSQL cannot be used says so in a few lines (Spring Boot's
 * "APPLICATION FAILED TO START" report: what went wrong, what to set) instead of 200 lines of bean
 * creation exceptions with the cause at the bottom. It names the URL and the user, never the
 * password, and the variables of README's configuration table. Registered in {@code
 * META-INF/spring.factories}; a failure it does not recognise keeps Spring Boot's usual report.
 */
public final class DatabaseStartFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

  private static final String VARIABLES =
      "SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD";

  private final Environment environment;

  public DatabaseStartFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
    String state = cause.getSQLState();
    if (state == null) {
      return null;
    }
    String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url unset)");
    String user = environment.getProperty("spring.datasource.username", "(unset)");
    String reason = cause.getMessage();
    if (state.startsWith("08")) {
      return new FailureAnalysis(
          "GrowthOS could not connect to PostgreSQL at "
              + url
              + ": "
              + reason
              + " The service needs its database to start (it migrates it with Flyway first).",
          "Start PostgreSQL (15, 16 or 17) or point the service at one: set "
              + VARIABLES
              + ". A database that accepts connections but does not answer gives up after 10 s"
              + " (pgjdbc's loginTimeout).",
          cause);
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return new FailureAnalysis(
          "PostgreSQL at " + url + " refused user '" + user + "': " + reason,
          "Set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to a role that may log in"
              + " to that database (the password is not shown here).",
          cause);
    }
    if (state.equals("3D000")) {
      return new FailureAnalysis(
          "PostgreSQL at " + url + " has no such database: " + reason,
          "Create it (createdb, or CREATE DATABASE … OWNER "
              + user
              + ") or set"
              + " SPRING_DATASOURCE_URL to one that exists; Flyway creates the tables, not the"
              + " database.",
          cause);
    }
    if (state.equals("53300")) {
      return new FailureAnalysis(
          "PostgreSQL at " + url + " has no connection slots left: " + reason,
          "Raise PostgreSQL's max_connections or lower SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE:"
              + " each ingest copy holds about 11 connections and each management copy about 14"
              + " (docs/deployment.md).",
          cause);
    }
    return null;
  }
}
