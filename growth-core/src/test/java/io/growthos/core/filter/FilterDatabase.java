package io.growthos.core.filter;

import io.growthos.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** A fresh PostgreSQL database with the real migrations, once per test JVM. */
final class FilterDatabase {

  private static JdbcTemplate jdbc;

  private FilterDatabase() {}

  static synchronized JdbcTemplate jdbc() {
    if (jdbc == null) {
      TestPostgres pg = TestPostgres.get();
      SimpleDriverDataSource ds =
          new SimpleDriverDataSource(
              new org.postgresql.Driver(), pg.newDatabase("filter"), pg.username(), pg.password());
      Flyway.configure().dataSource(ds).load().migrate();
      jdbc = new JdbcTemplate(ds);
    }
    return jdbc;
  }

  static void createWorkspace(String id) {
    jdbc().update("insert into workspaces (id, name, plan) values (?, ?, 'free')", id, id);
  }
}
