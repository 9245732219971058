package io.growthos.management.query;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs read queries in a read-only transaction with {@code SET LOCAL statement_timeout}, so
 * PostgreSQL itself cancels a query that runs too long (and frees the connection); a cancelled
 * query is 503 {@code query_timeout}, which is safe to retry.
 *
 * <p>Called inside a transaction of the caller (a POST sent with an {@code Idempotency-Key} runs in
 * one, which stores its response), the queries run on that transaction's connection behind a
 * savepoint: a failed or cancelled query rolls back to it and leaves the caller's transaction
 * usable, and the settings are put back as they were. A transaction of their own took a second
 * connection of the main pool while the caller's held the first, so as many such requests as the
 * pool has connections waited for each other until the pool's timeout (503 {@code
 * service_unavailable} for every one), and one free connection was not enough for one preview.
 */
@Component
@EnableConfigurationProperties(QueryProperties.class)
public class ReadQueries {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final long timeoutMillis;

  ReadQueries(JdbcTemplate jdbc, PlatformTransactionManager tm, QueryProperties props) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(tm);
    this.tx.setReadOnly(true);
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.timeoutMillis = Math.max(1, props.timeout().toMillis());
  }

  /** Runs {@code work} with the timeout in force; its queries use the given template. */
  public <T> T run(Function<JdbcTemplate, T> work) {
    return run(timeoutMillis, work);
  }

  /** As {@link #run(Function)} with another timeout (tests, or callers with their own limit). */
  public <T> T run(java.time.Duration timeout, Function<JdbcTemplate, T> work) {
    return run(Math.max(1, timeout.toMillis()), work);
  }

  private <T> T run(long timeoutMillis, Function<JdbcTemplate, T> work) {
    try {
      if (TransactionSynchronizationManager.isActualTransactionActive()) {
        return inCallersTransaction(timeoutMillis, work);
      }
      return tx.execute(
          status -> {
            settings(timeoutMillis);
            return work.apply(jdbc);
          });
    } catch (DataAccessException e) {
      if (cancelled(e)) {
        throw new ApiException(
            ErrorCode.QUERY_TIMEOUT,
            "The query took longer than "
                + timeoutMillis
                + " ms and was cancelled; narrow it or"
                + " retry later.",
            List.of());
      }
      throw e;
    }
  }

  private void settings(long timeoutMillis) {
    jdbc.execute("set local statement_timeout = " + timeoutMillis);
    // Compiled filters keep their SQL text for every value (values are bind parameters), so after
    // a few runs PostgreSQL would plan them once for any value (a generic plan): blind to how many
    // contacts a trait value or an event name selects. Planning each run costs about a
    // millisecond; the generic plan of the benchmark's segment count took 4.0 s where the
    // planned-for-the-values one took 1.25 s.
    jdbc.execute("set local plan_cache_mode = force_custom_plan");
  }

  /**
   * {@code work} on the connection of the caller's transaction, behind a savepoint. SET LOCAL would
   * last until that transaction ends, so the settings are read first and put back after the work; a
   * rollback to the savepoint undoes them by itself.
   */
  private <T> T inCallersTransaction(long timeoutMillis, Function<JdbcTemplate, T> work) {
    List<String> before =
        jdbc.queryForObject(
            "select current_setting('statement_timeout'), current_setting('plan_cache_mode')",
            (rs, n) -> List.of(rs.getString(1), rs.getString(2)));
    jdbc.execute("savepoint growthos_read_queries");
    T result;
    try {
      settings(timeoutMillis);
      result = work.apply(jdbc);
    } catch (RuntimeException e) {
      jdbc.execute("rollback to savepoint growthos_read_queries");
      throw e;
    }
    jdbc.queryForList(
        "select set_config('statement_timeout', ?, true), set_config('plan_cache_mode', ?, true)",
        before.get(0),
        before.get(1));
    jdbc.execute("release savepoint growthos_read_queries");
    return result;
  }

  private static boolean cancelled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
