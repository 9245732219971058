package io.growthos.core.campaigns;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The waitlist position rule and the index that makes reading it cheap.
 *
 * <p><b>Rule.</b> Each participant has a gap-free {@code joinSeq} (1, 2, 3, … per campaign) and a
 * score {@code joinSeq − spotsPerReferral × qualifiedReferrals}. Waiting participants (not yet
 * admitted) are ordered by {@code (score, joinSeq)}; a participant's position is 1 + the number of
 * waiting participants ahead in that order. So positions are unique, gap-free, never below 1, a
 * qualified referral moves the referrer up by {@code spotsPerReferral} places (fewer near the top),
 * and equal scores are broken by join time.
 *
 * <p><b>Index.</b> Counting the participants ahead with {@code count(*)} costs O(people ahead) in
 * PostgreSQL (it visits every index entry in the range). Instead the services keep a Fenwick tree
 * (binary indexed tree) of waiting participants per score in a table, one row per touched node:
 * {@code count(score < s)} is the sum of at most {@link #LEVELS} rows found by primary key, and a
 * change (join, qualified referral, admission) updates at most {@link #LEVELS} rows. Ties on the
 * same score are counted from the participants' {@code (score, join_seq)} index, a range that holds
 * only the equal scores.
 *
 * <p>Scores are clamped to [{@link #MIN_SCORE}, {@link #MAX_SCORE}] (±2^41, far beyond any real
 * list); within that range the order is exact.
 */
public final class WaitlistRanks {

  /** Levels of the tree: the domain is {@code [1, 2^LEVELS]}. */
  public static final int LEVELS = 42;

  /** The last index of the domain; its node counts every waiting participant. */
  public static final long ROOT = 1L << LEVELS;

  private static final long OFFSET = 1L << (LEVELS - 1);
  public static final long MIN_SCORE = 1 - OFFSET;
  public static final long MAX_SCORE = OFFSET;

  private WaitlistRanks() {}

  /** {@code joinSeq − spots × qualified}, saturated to the domain. */
  public static long score(long joinSeq, long spotsPerReferral, long qualifiedReferrals) {
    long boost;
    try {
      boost = Math.multiplyExact(spotsPerReferral, qualifiedReferrals);
    } catch (ArithmeticException e) {
      boost = Long.MAX_VALUE / 2;
    }
    long score = joinSeq - Math.min(boost, Long.MAX_VALUE / 2);
    return Math.max(MIN_SCORE, Math.min(MAX_SCORE, score));
  }

  /** The 1-based tree index of a (clamped) score. */
  public static long index(long score) {
    return Math.max(MIN_SCORE, Math.min(MAX_SCORE, score)) + OFFSET;
  }

  /** The offset added to a score to get its index; SQL that walks the tree uses it. */
  public static long offset() {
    return OFFSET;
  }

  /** The nodes to add a participant's ±1 to when one at {@code score} joins or leaves. */
  public static long[] updateNodes(long score) {
    long[] out = new long[LEVELS + 1];
    int n = 0;
    for (long i = index(score); i <= ROOT; i += Long.lowestOneBit(i)) {
      out[n++] = i;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The nodes whose counts sum to the number of waiting participants with a score below it. */
  public static long[] prefixNodesBelow(long score) {
    long[] out = new long[LEVELS + 1];
    int n = 0;
    for (long i = index(score) - 1; i > 0; i -= Long.lowestOneBit(i)) {
      out[n++] = i;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Applies count changes per score (participants joining +1, leaving -1) to campaign {@code
   * campaignId}'s tree: one statement, nodes in ascending order, so that concurrent changes lock
   * them in the same order. The one writer of {@code waitlist_rank_nodes}.
   */
  public static void move(
      JdbcTemplate jdbc, String workspaceId, String campaignId, Map<Long, Long> deltaByScore) {
    TreeMap<Long, Long> byNode = new TreeMap<>();
    deltaByScore.forEach(
        (score, delta) -> {
          if (delta != 0) {
            for (long node : updateNodes(score)) {
              byNode.merge(node, delta, Long::sum);
            }
          }
        });
    byNode.values().removeIf(d -> d == 0);
    if (byNode.isEmpty()) {
      return;
    }
    jdbc.update(
        "insert into waitlist_rank_nodes (workspace_id, campaign_id, node, count)"
            + " select ?, ?, n, d from unnest(?::bigint[], ?::bigint[]) as t(n, d)"
            + " on conflict (workspace_id, campaign_id, node)"
            + " do update set count = waitlist_rank_nodes.count + excluded.count",
        workspaceId,
        campaignId,
        byNode.keySet().toArray(Long[]::new),
        byNode.values().toArray(Long[]::new));
  }

  /**
   * Takes the waiting participants of contact {@code contactId} out of their waitlists' trees,
   * before the contact (and with it, by cascade, those participants) is deleted in the same
   * transaction. Locks those participant rows first, so a concurrent score change or admission
   * either committed before (its score is the one read here) or finds the participant gone.
   */
  public static void leaveWithContact(JdbcTemplate jdbc, String workspaceId, String contactId) {
    Map<String, Map<Long, Long>> byCampaign = new TreeMap<>();
    jdbc.query(
        "select p.campaign_id, p.score from campaign_participants p"
            + " join campaigns c on c.workspace_id = p.workspace_id and c.id = p.campaign_id"
            + " where p.workspace_id = ? and p.contact_id = ? and p.admitted_at is null"
            + " and c.type = ?"
            + " order by p.campaign_id for update of p",
        rs -> {
          byCampaign
              .computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .merge(rs.getLong(2), -1L, Long::sum);
        },
        workspaceId,
        contactId,
        CampaignType.WAITLIST.wireName());
    byCampaign.forEach((campaign, deltas) -> move(jdbc, workspaceId, campaign, deltas));
  }
}
