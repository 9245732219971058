package io.growthos.management.campaigns;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/campaigns/{id}/leaderboard}. */
@RestController
@RequestMapping("/v1/campaigns/{id}")
@Tag(name = "Campaign participants", description = "Participants, referrals, admissions, stats")
class LeaderboardController {

  private final LeaderboardService leaderboards;

  LeaderboardController(LeaderboardService leaderboards) {
    this.leaderboards = leaderboards;
  }

  @GetMapping("/leaderboard")
  @RequiresScope("campaigns:read")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral and waitlist campaigns have this; another type is not_supported")
  @Operation(
      summary = "Participants ranked by qualified referrals, all time or this month",
      description =
          "The top `limit` participants with at least one qualified referral in the period (this"
              + " month: referrals qualified since the 1st in the workspace's time zone and still"
              + " qualified or rewarded). With e-mails: this is the secret-key API; widgets show"
              + " the same ranking with display_name only.")
  LeaderboardResponse leaderboard(
      Caller caller,
      @PathVariable String id,
      @Parameter(schema = @Schema(allowableValues = {"all_time", "month"}))
          @RequestParam(defaultValue = "all_time")
          String period,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "10") int limit) {
    return leaderboards.top(caller.workspaceId(), id, period, limit);
  }
}
