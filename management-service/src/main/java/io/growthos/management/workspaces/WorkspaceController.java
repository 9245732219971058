package io.growthos.management.workspaces;

import io.growthos.management.auth.RequiresAdminKey;
import io.growthos.management.keys.ApiKeyResponse;
import io.growthos.management.keys.CreateApiKeyRequest;
import io.growthos.management.paging.Page;
import io.growthos.management.web.Preconditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
@RequestMapping("/v1/workspaces")
@Tag(name = "Workspaces", description = "Operator routes: admin keys (gos_ak_) only")
class WorkspaceController {

  private final WorkspaceService workspaces;

  WorkspaceController(WorkspaceService workspaces) {
    this.workspaces = workspaces;
  }

  @PostMapping
  @RequiresAdminKey
  @Operation(summary = "Create a workspace with a first write key and secret key (shown once)")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<WorkspaceCreatedResponse> create(@Valid @RequestBody CreateWorkspaceRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(workspaces.create(body));
  }

  @PostMapping("/{id}/api-keys")
  @RequiresAdminKey
  @Operation(
      summary = "Create a key in a workspace; the full key is in this response only",
      description =
          "The way back into a workspace whose keys are all lost (full keys are never stored:"
              + " a replayed create shows them null). Takes the body of POST /v1/api-keys; an"
              + " operator may grant any scope. The new key is listed by GET /v1/api-keys of the"
              + " workspace like any other, and revokes the lost ones.")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<ApiKeyResponse> createKey(
      @PathVariable String id, @Valid @RequestBody CreateApiKeyRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(workspaces.createKey(id, body));
  }

  @GetMapping
  @RequiresAdminKey
  @Operation(summary = "List workspaces, newest first")
  Page<WorkspaceResponse> list(
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return workspaces.list(limit, cursor);
  }

  @GetMapping("/{id}")
  @RequiresAdminKey
  @Operation(summary = "Retrieve a workspace")
  WorkspaceResponse get(@PathVariable String id) {
    return workspaces.get(id);
  }

  @PatchMapping("/{id}")
  @RequiresAdminKey
  @Operation(summary = "Rename a workspace or change its plan")
  ResponseEntity<WorkspaceResponse> update(
      @PathVariable String id,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateWorkspaceRequest body) {
    return ResponseEntity.ok(workspaces.update(id, body, Preconditions.ifMatchVersion(ifMatch)));
  }
}
