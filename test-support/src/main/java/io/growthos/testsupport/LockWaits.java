package io.growthos.testsupport;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Forces an interleaving in a race test: the test holds a lock in a transaction of its own, starts
 * the request under test, and waits here until PostgreSQL shows that request's session blocked on a
 * lock, so that what the test does next (commit a pause, a deletion) happens while the request is
 * inside its transaction. The sessions are read from {@code pg_stat_activity} through a connection
 * of its own, so it may be called inside the test's transaction.
 */
public final class LockWaits {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private LockWaits() {}

  /**
   * Returns once another session of this database waits for a lock while running a statement that
   * matches one of {@code likePatterns} (SQL {@code LIKE}, e.g. {@code "%campaign_counters%"}), or
   * once {@code done} (may be null) has completed without waiting; fails after 20 seconds.
   */
  public static void awaitLockWait(DataSource db, Future<?> done, String... likePatterns) {
    awaitLockWait(db, done, List.of(likePatterns), List.of());
  }

  /** As above, leaving out sessions whose statement matches one of {@code notLikePatterns}. */
  public static void awaitLockWait(
      DataSource db, Future<?> done, List<String> likePatterns, List<String> notLikePatterns) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Connection c = db.getConnection()) {
      Array like = c.createArrayOf("text", likePatterns.toArray());
      Array notLike = c.createArrayOf("text", notLikePatterns.toArray());
      while (done == null || !done.isDone()) {
        if (waiting(c, like, notLike) > 0) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "no session waited for a lock running a statement like "
                  + likePatterns
                  + " within "
                  + TIMEOUT.toSeconds()
                  + " s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long waiting(Connection c, Array like, Array notLike) throws SQLException {
    // Statistics are a snapshot per transaction unless cleared.
    try (PreparedStatement clear = c.prepareStatement("select pg_stat_clear_snapshot()")) {
      clear.execute();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and datname = current_database() and pid <> pg_backend_pid()"
                + " and query like any (?) and not (query like any (?))")) {
      s.setArray(1, like);
      s.setArray(2, notLike);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
