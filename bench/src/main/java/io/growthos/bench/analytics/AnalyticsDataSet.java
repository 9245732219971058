package io.growthos.bench.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A synthetic analytics data set written by SQL ({@code generate_series}) straight into the
 * database: one large workspace plus noise in other workspaces, so a query that forgot its
 * workspace bound would show in the figures. Deterministic for a given seed ({@code setseed}).
 *
 * <p>Shape of the large workspace: {@code contacts} contacts with traits {@code plan} (free 60%,
 * growth 30%, scale 10%) and {@code country}; {@code events} track events spread uniformly over the
 * {@link #DAYS} days before {@code end}, by contacts drawn uniformly, with event names of skewed
 * frequency ({@link #EVENT_NAMES}, the first the most frequent) and properties {@code plan}, {@code
 * amount} (a number) and {@code path}. About 5% of events are anonymous (no contact). Each noise
 * workspace gets 1% of the contacts and events of the large one.
 *
 * <p>Reused by the segments benchmark; keep the shape stable or say so in the commit.
 */
public final class AnalyticsDataSet {

  /** Days of history before {@code end}. */
  public static final int DAYS = 90;

  /** Track event names, most frequent first (weights {@link #WEIGHTS}). */
  public static final List<String> EVENT_NAMES =
      List.of(
          "Page Viewed",
          "Product Viewed",
          "Signed Up",
          "Added To Cart",
          "Checkout Started",
          "Order Completed",
          "Invite Sent",
          "Trial Started",
          "Subscription Upgraded",
          "Support Ticket Opened");

  /** Relative frequency of each of {@link #EVENT_NAMES}, summing to 100. */
  static final int[] WEIGHTS = {40, 20, 8, 8, 6, 5, 4, 4, 3, 2};

  /**
   * What was written.
   *
   * @param workspaceId the large workspace
   * @param contacts its contacts
   * @param events its events
   * @param noiseWorkspaces other workspaces written
   * @param from the earliest event time
   * @param end every event is before this
   * @param seconds time it took
   */
  public record Summary(
      String workspaceId,
      long contacts,
      long events,
      int noiseWorkspaces,
      Instant from,
      Instant end,
      double seconds) {}

  private AnalyticsDataSet() {}

  /**
   * Creates workspace {@code workspaceId} if missing and fills it, then {@code noiseWorkspaces}
   * more workspaces with 1% as much each, and analyses the tables.
   */
  public static Summary generate(
      Connection c,
      String workspaceId,
      long contacts,
      long events,
      int noiseWorkspaces,
      Instant end,
      double seed)
      throws SQLException {
    long t0 = System.nanoTime();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement s = c.prepareStatement("select setseed(?)")) {
        s.setDouble(1, seed);
        s.execute();
      }
      // Indexes are dropped for the fill and built again afterwards: building an index from sorted
      // rows is many times faster than 10,000,000 random inserts into seven of them.
      List<String> indexes = dropSecondaryIndexes(c);
      fill(c, workspaceId, "main", contacts, events, end);
      for (int i = 0; i < noiseWorkspaces; i++) {
        fill(
            c,
            "ws_bnoise" + i,
            "n" + i,
            Math.max(1, contacts / 100),
            Math.max(1, events / 100),
            end);
      }
      try (Statement s = c.createStatement()) {
        s.execute("set local maintenance_work_mem = '512MB'");
        for (String index : indexes) {
          s.execute(index);
        }
      }
      c.commit();
    } finally {
      c.setAutoCommit(auto);
    }
    try (Statement s = c.createStatement()) {
      // What autovacuum does to an insert-only table in production: statistics, and the visibility
      // map that lets index-only scans skip the heap (the baseline count(*) uses one too).
      s.execute("vacuum analyze contacts");
      s.execute("vacuum analyze events");
    }
    return new Summary(
        workspaceId,
        contacts,
        events,
        noiseWorkspaces,
        end.minus(Duration.ofDays(DAYS)),
        end,
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Records in the database (table {@code bench_analytics_data_set}) that {@code data} was
   * generated there completely with {@code seed}, for {@link #stored}.
   */
  public static void store(Connection c, Summary data, double seed) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "create table if not exists bench_analytics_data_set (workspace_id text not null,"
              + " contacts bigint not null, events bigint not null, noise_workspaces int not null,"
              + " seed double precision not null, end_at timestamptz not null, seconds double"
              + " precision not null)");
      s.execute("delete from bench_analytics_data_set");
    }
    try (PreparedStatement s =
        c.prepareStatement("insert into bench_analytics_data_set values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, data.workspaceId());
      s.setLong(2, data.contacts());
      s.setLong(3, data.events());
      s.setInt(4, data.noiseWorkspaces());
      s.setDouble(5, seed);
      s.setTimestamp(6, java.sql.Timestamp.from(data.end()));
      s.setDouble(7, data.seconds());
      s.execute();
    }
  }

  /**
   * The data set {@link #store} recorded in this database if it has this shape and seed; null when
   * there is none (never generated, interrupted, or of another size).
   */
  public static Summary stored(
      Connection c, long contacts, long events, int noiseWorkspaces, double seed)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select workspace_id, end_at, seconds from bench_analytics_data_set where contacts = ?"
                + " and events = ? and noise_workspaces = ? and seed = ?"
                + " and to_regclass('events') is not null")) {
      s.setLong(1, contacts);
      s.setLong(2, events);
      s.setInt(3, noiseWorkspaces);
      s.setDouble(4, seed);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Instant end = rs.getTimestamp(2).toInstant();
        return new Summary(
            rs.getString(1),
            contacts,
            events,
            noiseWorkspaces,
            end.minus(Duration.ofDays(DAYS)),
            end,
            rs.getDouble(3));
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) { // undefined_table: nothing stored yet
        return null;
      }
      throw e;
    }
  }

  /**
   * Drops the indexes of {@code events} and {@code contacts} that back no constraint (in this
   * transaction) and returns their definitions, to be created again after the fill.
   */
  private static List<String> dropSecondaryIndexes(Connection c) throws SQLException {
    List<String> definitions = new java.util.ArrayList<>();
    List<String> names = new java.util.ArrayList<>();
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "select indexname, indexdef from pg_indexes i where schemaname = current_schema()"
                    + " and tablename in ('events', 'contacts') and not exists (select 1 from"
                    + " pg_constraint k where k.conname = i.indexname)")) {
      while (rs.next()) {
        names.add(rs.getString(1));
        definitions.add(rs.getString(2));
      }
    }
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("drop index \"" + name + "\"");
      }
    }
    return definitions;
  }

  private static void fill(
      Connection c, String workspaceId, String tag, long contacts, long events, Instant end)
      throws SQLException {
    try (PreparedStatement ws =
        c.prepareStatement(
            "insert into workspaces (id, name, plan) values (?, ?, 'scale')"
                + " on conflict (id) do nothing")) {
      ws.setString(1, workspaceId);
      ws.setString(2, "analytics bench " + tag);
      ws.execute();
    }
    Instant start = end.minus(Duration.ofDays(DAYS)).truncatedTo(ChronoUnit.MILLIS);
    try (PreparedStatement s =
        c.prepareStatement(
            """
            insert into contacts (workspace_id, id, user_id, email, traits, first_seen_at,
                                  last_seen_at, created_at, updated_at)
            select ?, 'cntct_' || ? || '_' || g, 'u-' || ? || '-' || g, 'u' || g || '@example.com',
                   jsonb_build_object(
                     'plan', case when r < 0.6 then 'free' when r < 0.9 then 'growth'
                                  else 'scale' end,
                     'country', (array['US','DE','FR','GB','IN','BR','JP','CA'])[1 + (g % 8)]),
                   ?, ?, ?, ?
            from (select g, random() r from generate_series(1, ?) g) s
            """)) {
      int i = 1;
      s.setString(i++, workspaceId);
      s.setString(i++, tag);
      s.setString(i++, tag);
      java.sql.Timestamp at = java.sql.Timestamp.from(start);
      s.setTimestamp(i++, at);
      s.setTimestamp(i++, at);
      s.setTimestamp(i++, at);
      s.setTimestamp(i++, at);
      s.setLong(i, contacts);
      s.execute();
    }
    StringBuilder cumulative = new StringBuilder("array[");
    int sum = 0;
    for (int k = 0; k < WEIGHTS.length; k++) {
      sum += WEIGHTS[k];
      cumulative.append(k == 0 ? "" : ",").append(sum);
    }
    cumulative.append(']');
    try (PreparedStatement s =
        c.prepareStatement(
            """
            insert into events (workspace_id, id, message_id, type, event, user_id, anonymous_id,
                                contact_id, properties, context, timestamp, received_at)
            select ?, 'evt_' || ? || '_' || g, 'm-' || g, 'track', (?::text[])
                     [(select count(*) from unnest(%s) w where w <= r100) + 1],
                   case when anon then null else 'u-' || ? || '-' || who end,
                   case when anon then 'anon-' || (g %% 100000) end,
                   case when anon then null else 'cntct_' || ? || '_' || who end,
                   jsonb_build_object('plan', (array['free','growth','scale'])[1 + (g %% 3)],
                                      'amount', (g %% 1000) / 10.0,
                                      'path', '/p/' || (g %% 50)),
                   '{}'::jsonb, ts, ts
            from (select g, floor(random() * 100)::int r100, random() < 0.05 anon,
                         1 + floor(random() * ?)::bigint who,
                         ?::timestamptz + random() * (? * interval '1 second') as ts
                  from generate_series(1, ?) g) s
            """
                .formatted(cumulative))) {
      int i = 1;
      s.setString(i++, workspaceId);
      s.setString(i++, tag);
      s.setArray(i++, c.createArrayOf("text", EVENT_NAMES.toArray()));
      s.setString(i++, tag);
      s.setString(i++, tag);
      s.setLong(i++, contacts);
      s.setTimestamp(i++, java.sql.Timestamp.from(start));
      s.setLong(i++, Duration.ofDays(DAYS).toSeconds());
      s.setLong(i, events);
      s.execute();
    }
  }
}
