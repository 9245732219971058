package io.growthos.management.campaigns;

import io.growthos.core.campaigns.Leaderboard;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Leaderboards: the campaign lookup and parameters here, the query in growth-core. */
@Service
class LeaderboardService {

  private final ParticipantService participants;
  private final Leaderboard leaderboard;

  LeaderboardService(ParticipantService participants, JdbcTemplate jdbc) {
    this.participants = participants;
    this.leaderboard = new Leaderboard(jdbc);
  }

  @Transactional(readOnly = true)
  public LeaderboardResponse top(String ws, String campaignId, String period, int limit) {
    participants.info(ws, campaignId, CampaignSubResource.LEADERBOARD);
    List<ErrorDetail> problems = new java.util.ArrayList<>();
    Leaderboard.Period p = Leaderboard.Period.ofWireName(period).orElse(null);
    if (p == null) {
      problems.add(
          ErrorDetail.of("period", "invalid_value", "'period' is one of all_time, month."));
    }
    if (limit < 1 || limit > 100) {
      problems.add(ErrorDetail.of("limit", "out_of_range", "'limit' is an integer from 1 to 100."));
    }
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
    Leaderboard.Board board = leaderboard.top(ws, campaignId, p, limit);
    return new LeaderboardResponse(
        "leaderboard",
        campaignId,
        p.wireName(),
        board.from(),
        board.entries().stream()
            .map(
                e ->
                    new LeaderboardResponse.Entry(
                        e.rank(),
                        e.participantId(),
                        e.contactId(),
                        e.email(),
                        e.displayName(),
                        e.referralCode(),
                        e.referrals(),
                        e.joinedAt()))
            .toList());
  }
}
