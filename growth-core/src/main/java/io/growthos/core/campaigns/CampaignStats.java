package io.growthos.core.campaigns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts of one campaign (SPEC §8 "per-campaign stats"), one implementation for both services.
 *
 * @param participants everyone who joined and is still there (admitted included)
 * @param waiting waitlists: participants not admitted yet
 * @param admitted waitlists: participants admitted
 * @param verified participants whose e-mail is verified
 * @param referred participants someone referred: a code at their join or in an ingested event (any
 *     referral state; their {@code referred_by})
 * @param referrals referrals by state: {@code pending}, {@code qualified}, {@code rewarded}, {@code
 *     rejected} (every state present, 0 when none)
 * @param conversionRate ({@code qualified} + {@code rewarded}) / all referrals; 0 when there are
 *     none
 */
public record CampaignStats(
    long participants,
    long waiting,
    long admitted,
    long verified,
    long referred,
    Map<String, Long> referrals,
    double conversionRate) {

  /** The referral states, in the order they are shown. */
  public static final List<String> REFERRAL_STATES =
      List.of("pending", "qualified", "rewarded", "rejected");

  /** The counts now: two aggregate statements over the campaign's rows. */
  public static CampaignStats of(JdbcTemplate jdbc, String workspaceId, String campaignId) {
    long[] p =
        jdbc.queryForObject(
            "select count(*), count(*) filter (where admitted_at is null), count(*) filter (where"
                + " admitted_at is not null), count(*) filter (where verified_at is not null),"
                + " count(*) filter (where referred_by is not null) from campaign_participants"
                + " where workspace_id = ? and campaign_id = ?",
            (rs, i) ->
                new long[] {
                  rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)
                },
            workspaceId,
            campaignId);
    Map<String, Long> byState = new LinkedHashMap<>();
    REFERRAL_STATES.forEach(s -> byState.put(s, 0L));
    jdbc.query(
        "select state, count(*) from referrals where workspace_id = ? and campaign_id = ?"
            + " group by state",
        rs -> {
          byState.put(rs.getString(1), rs.getLong(2));
        },
        workspaceId,
        campaignId);
    long all = byState.values().stream().mapToLong(Long::longValue).sum();
    long converted = byState.getOrDefault("qualified", 0L) + byState.getOrDefault("rewarded", 0L);
    double rate = all == 0 ? 0 : (double) converted / all;
    return new CampaignStats(
        p[0], p[1], p[2], p[3], p[4], Collections.unmodifiableMap(byState), rate);
  }
}
