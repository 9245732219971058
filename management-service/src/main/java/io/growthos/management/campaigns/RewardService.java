package io.growthos.management.campaigns;

import io.growthos.core.campaigns.Reward;
import io.growthos.core.campaigns.Rewards;
import io.growthos.management.paging.Cursors;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.PageRequest;
import io.growthos.model.errors.ApiException;
import io.growthos.model.values.TextLength;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rewards of a referral program: lists, and the manual moves {@code approve}, {@code reject},
 * {@code fulfil}. The rules (issuing, the state machine, webhook events) are {@link Rewards} in
 * growth-core; an invalid move is 422 {@code invalid_transition} on {@code state}, as campaign
 * status moves are, and repeating a move that already happened returns the reward unchanged.
 */
@Service
class RewardService {

  static final String LIST = "rewards";
  private static final Set<String> STATES = Set.of("pending", "approved", "fulfilled", "rejected");

  private final CampaignService campaigns;
  private final Rewards rewards;
  private final Cursors cursors;

  RewardService(CampaignService campaigns, JdbcTemplate jdbc, Cursors cursors) {
    this.campaigns = campaigns;
    this.rewards = new Rewards(jdbc);
    this.cursors = cursors;
  }

  @Transactional(readOnly = true)
  public Page<RewardResponse> list(
      String ws, String campaignId, String state, int limit, String cursor) {
    requireReferralProgram(ws, campaignId);
    PageRequest.checkLimit(limit);
    if (state != null && !STATES.contains(state)) {
      throw ApiException.invalid(
          "state", "invalid_value", "'state' is one of pending, approved, fulfilled, rejected.");
    }
    String tenant = ws + "/" + campaignId;
    String filter = state == null ? "" : state;
    String before =
        cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, LIST, tenant, filter);
    List<Reward> rows = rewards.page(ws, campaignId, state, before, limit + 1);
    return Page.of(
        rows,
        limit,
        Reward::id,
        last -> cursors.encode(LIST, tenant, filter, last),
        kept -> kept.stream().map(RewardResponse::of).toList());
  }

  @Transactional(readOnly = true)
  public RewardResponse get(String ws, String campaignId, String rewardId) {
    requireReferralProgram(ws, campaignId);
    return RewardResponse.of(
        rewards
            .find(ws, campaignId, rewardId)
            .orElseThrow(() -> ApiException.notFound("reward", rewardId, "rid")));
  }

  @Transactional
  public RewardResponse approve(String ws, String campaignId, String rewardId) {
    requireReferralProgram(ws, campaignId);
    return RewardResponse.of(rewards.approve(ws, campaignId, rewardId));
  }

  @Transactional
  public RewardResponse reject(
      String ws, String campaignId, String rewardId, RejectRewardRequest body) {
    requireReferralProgram(ws, campaignId);
    String reason = body == null ? null : body.reason();
    // Characters as every text limit counts them (TextLength: code points, an emoji is one);
    // until 2026-12-06 String.length counted UTF-16 units, so 300 emoji were "over 500".
    if (reason != null && (reason.isBlank() || !TextLength.atMost(reason, 500))) {
      throw ApiException.invalid(
          "reason", "out_of_range", "'reason' is text of 1 to 500 characters.");
    }
    return RewardResponse.of(rewards.reject(ws, campaignId, rewardId, reason));
  }

  @Transactional
  public RewardResponse fulfil(String ws, String campaignId, String rewardId) {
    requireReferralProgram(ws, campaignId);
    return RewardResponse.of(rewards.fulfil(ws, campaignId, rewardId));
  }

  /** 404 for another workspace's campaign; 422 for a campaign of another type (no rewards). */
  private void requireReferralProgram(String ws, String campaignId) {
    CampaignSubResource.REWARDS.check(campaigns.find(ws, campaignId).getType());
  }
}
