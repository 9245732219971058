package io.growthos.management.campaigns;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/campaigns/{id}/rewards")
@Tag(name = "Campaign rewards", description = "Rewards of referral programs and their approval")
class RewardController {

  private final RewardService rewards;

  RewardController(RewardService rewards) {
    this.rewards = rewards;
  }

  @GetMapping
  @RequiresScope("campaigns:read")
  @Operation(summary = "List rewards, newest first")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral campaigns have this; another type is not_supported")
  Page<RewardResponse> list(
      Caller caller,
      @PathVariable String id,
      @Parameter(
              schema = @Schema(allowableValues = {"pending", "approved", "fulfilled", "rejected"}))
          @RequestParam(required = false)
          String state,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return rewards.list(caller.workspaceId(), id, state, limit, cursor);
  }

  @GetMapping("/{rid}")
  @RequiresScope("campaigns:read")
  @Operation(summary = "Retrieve a reward")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral campaigns have this; another type is not_supported")
  RewardResponse get(Caller caller, @PathVariable String id, @PathVariable String rid) {
    return rewards.get(caller.workspaceId(), id, rid);
  }

  @PostMapping("/{rid}/approve")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Approve a pending reward (422 from any other state but approved)")
  ResponseEntity<RewardResponse> approve(
      Caller caller, @PathVariable String id, @PathVariable String rid) {
    return ResponseEntity.ok(rewards.approve(caller.workspaceId(), id, rid));
  }

  @PostMapping("/{rid}/reject")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Reject a pending or approved reward, with an optional reason")
  ResponseEntity<RewardResponse> reject(
      Caller caller,
      @PathVariable String id,
      @PathVariable String rid,
      @RequestBody(required = false) RejectRewardRequest body) {
    return ResponseEntity.ok(rewards.reject(caller.workspaceId(), id, rid, body));
  }

  @PostMapping("/{rid}/fulfil")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Mark an approved reward fulfilled (paid or delivered)")
  ResponseEntity<RewardResponse> fulfil(
      Caller caller, @PathVariable String id, @PathVariable String rid) {
    return ResponseEntity.ok(rewards.fulfil(caller.workspaceId(), id, rid));
  }
}
