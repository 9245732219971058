package io.growthos.management.contacts;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.growthos.management.web.Preconditions;
import io.growthos.model.values.TimestampRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Instant;
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
@RequestMapping("/v1/contacts")
@Tag(name = "Contacts", description = "People of the workspace, as identified by ingest or here")
class ContactController {

  private final ContactService contacts;

  ContactController(ContactService contacts) {
    this.contacts = contacts;
  }

  @PostMapping
  @RequiresScope("contacts:write")
  @Operation(summary = "Create a contact")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<ContactResponse> create(
      Caller caller, @Valid @RequestBody CreateContactRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(contacts.create(caller.workspaceId(), body));
  }

  @GetMapping
  @RequiresScope("contacts:read")
  @Operation(summary = "List contacts, newest first")
  Page<ContactResponse> list(
      Caller caller,
      @Parameter(description = "Exact email, case-insensitive") @RequestParam(required = false)
          String email,
      @Parameter(
              description =
                  "The contact this id finds, as an event naming it as its userId is attached:"
                      + " the contact whose user id it is, or the one it was aliased or"
                      + " identified to")
          @RequestParam(name = "user_id", required = false)
          String userId,
      @Parameter(description = "RFC 3339 timestamp, exclusive")
          @RequestParam(name = "created_after", required = false)
          Instant createdAfter,
      @Parameter(description = "RFC 3339 timestamp, exclusive")
          @RequestParam(name = "created_before", required = false)
          Instant createdBefore,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    TimestampRange.checkParameters(createdAfter, "created_after", createdBefore, "created_before");
    return contacts.list(
        caller.workspaceId(),
        new ContactService.Filters(email, userId, createdAfter, createdBefore),
        limit,
        cursor);
  }

  @GetMapping("/{id}")
  @RequiresScope("contacts:read")
  @Operation(summary = "Retrieve a contact")
  ContactResponse get(Caller caller, @PathVariable String id) {
    return contacts.get(caller.workspaceId(), id);
  }

  @PatchMapping("/{id}")
  @RequiresScope("contacts:write")
  @Operation(
      summary = "Update a contact: merge traits, replace email",
      description =
          "Traits merge into the stored ones (null removes a trait). Without an explicit email,"
              + " an email trait also sets the email unless another contact holds it. Every"
              + " change, by this API or by ingest, increases version.")
  ResponseEntity<ContactResponse> update(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateContactRequest body) {
    return ResponseEntity.ok(
        contacts.update(caller.workspaceId(), id, body, Preconditions.ifMatchVersion(ifMatch)));
  }

  @DeleteMapping("/{id}")
  @RequiresScope("contacts:write")
  @Operation(
      summary = "Delete a contact and its events",
      description =
          "Deletes the contact and every event of every id it was known by (user id, anonymous"
              + " and aliased ids), and suppresses those ids: the Ingest API acknowledges and"
              + " drops their later events, so nothing brings the contact back. Creating a"
              + " contact with such an id here lifts its suppression.")
  @ApiResponse(responseCode = "204", description = "Deleted, with its events")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    contacts.delete(caller.workspaceId(), id);
    return ResponseEntity.noContent().build();
  }
}
