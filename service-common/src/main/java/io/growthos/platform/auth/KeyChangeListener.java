package io.growthos.platform.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;

/**
 * Makes a revoke, a roll or a plan change committed anywhere apply in this service copy at once: it
 * listens on the PostgreSQL channel {@value #CHANNEL}, which the transaction of each such change
 * notifies ({@link KeyAuthenticator#changeCommitsWithThisTransaction}), and clears the {@link
 * KeyAuthenticator} cache on each notification, which PostgreSQL delivers at commit. Without it
 * another copy, or the Ingest API for a write key the Management API revoked, kept accepting the
 * key from its cache for up to {@code growthos.auth.cache-ttl}. (Notified by the application, not
 * by triggers, so the tables stay free of triggers and can be distributed, as with Citus.)
 *
 * <p>One dedicated connection (not from the pool, so it never takes a request's connection). When
 * it is lost (the database restarts), cached keys keep serving until their TTL as before, so a
 * database outage does not turn every cached key into a lookup that fails; the listener reconnects
 * every second and clears the cache once connected again, since a notification may have been missed
 * meanwhile.
 */
public class KeyChangeListener implements SmartLifecycle {

  /** The channel key changes are notified on. */
  public static final String CHANNEL = "growthos_keys_changed";

  private static final Logger log = LoggerFactory.getLogger(KeyChangeListener.class);
  private static final int POLL_MILLIS = 500;
  private static final long RETRY_MILLIS = 1_000;

  private final JdbcConnectionDetails database;
  private final KeyAuthenticator authenticator;
  private volatile Thread thread;
  private volatile Connection connection;
  private volatile boolean listening;

  public KeyChangeListener(JdbcConnectionDetails database, KeyAuthenticator authenticator) {
    this.database = database;
    this.authenticator = authenticator;
  }

  @Override
  public void start() {
    Thread t = new Thread(this::run, "key-change-listener");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void run() {
    boolean warned = false;
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection c = connect()) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("listen " + CHANNEL);
        }
        // Anything committed before the LISTEN took effect was not heard: start afresh.
        authenticator.evictAll();
        listening = true;
        if (warned) {
          log.info("Listening for key changes again; cached keys cleared.");
          warned = false;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!Thread.currentThread().isInterrupted()) {
          PGNotification[] heard = pg.getNotifications(POLL_MILLIS);
          if (heard != null && heard.length > 0) {
            authenticator.evictAll();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted() || thread == null) {
          return;
        }
        if (!warned) {
          log.warn(
              "Not listening for key changes ({}); revokes, rolls and plan changes made elsewhere"
                  + " apply here within growthos.auth.cache-ttl until reconnected.",
              e.getClass().getSimpleName());
          warned = true;
        }
      } finally {
        listening = false;
        connection = null;
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    if (database.getUsername() != null) {
      props.setProperty("user", database.getUsername());
    }
    if (database.getPassword() != null) {
      props.setProperty("password", database.getPassword());
    }
    props.setProperty("ApplicationName", "growthos key-change-listener");
    props.setProperty("connectTimeout", "3");
    // A dropped connection is noticed by the next poll rather than never.
    props.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(database.getJdbcUrl(), props);
    c.setAutoCommit(true);
    return c;
  }

  @Override
  public void stop() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
    }
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  /** Whether changes are being heard now (the connection is up and listening). */
  public boolean isListening() {
    return listening;
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }
}
