package io.growthos.management.adminkeys;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresAdminKey;
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
@RequestMapping("/v1/admin-keys")
@Tag(name = "Admin keys", description = "Operator routes: admin keys (gos_ak_) rotate themselves")
class AdminKeyController {

  private final AdminKeyService keys;

  AdminKeyController(AdminKeyService keys) {
    this.keys = keys;
  }

  @PostMapping
  @RequiresAdminKey
  @Operation(summary = "Create an admin key; the full key is in this response only")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<AdminKeyResponse> create(
      @Valid @RequestBody(required = false) CreateAdminKeyRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(keys.create(body));
  }

  @GetMapping
  @RequiresAdminKey
  @Operation(summary = "List admin keys, newest first (never the full keys)")
  Page<AdminKeyResponse> list(
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return keys.list(limit, cursor);
  }

  @PostMapping("/{id}/revoke")
  @RequiresAdminKey
  @Operation(
      summary = "Revoke an admin key at once",
      description =
          "Refused (422) for the key making the request and for the last active admin key:"
              + " rotate by creating a new key and revoking the old one with it.")
  ResponseEntity<AdminKeyResponse> revoke(Caller caller, @PathVariable String id) {
    return ResponseEntity.ok(keys.revoke(caller, id));
  }
}
