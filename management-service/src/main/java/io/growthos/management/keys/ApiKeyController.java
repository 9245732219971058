package io.growthos.management.keys;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/api-keys")
@Tag(name = "API keys", description = "Write keys (Ingest API) and scoped secret keys")
class ApiKeyController {

  private final ApiKeyService keys;

  ApiKeyController(ApiKeyService keys) {
    this.keys = keys;
  }

  @PostMapping
  @RequiresScope("keys:write")
  @Operation(summary = "Create a key; the full key is in this response only")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<ApiKeyResponse> create(
      Caller caller, @Valid @RequestBody CreateApiKeyRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(keys.create(caller, body));
  }

  @GetMapping
  @RequiresScope("keys:read")
  @Operation(summary = "List keys, newest first")
  Page<ApiKeyResponse> list(
      Caller caller,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return keys.list(caller.workspaceId(), limit, cursor);
  }

  @GetMapping("/{id}")
  @RequiresScope("keys:read")
  @Operation(summary = "Retrieve a key (never the full key)")
  ApiKeyResponse get(Caller caller, @PathVariable String id) {
    return keys.get(caller.workspaceId(), id);
  }

  @PostMapping("/{id}/revoke")
  @RequiresScope("keys:write")
  @Operation(summary = "Revoke a key at once")
  ResponseEntity<ApiKeyResponse> revoke(Caller caller, @PathVariable String id) {
    return ResponseEntity.ok(keys.revoke(caller, id));
  }

  @PostMapping("/{id}/roll")
  @RequiresScope("keys:write")
  @Operation(summary = "Replace a key; the old one works until the grace period ends")
  ResponseEntity<ApiKeyResponse> roll(
      Caller caller,
      @PathVariable String id,
      @Valid @RequestBody(required = false) RollApiKeyRequest body) {
    int grace = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(keys.roll(caller, id, grace));
  }
}
