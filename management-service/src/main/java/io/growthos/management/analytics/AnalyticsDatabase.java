package io.growthos.management.analytics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * The read path of analytics: a small Hikari pool of its own (not a {@code DataSource} bean, so the
 * application's main pool and JPA stay as Boot configures them) and one read-only transaction per
 * query whose statements are cancelled at {@link QueryProperties#timeout()}.
 *
 * <p>Why a pool of its own: a dozen concurrent heavy queries would otherwise hold every connection
 * of the service and contact CRUD would queue behind them. Here they queue for {@link
 * QueryProperties#poolSize()} connections and give up with 503 {@code query_timeout} after the
 * timeout. Ingest has its own service and pool.
 */
@Component
@EnableConfigurationProperties(QueryProperties.class)
public class AnalyticsDatabase implements DisposableBean {

  /** Work done on one connection inside the query's transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private static final String QUERY_CANCELED = "57014";

  private final HikariDataSource pool;
  private final QueryProperties properties;

  AnalyticsDatabase(JdbcConnectionDetails main, QueryProperties properties) {
    this.properties = properties;
    HikariConfig config = new HikariConfig();
    config.setPoolName("analytics");
    config.setJdbcUrl(main.getJdbcUrl());
    config.setUsername(main.getUsername());
    config.setPassword(main.getPassword());
    config.setMaximumPoolSize(properties.poolSize());
    config.setMinimumIdle(0);
    config.setReadOnly(true);
    config.setAutoCommit(false);
    config.setConnectionTimeout(Math.max(250, properties.timeout().toMillis()));
    // As the main pool (application.yml): a server that accepts the connection but never answers
    // its start-up handshake fails the attempt after 10 s, not never.
    config.addDataSourceProperty("loginTimeout", "10");
    // Started lazily: a service that never runs a query never opens a connection here.
    config.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(config);
  }

  /** The pool, for tests that need to hold its connections. */
  DataSource pool() {
    return pool;
  }

  /**
   * Runs {@code work} in a read-only, repeatable-read transaction (every statement of a query sees
   * the same snapshot) with {@code statement_timeout} set. A cancelled statement, or no free
   * connection within the timeout, is 503 {@code query_timeout}.
   */
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      try {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
          s.execute("set local statement_timeout = " + properties.timeout().toMillis());
          // JIT compilation pays off for queries running many seconds; these run for tenths of a
          // second and their row estimates (joins on the actor expression) are far too high, so
          // PostgreSQL inlined and optimised: 2.7 s of JIT in a 6.4 s funnel (EXPLAIN ANALYZE).
          s.execute("set local jit = off");
          // pgjdbc prepares a statement on the server from its fifth use, and PostgreSQL then
          // switches to a generic plan when its (parameter-blind) cost looks lower: for the trend
          // it estimated 147 events instead of 665,592 and hashed them in one process.
          s.execute("set local plan_cache_mode = force_custom_plan");
          // Validated by QueryProperties: digits and a unit only.
          s.execute("set local work_mem = '" + properties.workMem() + "'");
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLTransientConnectionException e) {
      throw timeout("No analytics connection was free within " + seconds() + ".");
    } catch (SQLException e) {
      if (canceled(e)) {
        throw cancelled();
      }
      throw new IllegalStateException("analytics query failed", e);
    } catch (RuntimeException e) {
      // A statement the work ran where it could not throw SQLException (the workspace's time
      // zone, read from a callback) was cancelled by the same timeout: until 2026-12-07 that was
      // a 500 (a black-box review, with a 1 ms timeout).
      if (!(e instanceof ApiException) && canceled(e)) {
        throw cancelled();
      }
      throw e;
    }
  }

  /** Whether {@code e} or one of its causes is PostgreSQL's {@code query_canceled}. */
  private static boolean canceled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private String seconds() {
    long ms = properties.timeout().toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private ApiException cancelled() {
    return timeout("The query did not finish within " + seconds() + "; narrow it and retry.");
  }

  private static ApiException timeout(String message) {
    return new ApiException(ErrorCode.QUERY_TIMEOUT, message);
  }

  @Override
  public void destroy() {
    pool.close();
  }
}
