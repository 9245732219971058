package io.growthos.management.campaigns;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bodies are validated by the service after the campaign is found, so another workspace's campaign
 * is 404 whatever the body holds: Spring's {@code @RequestBody} is optional, and the document's
 * ({@code io.swagger…RequestBody(required = true)}) says the body is required, as the service then
 * answers 400 without one (a generated client made it an optional last argument).
 */
@RestController
@RequestMapping("/v1/campaigns/{id}")
@Tag(name = "Campaign participants", description = "Participants, referrals, admissions, stats")
class ParticipantController {

  private final ParticipantService participants;

  ParticipantController(ParticipantService participants) {
    this.participants = participants;
  }

  @PostMapping("/participants")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Add a participant by e-mail (a contact is created when none has it)")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<ParticipantResponse> add(
      Caller caller,
      @PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
          @RequestBody(required = false)
          AddParticipantRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(participants.add(caller.workspaceId(), id, body));
  }

  @GetMapping("/participants")
  @RequiresScope("campaigns:read")
  @Operation(summary = "List participants, newest first")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral and waitlist campaigns have this; another type is not_supported")
  Page<ParticipantResponse> list(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return participants.list(caller.workspaceId(), id, limit, cursor);
  }

  @GetMapping("/participants/{pid}")
  @RequiresScope("campaigns:read")
  @Operation(summary = "Retrieve a participant with its position, people ahead and total")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral and waitlist campaigns have this; another type is not_supported")
  ParticipantResponse get(Caller caller, @PathVariable String id, @PathVariable String pid) {
    return participants.get(caller.workspaceId(), id, pid);
  }

  @PostMapping("/participants/{pid}/admit")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Admit one waitlist participant (sets admitted_at)")
  ResponseEntity<ParticipantResponse> admit(
      Caller caller, @PathVariable String id, @PathVariable String pid) {
    return ResponseEntity.ok(participants.admit(caller.workspaceId(), id, pid));
  }

  @PostMapping("/participants/{pid}/verify")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Verify a participant's e-mail with the token it was sent")
  ResponseEntity<ParticipantResponse> verify(
      Caller caller,
      @PathVariable String id,
      @PathVariable String pid,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
          @RequestBody(required = false)
          VerifyRequest body) {
    return ResponseEntity.ok(participants.verify(caller.workspaceId(), id, pid, body));
  }

  @PostMapping("/admit")
  @RequiresScope("campaigns:write")
  @Operation(summary = "Admit the top N of a waitlist, in position order")
  ResponseEntity<AdmittedResponse> admitTop(
      Caller caller,
      @PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
          @RequestBody(required = false)
          AdmitRequest body) {
    return ResponseEntity.ok(participants.admitTop(caller.workspaceId(), id, body));
  }

  @GetMapping("/referrals")
  @RequiresScope("campaigns:read")
  @Operation(summary = "List referrals, newest first")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral and waitlist campaigns have this; another type is not_supported")
  Page<ReferralResponse> referrals(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return participants.referrals(caller.workspaceId(), id, limit, cursor);
  }

  @GetMapping("/stats")
  @RequiresScope("campaigns:read")
  @Operation(summary = "Participants, referrals by state and conversion rate")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "422",
      description = "Only referral and waitlist campaigns have this; another type is not_supported")
  CampaignStatsResponse stats(Caller caller, @PathVariable String id) {
    return participants.stats(caller.workspaceId(), id);
  }
}
