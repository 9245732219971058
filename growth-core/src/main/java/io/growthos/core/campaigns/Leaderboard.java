package io.growthos.core.campaigns;

import io.growthos.model.values.SqlInstants;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A campaign's leaderboard (SPEC §8), one query for both services: the Management API shows it with
 * e-mails to the workspace's owner, the Ingest API's widget route shows it with masked names only
 * ({@link Entry#displayName}).
 *
 * <p>Participants are ranked by qualified referrals, most first; equal counts go to who joined
 * first. Only participants with at least one qualified referral in the period are ranked.
 *
 * <ul>
 *   <li>{@link Period#ALL_TIME}: the participants' {@code qualified_referrals} (the same count that
 *       moves waitlist positions), read from a partial index in rank order: O(log n + limit).
 *   <li>{@link Period#MONTH}: referrals qualified since the start of the current calendar month in
 *       the workspace's time zone and still {@code qualified} or {@code rewarded}, counted from an
 *       index on {@code qualified_at}: O(referrals qualified this month).
 * </ul>
 */
public final class Leaderboard {

  /** Who the board covers. */
  public enum Period {
    ALL_TIME("all_time"),
    MONTH("month");

    private final String wireName;

    Period(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Optional<Period> ofWireName(String name) {
      return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
  }

  /**
   * One ranked participant.
   *
   * @param rank 1 for the first; consecutive (ties are ordered by join time)
   * @param email the contact's e-mail: never send this to a browser
   * @param displayName the masked name ({@link DisplayNames}), null when none is known
   * @param referrals qualified referrals in the period
   */
  public record Entry(
      int rank,
      String participantId,
      String contactId,
      String email,
      String referralCode,
      String displayName,
      long referrals,
      Instant joinedAt) {}

  /**
   * The board.
   *
   * @param from start of the period, null for all time
   */
  public record Board(Period period, Instant from, List<Entry> entries) {}

  private static final String COLUMNS =
      "p.id, p.contact_id, c.email, p.referral_code, p.created_at, " + DisplayNames.SQL_COLUMNS;

  /**
   * The participant's contact, whose traits (its name) are seen only when the join made it or found
   * it new ({@link ReferralFraud#madeNewAt}): a public join with someone else's address must not
   * put the name the operator stored for it on a public board (a black-box review, 2026-12-07).
   */
  private static final String CONTACT =
      " join lateral (select c0.email, case when "
          + ReferralFraud.madeNewAt("c0", "p.created_at")
          + " then c0.traits end as traits from contacts c0 where c0.workspace_id ="
          + " p.workspace_id and c0.id = p.contact_id) c on true";

  private final JdbcTemplate jdbc;

  public Leaderboard(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The top {@code limit} of the campaign for {@code period}. */
  public Board top(String workspaceId, String campaignId, Period period, int limit) {
    if (period == Period.ALL_TIME) {
      List<Entry> entries =
          jdbc.query(
              "select "
                  + COLUMNS
                  + ", p.qualified_referrals as referrals from campaign_participants p"
                  + CONTACT
                  + " where p.workspace_id = ? and p.campaign_id = ? and p.qualified_referrals > 0"
                  + " order by p.qualified_referrals desc, p.join_seq limit ?",
              (rs, i) -> entry(rs, i),
              workspaceId,
              campaignId,
              limit);
      return new Board(period, null, entries);
    }
    Instant from =
        jdbc.queryForObject(
            "select date_trunc('month', now() at time zone timezone) at time zone timezone"
                + " from workspaces where id = ?",
            (rs, i) -> SqlInstants.get(rs, 1),
            workspaceId);
    List<Entry> entries =
        jdbc.query(
            "with r as (select referrer_id, count(*) as n from referrals where workspace_id = ?"
                + " and campaign_id = ? and qualified_at >= ? and state in ('qualified',"
                + " 'rewarded') group by referrer_id)"
                + " select "
                + COLUMNS
                + ", r.n as referrals from r join campaign_participants p on p.workspace_id = ?"
                + " and p.campaign_id = ? and p.id = r.referrer_id"
                + CONTACT
                + " order by r.n desc, p.join_seq limit ?",
            (rs, i) -> entry(rs, i),
            workspaceId,
            campaignId,
            SqlInstants.param(from),
            workspaceId,
            campaignId,
            limit);
    return new Board(period, from, entries);
  }

  private static Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Entry(
        row + 1,
        rs.getString("id"),
        rs.getString("contact_id"),
        rs.getString("email"),
        rs.getString("referral_code"),
        DisplayNames.masked(
            rs.getString("dn_first"),
            rs.getString("dn_last"),
            rs.getString("dn_name"),
            rs.getString("email"),
            null),
        rs.getLong("referrals"),
        SqlInstants.get(rs, "created_at"));
  }
}
