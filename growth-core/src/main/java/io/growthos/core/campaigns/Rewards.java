package io.growthos.core.campaigns;

import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rewards of referral programs: issued from {@code settings.reward_rules} when a referral
 * qualifies, then moved by hand (or at once, with {@code approval: auto}) through {@code pending →
 * approved → fulfilled}, or {@code rejected}. Plain SQL, run inside the caller's transaction; every
 * change writes its webhook event ({@code reward.created|approved|fulfilled}) in that transaction.
 *
 * <p><b>When a rule fires.</b> After a referral qualifies, its referrer has {@code n} qualified
 * referrals. A rule fires on that referral when {@code n} is a multiple of its {@code every}, or
 * one of its {@code milestones}, and it has fired fewer than {@code limit} times for this referrer
 * (firings whose rewards were all rejected, by the operator or because their contact was deleted,
 * do not count). Firing issues the reward to the referrer ({@code side: referrer}), to the referee
 * of the firing referral ({@code referee}), or to both. The referrer's qualified referrals then
 * become {@code rewarded}. A unique index on (referral, rule, side) makes issuing exactly-once.
 */
public final class Rewards {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String COLUMNS =
      "id, campaign_id, referral_id, rule_index, side, referrer_id, participant_id, contact_id,"
          + " type, amount, currency, description, state, reason, version, created_at,"
          + " approved_at, fulfilled_at, rejected_at, updated_at";

  private final JdbcTemplate jdbc;
  private final Outbox outbox;

  public Rewards(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.outbox = new Outbox(jdbc);
  }

  /**
   * Issues the rewards that the qualification of {@code referralId} fires. Call it after the
   * referrer was credited, in the same transaction.
   *
   * @return the rewards issued (none when no rule fired or they were issued before)
   */
  public List<Reward> issue(CampaignInfo campaign, String referralId) {
    if (campaign.type() != CampaignType.REFERRAL) {
      return List.of();
    }
    String ws = campaign.workspaceId();
    JsonNode settings =
        JSON.readTree(
            jdbc.queryForObject(
                "select settings::text from campaigns where workspace_id = ? and id = ?",
                String.class,
                ws,
                campaign.id()));
    JsonNode rules = settings.path("reward_rules");
    if (!rules.isArray() || rules.isEmpty()) {
      return List.of();
    }
    boolean auto = "auto".equals(settings.path("approval").asString("manual"));
    Map<String, Object> ref =
        jdbc.queryForMap(
            "select r.referrer_id, r.referee_contact_id, r.referee_participant_id,"
                + " p.contact_id as referrer_contact, p.qualified_referrals from referrals r join"
                + " campaign_participants p on p.workspace_id = r.workspace_id and p.campaign_id"
                + " = r.campaign_id and p.id = r.referrer_id where r.workspace_id = ? and"
                + " r.campaign_id = ? and r.id = ?",
            ws,
            campaign.id(),
            referralId);
    String referrer = (String) ref.get("referrer_id");
    long n = ((Number) ref.get("qualified_referrals")).longValue();
    List<Reward> issued = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      if (!fires(rule, n) || limitReached(ws, campaign.id(), i, referrer, rule)) {
        continue;
      }
      String side = rule.path("side").asString();
      if (side.equals("referrer") || side.equals("both")) {
        insert(
                campaign,
                referralId,
                i,
                "referrer",
                referrer,
                referrer,
                (String) ref.get("referrer_contact"),
                rule.path("reward"),
                auto)
            .ifPresent(issued::add);
      }
      if (side.equals("referee") || side.equals("both")) {
        insert(
                campaign,
                referralId,
                i,
                "referee",
                referrer,
                (String) ref.get("referee_participant_id"),
                (String) ref.get("referee_contact_id"),
                rule.path("reward"),
                auto)
            .ifPresent(issued::add);
      }
    }
    if (!issued.isEmpty()) {
      jdbc.update(
          "update referrals set state = 'rewarded', updated_at = now() where workspace_id = ?"
              + " and campaign_id = ? and referrer_id = ? and state = 'qualified'",
          ws,
          campaign.id(),
          referrer);
    }
    return issued;
  }

  /** Whether a rule fires at the referrer's {@code n}-th qualified referral. */
  static boolean fires(JsonNode rule, long n) {
    JsonNode milestones = rule.path("milestones");
    if (milestones.isArray()) {
      for (JsonNode m : milestones) {
        if (m.asLong() == n) {
          return true;
        }
      }
      return false;
    }
    long every = rule.path("every").asLong(1);
    return every > 0 && n > 0 && n % every == 0;
  }

  private boolean limitReached(
      String ws, String campaignId, int rule, String referrer, JsonNode r) {
    JsonNode limit = r.path("limit");
    if (!limit.isNumber()) {
      return false;
    }
    // A firing counts while one of its rewards is pending, approved or fulfilled: rewards the
    // operator rejected, or voided by a contact's deletion (rejected, contact_deleted), give the
    // referrer nothing and so leave room to earn the reward again. Exact under concurrency: every
    // caller of issue() holds the campaign's counter lock, so issuing is serialised per campaign;
    // and rejected is final, so a rejection committing meanwhile can only make this count one
    // too high (the reward is then earned at the next qualifying referral), never too low.
    Long fired =
        jdbc.queryForObject(
            "select count(distinct referral_id) from rewards where workspace_id = ? and"
                + " campaign_id = ? and rule_index = ? and referrer_id = ? and state <>"
                + " 'rejected'",
            Long.class,
            ws,
            campaignId,
            rule,
            referrer);
    return fired != null && fired >= limit.asLong();
  }

  private Optional<Reward> insert(
      CampaignInfo campaign,
      String referralId,
      int rule,
      String side,
      String referrer,
      String participantId,
      String contactId,
      JsonNode reward,
      boolean auto) {
    String ws = campaign.workspaceId();
    JsonNode amount = reward.path("amount");
    List<String> ids =
        jdbc.query(
            "insert into rewards (workspace_id, id, campaign_id, referral_id, rule_index, side,"
                + " referrer_id, participant_id, contact_id, type, amount, currency, description,"
                + " state, approved_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + (auto ? "now()" : "null")
                + ") on conflict (workspace_id, referral_id, rule_index, side) do nothing"
                + " returning id",
            (rs, i) -> rs.getString(1),
            ws,
            Ids.next(IdPrefix.REWARD),
            campaign.id(),
            referralId,
            rule,
            side,
            referrer,
            participantId,
            contactId,
            reward.path("type").asString(),
            amount.isNumber() ? amount.decimalValue() : null,
            text(reward.path("currency")),
            text(reward.path("description")),
            auto ? "approved" : "pending");
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    Reward created = find(ws, campaign.id(), ids.get(0)).orElseThrow();
    outbox.emit(ws, EventType.REWARD_CREATED, CampaignPayloads.reward(created));
    if (auto) {
      outbox.emit(ws, EventType.REWARD_APPROVED, CampaignPayloads.reward(created));
    }
    return Optional.of(created);
  }

  private static String text(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }

  /** The reason of a reward voided because the contact that would earn it was deleted. */
  public static final String CONTACT_DELETED = "contact_deleted";

  /**
   * Voids the rewards a deleted contact was still waiting for: its {@code pending} rewards (as
   * referrer or as referee) become {@code rejected} with reason {@link #CONTACT_DELETED}, so nobody
   * approves a reward for a person who no longer exists. Approved and fulfilled rewards stay: they
   * are the program's ledger, and an approved one may be on its way (it can still be fulfilled or
   * rejected by hand). No event: SPEC §9 has no {@code reward.rejected}. Call it in the deletion's
   * transaction; the row locks make an approval racing it either commit first (the reward stays
   * approved) or find it voided.
   *
   * @return how many rewards were voided
   */
  public int voidForDeletedContact(String ws, String contactId) {
    return jdbc.update(
        "update rewards set state = 'rejected', reason = ?, rejected_at = now(),"
            + " version = version + 1, updated_at = now()"
            + " where workspace_id = ? and contact_id = ? and state = 'pending'",
        CONTACT_DELETED,
        ws,
        contactId);
  }

  // --- transitions ---------------------------------------------------------------------------

  /** {@code pending → approved}; approving an approved reward changes nothing. */
  public Reward approve(String ws, String campaignId, String rewardId) {
    return move(ws, campaignId, rewardId, "approved", Set.of("pending"), null);
  }

  /** {@code pending|approved → rejected} with an optional reason. */
  public Reward reject(String ws, String campaignId, String rewardId, String reason) {
    return move(ws, campaignId, rewardId, "rejected", Set.of("pending", "approved"), reason);
  }

  /** {@code approved → fulfilled} (the reward was paid or delivered). */
  public Reward fulfil(String ws, String campaignId, String rewardId) {
    return move(ws, campaignId, rewardId, "fulfilled", Set.of("approved"), null);
  }

  private Reward move(
      String ws, String campaignId, String rewardId, String target, Set<String> from, String why) {
    Reward current =
        jdbc
            .query(
                "select "
                    + COLUMNS
                    + " from rewards where workspace_id = ? and campaign_id = ?"
                    + " and id = ? for update",
                (rs, i) -> reward(rs),
                ws,
                campaignId,
                rewardId)
            .stream()
            .findFirst()
            // rid: the path variable of the Management API's reward routes, the only callers.
            .orElseThrow(() -> ApiException.notFound("reward", rewardId, "rid"));
    if (current.state().equals(target)) {
      return current;
    }
    if (current.state().equals("rejected")
        && CONTACT_DELETED.equals(current.reason())
        && !contactExists(ws, current.contactId())) {
      String message =
          "This reward was voided when its contact was deleted; it cannot become " + target + ".";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("state", CONTACT_DELETED, message)));
    }
    if (!from.contains(current.state())) {
      String message =
          CampaignStatus.withArticle(current.state())
              + " reward cannot become "
              + target
              + " (allowed from: "
              + String.join(", ", from.stream().sorted().toList())
              + ").";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("state", "invalid_transition", message)));
    }
    String stamp =
        switch (target) {
          case "approved" -> "approved_at";
          case "fulfilled" -> "fulfilled_at";
          default -> "rejected_at";
        };
    jdbc.update(
        "update rewards set state = ?, "
            + stamp
            + " = now(), reason = coalesce(?, reason), version = version + 1, updated_at = now()"
            + " where workspace_id = ? and campaign_id = ? and id = ?",
        target,
        why,
        ws,
        campaignId,
        rewardId);
    Reward moved = find(ws, campaignId, rewardId).orElseThrow();
    EventType event =
        switch (target) {
          case "approved" -> EventType.REWARD_APPROVED;
          case "fulfilled" -> EventType.REWARD_FULFILLED;
          default -> null; // SPEC §9 has no reward.rejected
        };
    if (event != null) {
      outbox.emit(ws, event, CampaignPayloads.reward(moved));
    }
    return moved;
  }

  private boolean contactExists(String ws, String contactId) {
    return !jdbc.queryForList(
            "select 1 from contacts where workspace_id = ? and id = ?", ws, contactId)
        .isEmpty();
  }

  // --- reading -------------------------------------------------------------------------------

  public Optional<Reward> find(String ws, String campaignId, String rewardId) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + " from rewards where workspace_id = ? and campaign_id = ? and id"
                + " = ?",
            (rs, i) -> reward(rs),
            ws,
            campaignId,
            rewardId)
        .stream()
        .findFirst();
  }

  /**
   * Rewards newest first, ids below {@code beforeId}, optionally of one {@code state}; {@code
   * limit} rows at most.
   */
  public List<Reward> page(String ws, String campaignId, String state, String beforeId, int limit) {
    List<Object> args = new ArrayList<>(List.of(ws, campaignId));
    StringBuilder sql =
        new StringBuilder(
            "select " + COLUMNS + " from rewards where workspace_id = ? and campaign_id = ?");
    if (state != null) {
      sql.append(" and state = ?");
      args.add(state);
    }
    if (beforeId != null) {
      sql.append(" and id < ?");
      args.add(beforeId);
    }
    sql.append(" order by id desc limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), (rs, i) -> reward(rs), args.toArray());
  }

  private static Reward reward(ResultSet rs) throws SQLException {
    BigDecimal amount = rs.getBigDecimal("amount");
    return new Reward(
        rs.getString("id"),
        rs.getString("campaign_id"),
        rs.getString("referral_id"),
        rs.getInt("rule_index"),
        rs.getString("side"),
        rs.getString("referrer_id"),
        rs.getString("participant_id"),
        rs.getString("contact_id"),
        rs.getString("type"),
        amount,
        rs.getString("currency"),
        rs.getString("description"),
        rs.getString("state"),
        rs.getString("reason"),
        rs.getInt("version"),
        SqlInstants.get(rs, "created_at"),
        SqlInstants.get(rs, "approved_at"),
        SqlInstants.get(rs, "fulfilled_at"),
        SqlInstants.get(rs, "rejected_at"),
        SqlInstants.get(rs, "updated_at"));
  }
}
