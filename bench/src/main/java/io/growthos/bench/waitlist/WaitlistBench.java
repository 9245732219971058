package io.growthos.bench.waitlist;

import io.growthos.bench.infra.Postgres;
import io.growthos.core.campaigns.Participants;
import io.growthos.core.campaigns.WaitlistRanks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Latency of reading one waitlist position ({@link Participants#find}) at {@code n} participants
 * (default 1,000,000), against the naive {@code count(*)} of the people ahead, on one connection.
 *
 * <p>Seeds one campaign directly with SQL (contacts and participants with gap-free join_seq, 10% of
 * them with 1–5 qualified referrals at 3 spots each) and builds the rank tree from the same scores
 * with {@link WaitlistRanks}, exactly as the join path would. Then reads the positions of random
 * participants. Embedded PostgreSQL unless {@code -Dgrowthos.bench.jdbc-url=…} (with {@code .user},
 * {@code .password}) names a server.
 *
 * <p>Run: {@code bench/run waitlist [participants] [reads]}.
 */
public final class WaitlistBench {

  private static final String WS = "ws_bench";
  private static final String CMP = "cmp_bench";
  private static final int SPOTS = 3;

  private WaitlistBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int reads = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    String url = System.getProperty("growthos.bench.jdbc-url");
    try (Postgres pg =
        url == null
            ? Postgres.embedded()
            : Postgres.existing(
                url,
                System.getProperty("growthos.bench.jdbc-url.user", "postgres"),
                System.getProperty("growthos.bench.jdbc-url.password", ""))) {
      String db = pg.freshDatabase("growthos_bench_waitlist");
      Flyway.configure()
          .dataSource(db, pg.user(), pg.password())
          .locations("classpath:db/migration")
          .load()
          .migrate();
      try (Connection c = pg.connect(db)) {
        long t0 = System.nanoTime();
        long[] scores = seed(c, n);
        System.out.printf(
            "seeded %,d participants and their rank tree in %.1f s%n",
            n, (System.nanoTime() - t0) / 1e9);
        try (Statement s = c.createStatement()) {
          s.execute("vacuum analyze");
        }
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
        Participants participants = new Participants(jdbc);
        Random random = new Random(42);
        // Warm-up, then measure.
        for (int i = 0; i < 1_000; i++) {
          participants.find(WS, CMP, id(1 + random.nextInt(n)));
        }
        long[] tree = new long[reads];
        for (int i = 0; i < reads; i++) {
          int seq = 1 + random.nextInt(n);
          long start = System.nanoTime();
          long position = participants.find(WS, CMP, id(seq)).orElseThrow().position();
          tree[i] = System.nanoTime() - start;
          if (i < 20) {
            long expected = expectedPosition(scores, seq);
            if (position != expected) {
              throw new IllegalStateException(
                  "position of " + seq + " is " + position + ", expected " + expected);
            }
          }
        }
        int naiveReads = Math.min(reads, 200);
        long[] naive = new long[naiveReads];
        for (int i = 0; i < naiveReads; i++) {
          int seq = 1 + random.nextInt(n);
          long start = System.nanoTime();
          jdbc.queryForObject(
              "select count(*) from campaign_participants t, campaign_participants me where"
                  + " me.workspace_id = ? and me.campaign_id = ? and me.id = ? and t.workspace_id"
                  + " = me.workspace_id and t.campaign_id = me.campaign_id and t.admitted_at is"
                  + " null and (t.score, t.join_seq) < (me.score, me.join_seq)",
              Long.class,
              WS,
              CMP,
              id(seq));
          naive[i] = System.nanoTime() - start;
        }
        report("rank tree (Participants.find)", tree);
        report("naive count(*) of people ahead", naive);
      }
    }
  }

  private static long expectedPosition(long[] scores, int seq) {
    long mine = scores[seq];
    long ahead = 0;
    for (int k = 1; k < scores.length; k++) {
      if (scores[k] < mine || (scores[k] == mine && k < seq)) {
        ahead++;
      }
    }
    return ahead + 1;
  }

  private static String id(int seq) {
    return "part_" + seq;
  }

  /** Seeds with SQL; returns the score of each join_seq (index 0 unused). */
  private static long[] seed(Connection c, int n) throws Exception {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("insert into workspaces (id, name, plan) values ('" + WS + "', 'bench', 'scale')");
      s.execute(
          "insert into campaigns (workspace_id, id, type, name, status, settings) values ('"
              + WS
              + "', '"
              + CMP
              + "', 'waitlist', 'bench', 'active', '{\"spots_per_referral\": "
              + SPOTS
              + ", \"require_verification\": false, \"landing_url\": null}')");
      s.execute("insert into campaign_counters values ('" + WS + "', '" + CMP + "', " + n + ")");
      s.execute(
          "insert into contacts (workspace_id, id, email) select '"
              + WS
              + "', 'cntct_' || i, 'p' || i || '@example.com' from generate_series(1, "
              + n
              + ") i");
    }
    Random random = new Random(7);
    long[] scores = new long[n + 1];
    int[] qualified = new int[n + 1];
    for (int seq = 1; seq <= n; seq++) {
      qualified[seq] = random.nextInt(10) == 0 ? 1 + random.nextInt(5) : 0;
      scores[seq] = WaitlistRanks.score(seq, SPOTS, qualified[seq]);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
                + " email_normalized, referral_code, join_seq, qualified_referrals, score)"
                + " select ?, ?, 'part_' || s, 'cntct_' || s, 'p' || s || '@example.com',"
                + " 'C' || s, s, q, sc from unnest(?::bigint[], ?::int[], ?::bigint[]) as t(s, q,"
                + " sc)")) {
      int chunk = 100_000;
      for (int from = 1; from <= n; from += chunk) {
        int to = Math.min(n, from + chunk - 1);
        List<Long> seqs = new ArrayList<>();
        List<Integer> qs = new ArrayList<>();
        List<Long> ss = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
          seqs.add((long) seq);
          qs.add(qualified[seq]);
          ss.add(scores[seq]);
        }
        ps.setString(1, WS);
        ps.setString(2, CMP);
        ps.setString(3, array(seqs));
        ps.setString(4, array(qs));
        ps.setString(5, array(ss));
        ps.executeUpdate();
      }
    }
    Map<Long, Long> nodes = new HashMap<>();
    for (int seq = 1; seq <= n; seq++) {
      for (long node : WaitlistRanks.updateNodes(scores[seq])) {
        nodes.merge(node, 1L, Long::sum);
      }
    }
    Long[] keys = nodes.keySet().toArray(new Long[0]);
    Arrays.sort(keys);
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into waitlist_rank_nodes (workspace_id, campaign_id, node, count)"
                + " select ?, ?, a, b from unnest(?::bigint[], ?::bigint[]) as t(a, b)")) {
      int chunk = 100_000;
      for (int from = 0; from < keys.length; from += chunk) {
        List<Long> ns = new ArrayList<>();
        List<Long> cs = new ArrayList<>();
        for (int k = from; k < Math.min(keys.length, from + chunk); k++) {
          ns.add(keys[k]);
          cs.add(nodes.get(keys[k]));
        }
        ps.setString(1, WS);
        ps.setString(2, CMP);
        ps.setString(3, array(ns));
        ps.setString(4, array(cs));
        ps.executeUpdate();
      }
    }
    System.out.printf("rank tree rows: %,d%n", keys.length);
    c.commit();
    c.setAutoCommit(true);
    return scores;
  }

  private static String array(List<? extends Number> values) {
    StringBuilder sb = new StringBuilder(values.size() * 8).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(values.get(i));
    }
    return sb.append('}').toString();
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-34s reads %,6d  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
