package io.growthos.management.segments;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.contacts.ContactResponse;
import io.growthos.management.paging.Page;
import io.growthos.management.web.Preconditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Segments", description = "Saved filters over contacts, evaluated live")
class SegmentController {

  private final SegmentService segments;

  SegmentController(SegmentService segments) {
    this.segments = segments;
  }

  @PostMapping("/v1/segments")
  @RequiresScope("segments:write")
  @Operation(
      summary = "Create a segment",
      description =
          "400 names the JSON path of every problem in the filter; 422 when it refers to an"
              + " unknown segment.")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<SegmentResponse> create(
      Caller caller, @Valid @RequestBody CreateSegmentRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(segments.create(caller.workspaceId(), body));
  }

  @GetMapping("/v1/segments")
  @RequiresScope("segments:read")
  @Operation(summary = "List segments, newest first")
  Page<SegmentResponse> list(
      Caller caller,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return segments.list(caller.workspaceId(), limit, cursor);
  }

  @GetMapping("/v1/segments/{id}")
  @RequiresScope("segments:read")
  @Operation(summary = "Retrieve a segment")
  SegmentResponse get(Caller caller, @PathVariable String id) {
    return segments.get(caller.workspaceId(), id);
  }

  @PatchMapping("/v1/segments/{id}")
  @RequiresScope("segments:write")
  @Operation(
      summary = "Update a segment's name, description or filter",
      description =
          "A filter that refers back to this segment, directly or through others, is 422. So is"
              + " one that would push a segment or a campaign's audience that refers to this one"
              + " past the filter limits once inlined: 422 segment_in_use on filter, a detail"
              + " naming each.")
  ResponseEntity<SegmentResponse> update(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateSegmentRequest body) {
    return ResponseEntity.ok(
        segments.update(caller.workspaceId(), id, body, Preconditions.ifMatchVersion(ifMatch)));
  }

  @DeleteMapping("/v1/segments/{id}")
  @RequiresScope("segments:write")
  @Operation(
      summary = "Delete a segment",
      description =
          "422 segment_in_use while other segments or a campaign's audience refer to it; details name them.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    segments.delete(caller.workspaceId(), id);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/v1/segments/{id}/contacts")
  @RequiresScope({"segments:read", "contacts:read"})
  @Operation(
      summary = "List the segment's contacts now, newest first",
      description = "Evaluated live on every page; 503 query_timeout when it runs too long.")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "503",
      description = "query_timeout: the query ran past the statement timeout; safe to retry")
  Page<ContactResponse> contacts(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return segments.contacts(caller.workspaceId(), id, limit, cursor);
  }

  @GetMapping("/v1/segments/{id}/count")
  @RequiresScope("segments:read")
  @Operation(summary = "Count the segment's contacts now")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "503",
      description = "query_timeout: the query ran past the statement timeout; safe to retry")
  CountResponse count(Caller caller, @PathVariable String id) {
    return segments.count(caller.workspaceId(), id);
  }

  @PostMapping("/v1/segments/preview")
  @RequiresScope("segments:read")
  @Operation(
      summary = "Count an unsaved filter and show its first 10 contacts",
      description =
          "Nothing is saved. The contacts (sample) are shown only to a key that holds"
              + " contacts:read as well: without it, the answer is the count alone.")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "503",
      description = "query_timeout: the query ran past the statement timeout; safe to retry")
  @ApiResponse(
      responseCode = "422",
      description =
          "The filter refers to an unknown segment, or segments refer to each other in a cycle")
  ResponseEntity<PreviewResponse> preview(Caller caller, @Valid @RequestBody PreviewRequest body) {
    // A segments:read key may count contacts, not read them (as GET /v1/segments/{id}/contacts
    // needs contacts:read too). A ResponseEntity, as every POST is an idempotent write here
    // (Idempotency-Key replays it; a plain body was a 500 with a key).
    return ResponseEntity.ok(
        segments.preview(caller.workspaceId(), body.filter(), caller.holds("contacts:read")));
  }

  @GetMapping("/v1/contacts/{id}/segments")
  @RequiresScope({"contacts:read", "segments:read"})
  @Operation(summary = "List the segments the contact is in now, newest segment first")
  @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
  @ApiResponse(
      responseCode = "503",
      description = "query_timeout: the query ran past the statement timeout; safe to retry")
  Page<SegmentResponse> segmentsOfContact(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return segments.segmentsOf(caller.workspaceId(), id, limit, cursor);
  }
}
