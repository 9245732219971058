package io.growthos.ingest.widgets;

import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.campaigns.JoinResult;
import io.growthos.core.campaigns.Leaderboard;
import io.growthos.core.campaigns.Participant;
import io.growthos.core.campaigns.Participants;
import io.growthos.core.campaigns.ShareUrls;
import io.growthos.core.campaigns.WaitlistRanks;
import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.ingest.widgets.LiveCampaigns.LiveCampaign;
import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.contacts.ContactIds;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.TextLength;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The campaign widget routes: public info, join, one's own state. The rules (joining, positions,
 * codes, leaderboard, masking) are growth-core's, shared with the Management API; this adds the
 * lookup of a <em>live</em> campaign and what a browser may see.
 *
 * <p>Only live referral programs and waitlists answer ({@link LiveCampaigns}): anything else is the
 * same 404.
 */
@Service
class WidgetService {

  static final int LEADERBOARD_SIZE = 10;
  static final String ANONYMOUS = "Someone";
  static final Set<CampaignType> PARTICIPANT_TYPES =
      EnumSet.of(CampaignType.REFERRAL, CampaignType.WAITLIST);

  private final JdbcTemplate jdbc;
  private final LiveCampaigns campaigns;
  private final Participants participants;
  private final Leaderboard leaderboard;
  private final TransactionTemplate writes;
  private final TransactionTemplate reads;

  WidgetService(
      JdbcTemplate jdbc, LiveCampaigns campaigns, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.participants = new Participants(jdbc);
    this.leaderboard = new Leaderboard(jdbc);
    this.writes = new TransactionTemplate(transactions);
    this.reads = new TransactionTemplate(transactions);
    this.reads.setReadOnly(true);
  }

  /** The outcome of a join: the participant's view and whether it was created now. */
  record Joined(WidgetParticipant participant, boolean created) {}

  WidgetCampaign campaign(String ws, String campaignId) {
    return reads.execute(
        status -> {
          LiveCampaign c = live(ws, campaignId);
          boolean waitlist = c.info().type() == CampaignType.WAITLIST;
          long joined =
              jdbc
                  .query(
                      // People in the campaign, as the Management API's stats count them:
                      // joins less the participants deleted with their contact.
                      "select last_join_seq - participants_removed from campaign_counters where"
                          + " workspace_id = ? and campaign_id = ?",
                      (rs, i) -> rs.getLong(1),
                      ws,
                      campaignId)
                  .stream()
                  .findFirst()
                  .orElse(0L);
          Long waiting = null;
          if (waitlist) {
            waiting =
                jdbc
                    .query(
                        "select count from waitlist_rank_nodes where workspace_id = ? and"
                            + " campaign_id = ? and node = ?",
                        (rs, i) -> rs.getLong(1),
                        ws,
                        campaignId,
                        WaitlistRanks.ROOT)
                    .stream()
                    .findFirst()
                    .orElse(0L);
          }
          List<WidgetCampaign.LeaderboardEntry> board =
              leaderboard
                  .top(ws, campaignId, Leaderboard.Period.ALL_TIME, LEADERBOARD_SIZE)
                  .entries()
                  .stream()
                  .map(
                      e ->
                          new WidgetCampaign.LeaderboardEntry(
                              e.rank(),
                              e.displayName() == null ? ANONYMOUS : e.displayName(),
                              e.referrals()))
                  .toList();
          return new WidgetCampaign(
              "widget_campaign",
              c.info().id(),
              c.info().type().wireName(),
              c.name(),
              c.info().status().wireName(),
              c.info().startsAt(),
              c.info().endsAt(),
              new WidgetCampaign.Counts(joined, waiting),
              referral(c),
              board);
        });
  }

  Joined join(String ws, String campaignId, JoinRequest body) {
    check(body);
    return writes.execute(
        status -> {
          LiveCampaign c = live(ws, campaignId);
          // Live is decided again on the campaign as Participants.join holds it (after the counter
          // lock, FOR SHARE): a pause, an end or a deletion committed while this join waited is
          // seen there (404), not missed by the copy read above (before 2026-12-05).
          JoinResult result =
              participants.join(
                  c.info(),
                  body.email(),
                  body.referralCode(),
                  null,
                  body.clientId(),
                  "widget",
                  body.anonymousId() == null || body.anonymousId().isBlank()
                      ? null
                      : body.anonymousId(),
                  held -> {
                    if (!held.isLive(Instant.now())) {
                      throw ApiException.notFound("campaign", campaignId, "id");
                    }
                  });
          if (!result.created() && !sameEmail(result.participant().email(), body.email())) {
            // Rolls back the replay's fresh token: a client_id alone never hands out someone's
            // state.
            String message =
                "This client_id was used for a join with another e-mail; generate a new one per"
                    + " person.";
            throw new ApiException(
                ErrorCode.UNPROCESSABLE,
                message,
                List.of(ErrorDetail.of("client_id", "client_id_reused", message)));
          }
          // Its webhook events (waitlist.joined, referral.*) were written by Participants.join in
          // this transaction.
          return new Joined(
              view(c, result.participant(), result.participantToken()), result.created());
        });
  }

  WidgetParticipant me(String ws, String campaignId, String token) {
    return reads.execute(
        status -> {
          LiveCampaign c = live(ws, campaignId);
          if (token == null || token.isBlank()) {
            throw tokenProblem(
                "missing",
                "Send the participant_token returned by the join as the "
                    + WidgetRoutes.PARTICIPANT_TOKEN_HEADER
                    + " header.");
          }
          Participant p =
              participants
                  .findByToken(ws, campaignId, token.strip())
                  .orElseThrow(
                      () ->
                          tokenProblem(
                              "invalid_token",
                              "This participant token is not valid for this campaign (a replayed"
                                  + " join replaces it); join again to get one."));
          return view(c, p, null);
        });
  }

  // --- internals -----------------------------------------------------------------------------

  private LiveCampaign live(String ws, String campaignId) {
    return campaigns.require(ws, campaignId, PARTICIPANT_TYPES);
  }

  private WidgetParticipant view(LiveCampaign c, Participant p, String token) {
    boolean waitlist = c.info().type() == CampaignType.WAITLIST;
    WidgetParticipant.Referrals referrals =
        jdbc.queryForObject(
            "select count(*) filter (where state = 'pending'), count(*) filter (where state ="
                + " 'qualified'), count(*) filter (where state = 'rewarded') from referrals where"
                + " workspace_id = ? and campaign_id = ? and referrer_id = ?",
            (rs, i) -> new WidgetParticipant.Referrals(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
            c.info().workspaceId(),
            c.info().id(),
            p.id());
    return new WidgetParticipant(
        "widget_participant",
        c.info().id(),
        c.info().type().wireName(),
        token,
        p.referralCode(),
        ShareUrls.of(c.info().landingUrl(), p.referralCode()),
        waitlist ? p.position() : null,
        waitlist ? p.ahead() : null,
        // Who waits: an admitted participant waits no longer (docs/campaigns.md); until 2026-12-07
        // it still read the waiting count.
        waitlist && p.admittedAt() == null ? p.waiting() : null,
        p.qualifiedReferrals(),
        referrals,
        c.info().requireVerification(),
        p.verifiedAt() != null,
        p.admittedAt() != null,
        p.createdAt());
  }

  private static WidgetCampaign.Referral referral(LiveCampaign c) {
    boolean waitlist = c.info().type() == CampaignType.WAITLIST;
    List<WidgetCampaign.RewardRule> rewards = null;
    if (!waitlist) {
      rewards = new ArrayList<>();
      for (JsonNode rule : c.settings().path("reward_rules")) {
        JsonNode reward = rule.path("reward");
        List<Long> milestones = null;
        if (rule.path("milestones").isArray()) {
          milestones = new ArrayList<>();
          for (JsonNode m : rule.path("milestones")) {
            milestones.add(m.asLong());
          }
        }
        rewards.add(
            new WidgetCampaign.RewardRule(
                text(rule.path("side")),
                rule.path("every").isIntegralNumber() ? rule.path("every").asInt() : null,
                milestones,
                rule.path("limit").isIntegralNumber() ? rule.path("limit").asInt() : null,
                new WidgetCampaign.Reward(
                    text(reward.path("type")),
                    reward.path("amount").isNumber() ? reward.path("amount").decimalValue() : null,
                    text(reward.path("currency")),
                    text(reward.path("description")))));
      }
    }
    return new WidgetCampaign.Referral(
        c.info().landingUrl(),
        "ref",
        waitlist ? c.info().spotsPerReferral() : null,
        waitlist ? c.info().requireVerification() : null,
        rewards);
  }

  /** Shape checks of a join body; the e-mail's own format is checked by the join. */
  private static void check(JoinRequest body) {
    if (body == null) {
      throw ApiException.invalid("body", "required", "A JSON body with 'email' is required.");
    }
    List<ErrorDetail> problems = new ArrayList<>();
    if (body.email() == null || body.email().isBlank()) {
      problems.add(ErrorDetail.of("email", "required", "'email' is required."));
    } else if (!TextLength.atMost(body.email(), ContactEmail.MAX_CHARS)) {
      // The length a contact's email field takes, in both services (ContactEmail).
      problems.add(
          ErrorDetail.of(
              "email",
              "too_long",
              "'email' has at most " + ContactEmail.MAX_CHARS + " characters."));
    }
    if (body.referralCode() != null && !TextLength.atMost(body.referralCode(), 64)) {
      problems.add(
          ErrorDetail.of(
              "referral_code", "too_long", "'referral_code' has at most 64 characters."));
    }
    if (body.clientId() != null
        && (body.clientId().isEmpty()
            || body.clientId().length() > 100
            || !body.clientId().chars().allMatch(ch -> ch > 0x20 && ch < 0x7f))) {
      problems.add(
          ErrorDetail.of(
              "client_id",
              "invalid_format",
              "'client_id' is 1 to 100 printable ASCII characters without spaces."));
    }
    if (body.anonymousId() != null
        && !TextLength.atMost(body.anonymousId(), ContactIds.MAX_CHARS)) {
      // The length of an anonymousId the tracking routes take (ContactIds), compared as they
      // compare it: exactly.
      problems.add(
          ErrorDetail.of(
              "anonymous_id",
              "too_long",
              "'anonymous_id' has at most " + ContactIds.MAX_CHARS + " characters."));
    }
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
  }

  /**
   * Whether a replay's address is the one stored: by the contact field's rule (ContactEmail:
   * Unicode spaces trimmed, NFC, case-insensitive), the form the join stored it in. Until
   * 2026-12-06 this compared with its own rule (String.strip, equalsIgnoreCase), so a retry of the
   * very same body with a decomposed "ë" or a no-break space was 422 client_id_reused.
   */
  private static boolean sameEmail(String stored, String given) {
    return ContactEmail.sameAddress(stored, given);
  }

  private static ApiException tokenProblem(String reason, String message) {
    return new ApiException(
        ErrorCode.UNAUTHORIZED,
        message,
        List.of(ErrorDetail.of(WidgetRoutes.PARTICIPANT_TOKEN_HEADER, reason, message)));
  }

  private static String text(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }
}
