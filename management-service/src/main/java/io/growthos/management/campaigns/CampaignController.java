package io.growthos.management.campaigns;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.growthos.management.web.Preconditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/campaigns")
@Tag(name = "Campaigns", description = "Referral programs, waitlists, surveys and social proof")
class CampaignController {

  private final CampaignService campaigns;

  CampaignController(CampaignService campaigns) {
    this.campaigns = campaigns;
  }

  @PostMapping
  @RequiresScope("campaigns:write")
  @Operation(summary = "Create a campaign (draft unless a status is given)")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<CampaignResponse> create(
      Caller caller, @Valid @RequestBody CreateCampaignRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(campaigns.create(caller.workspaceId(), body));
  }

  @GetMapping
  @RequiresScope("campaigns:read")
  @Operation(summary = "List campaigns, newest first")
  Page<CampaignResponse> list(
      Caller caller,
      @Parameter(
              schema =
                  @Schema(allowableValues = {"referral", "waitlist", "survey", "social_proof"}))
          @RequestParam(required = false)
          String type,
      @Parameter(schema = @Schema(allowableValues = {"draft", "active", "paused", "ended"}))
          @RequestParam(required = false)
          String status,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return campaigns.list(caller.workspaceId(), type, status, limit, cursor);
  }

  @GetMapping("/{id}")
  @RequiresScope("campaigns:read")
  @Operation(summary = "Retrieve a campaign")
  CampaignResponse get(Caller caller, @PathVariable String id) {
    return campaigns.get(caller.workspaceId(), id);
  }

  @PatchMapping("/{id}")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Update a campaign: name, dates, audience, settings, status")
  ResponseEntity<CampaignResponse> update(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateCampaignRequest body) {
    return ResponseEntity.ok(
        campaigns.update(caller.workspaceId(), id, body, Preconditions.ifMatchVersion(ifMatch)));
  }

  @DeleteMapping("/{id}")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Delete a campaign with its participants and referrals")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    campaigns.delete(caller.workspaceId(), id);
    return ResponseEntity.noContent().build();
  }
}
