package io.growthos.core.campaigns;

import io.growthos.model.values.SqlInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fraud rules a referral passes before it counts (SPEC §8), the one owner of them for every way
 * a referral is made (a join with a code, an ingested event carrying one). Each rule that fails
 * gives the {@code reason} the referral is rejected with:
 *
 * <ul>
 *   <li>{@link #SELF_REFERRAL}: the referee is the referrer's own contact, or has the same
 *       normalised e-mail ({@link EmailNormalizer}: case, {@code +tag}, Gmail dots);
 *   <li>{@link #SAME_ANONYMOUS_ID}: the referee's anonymous id is one the referrer's contact is
 *       known by, or the one of the browser the referrer joined from;
 *   <li>{@link #SAME_IP_USER_AGENT}: the event that carried the code came from an IP address and
 *       user agent (its {@code context.ip}, {@code context.userAgent}) that the referrer's own
 *       events also came from;
 *   <li>{@link #EXISTING_CONTACT}: a referral made through a public route (a widget join, an
 *       ingested event carrying a code: both need only the page's write key) whose referee's
 *       contact existed more than {@link #NEW_CONTACT_GRACE} before it ({@link Referee#arrivedAt}):
 *       a referral brings someone new. Without it anyone holding the write key and a customer's
 *       address (or user id) could make her his referee, and her orders, past and future, paid him
 *       (a black-box review, 2026-12-07). A join through the Management API (the operator's own
 *       hand) is not checked;
 *   <li>{@link #REFERRAL_CYCLE}: the referee already referred the referrer, directly or through
 *       others (A refers B refers A);
 *   <li>{@link #VELOCITY_LIMIT}: the referrer already brought {@code fraud.velocity_per_day}
 *       referrals in the last 24 hours.
 * </ul>
 *
 * The first three are the self-referral checks that {@code fraud.self_referral: false} turns off;
 * the existing contact, cycles and velocity always apply. Rules run in the order above; the first
 * failure is the reason.
 */
public final class ReferralFraud {

  public static final String SELF_REFERRAL = "self_referral";
  public static final String SAME_ANONYMOUS_ID = "same_anonymous_id";
  public static final String SAME_IP_USER_AGENT = "same_ip_user_agent";
  public static final String EXISTING_CONTACT = "existing_contact";
  public static final String REFERRAL_CYCLE = "referral_cycle";
  public static final String VELOCITY_LIMIT = "velocity_limit";

  /**
   * How long before a public referral its referee's contact may have been made and still count as
   * new: a friend's sign-up (identify) may reach the service before the page view that carried the
   * code, or she may sign up, then join from the widget.
   */
  public static final Duration NEW_CONTACT_GRACE = Duration.ofMinutes(10);

  /** How far up a chain of referrers the cycle check looks. */
  static final int MAX_CHAIN = 50;

  /** How many of the referrer's latest events the IP + user agent check looks at. */
  static final int RECENT_EVENTS = 500;

  private final JdbcTemplate jdbc;

  public ReferralFraud(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * What is known of a referee.
   *
   * @param contactId its contact
   * @param emailNormalized its normalised e-mail, or null
   * @param anonymousIds anonymous ids it is known by (the event's, the contact's, or the browser's
   *     it joined from)
   * @param ip the IP address of the event that carried the code, or null
   * @param userAgent the user agent of that event, or null
   * @param arrivedAt when the public route brought the referral (a widget join's time, the received
   *     time of the event that carried the code), for {@link #EXISTING_CONTACT}; null for a join
   *     through the Management API, which is not checked
   */
  public record Referee(
      String contactId,
      String emailNormalized,
      List<String> anonymousIds,
      String ip,
      String userAgent,
      Instant arrivedAt) {}

  /**
   * SQL: whether the contact aliased {@code contact} was new at {@code at} (an SQL timestamp): made
   * at most {@link #NEW_CONTACT_GRACE} before it. The one rule of "someone new" for {@link
   * #EXISTING_CONTACT} and for what public widgets show of a participant (a participant whose join
   * found a contact made before shows no name: an address typed into a public form, which anyone
   * holding the write key can type, must not bring back the name the operator stored for it).
   */
  public static String madeNewAt(String contact, String at) {
    return "("
        + contact
        + ".created_at >= "
        + at
        + " - interval '"
        + NEW_CONTACT_GRACE.toSeconds()
        + " seconds')";
  }

  /** Why a referral of {@code referrer} to {@code referee} is refused, or null when it is not. */
  public String reason(CampaignInfo campaign, Participant referrer, Referee referee) {
    String ws = campaign.workspaceId();
    if (campaign.selfReferralCheck()) {
      if (referee.contactId().equals(referrer.contactId())) {
        return SELF_REFERRAL;
      }
      if (referee.emailNormalized() != null) {
        String referrerEmail =
            jdbc.queryForObject(
                "select email_normalized from campaign_participants where workspace_id = ? and"
                    + " campaign_id = ? and id = ?",
                String.class,
                ws,
                campaign.id(),
                referrer.id());
        if (referee.emailNormalized().equals(referrerEmail)) {
          return SELF_REFERRAL;
        }
      }
      // The referrer's anonymous ids: its contact's, and the one of the browser it joined from
      // (a widget join's anonymous_id), which a contact that never sent an event lacks.
      if (!referee.anonymousIds().isEmpty()
          && !jdbc.queryForList(
                  "select 1 from contact_identities where workspace_id = ? and kind ="
                      + " 'anonymous_id' and contact_id = ? and value = any(?) union all select 1"
                      + " from campaign_participants where workspace_id = ? and campaign_id = ?"
                      + " and id = ? and join_anonymous_id = any(?) limit 1",
                  ws,
                  referrer.contactId(),
                  referee.anonymousIds().toArray(String[]::new),
                  ws,
                  campaign.id(),
                  referrer.id(),
                  referee.anonymousIds().toArray(String[]::new))
              .isEmpty()) {
        return SAME_ANONYMOUS_ID;
      }
      if (referee.ip() != null
          && referee.userAgent() != null
          && sameDevice(ws, referrer, referee)) {
        return SAME_IP_USER_AGENT;
      }
    }
    if (referee.arrivedAt() != null
        && Boolean.TRUE.equals(
            jdbc.queryForObject(
                "select coalesce((select not "
                    + madeNewAt("c", "?::timestamptz")
                    + " from contacts c where c.workspace_id = ? and c.id = ?), false)",
                Boolean.class,
                SqlInstants.param(referee.arrivedAt()),
                ws,
                referee.contactId()))) {
      return EXISTING_CONTACT;
    }
    if (cycle(campaign, referrer, referee.contactId())) {
      return REFERRAL_CYCLE;
    }
    if (campaign.velocityPerDay() > 0) {
      Long recent =
          jdbc.queryForObject(
              "select count(*) from referrals where workspace_id = ? and campaign_id = ? and"
                  + " referrer_id = ? and created_at > now() - interval '1 day'",
              Long.class,
              ws,
              campaign.id(),
              referrer.id());
      if (recent != null && recent >= campaign.velocityPerDay()) {
        return VELOCITY_LIMIT;
      }
    }
    return null;
  }

  /** Whether one of the referrer's latest events came from the referee's IP and user agent. */
  private boolean sameDevice(String ws, Participant referrer, Referee referee) {
    Object[] ids =
        jdbc.queryForObject(
            "select c.user_id, coalesce((select array_agg(ci.value) from contact_identities ci"
                + " where ci.workspace_id = c.workspace_id and ci.contact_id = c.id and ci.kind ="
                + " 'anonymous_id'), '{}') as anonymous_ids from contacts c where c.workspace_id ="
                + " ? and c.id = ?",
            (rs, i) -> new Object[] {rs.getString(1), rs.getArray(2).getArray()},
            ws,
            referrer.contactId());
    List<Object> args = new ArrayList<>(List.of(ws, referrer.contactId()));
    StringBuilder who = new StringBuilder("e.contact_id = ?");
    if (ids[0] != null) {
      who.append(" or e.user_id = ?");
      args.add(ids[0]);
    }
    who.append(" or e.anonymous_id = any(?)");
    args.add(ids[1]);
    args.add(referee.ip());
    args.add(referee.userAgent());
    return !jdbc.queryForList(
            "select 1 from (select e.context from events e where e.workspace_id = ? and ("
                + who
                + ") order by e.id desc limit "
                + RECENT_EVENTS
                + ") r where r.context->>'ip' = ? and r.context->>'userAgent' = ? limit 1",
            args.toArray())
        .isEmpty();
  }

  /**
   * Whether {@code refereeContactId} is the referrer itself or one of the people up its chain of
   * referrers in this campaign (rejected referrals do not count as links).
   */
  private boolean cycle(CampaignInfo campaign, Participant referrer, String refereeContactId) {
    Boolean found =
        jdbc.queryForObject(
            """
            with recursive chain(contact_id, depth) as (
              select ?::text collate "C", 0
              union all
              select p.contact_id, chain.depth + 1
                from chain
                join referrals r on r.workspace_id = ? and r.campaign_id = ?
                                and r.referee_contact_id = chain.contact_id
                                and r.state <> 'rejected'
                join campaign_participants p on p.workspace_id = r.workspace_id
                                            and p.campaign_id = r.campaign_id
                                            and p.id = r.referrer_id
               where chain.depth < ?
            )
            select exists (select 1 from chain where depth > 0 and contact_id = ?)
            """,
            Boolean.class,
            referrer.contactId(),
            campaign.workspaceId(),
            campaign.id(),
            MAX_CHAIN,
            refereeContactId);
    return Boolean.TRUE.equals(found);
  }
}
