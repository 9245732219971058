package io.growthos.management.settings;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.web.Preconditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/settings")
@Tag(name = "Settings", description = "The workspace's name, time zone, widget origins, dedupe")
class SettingsController {

  private final SettingsService settings;

  SettingsController(SettingsService settings) {
    this.settings = settings;
  }

  @GetMapping
  @RequiresScope("settings:read")
  @Operation(summary = "Retrieve the workspace settings")
  SettingsResponse get(Caller caller) {
    return settings.get(caller.workspaceId());
  }

  @PatchMapping
  @RequiresScope("settings:write")
  @Operation(summary = "Change the workspace settings")
  ResponseEntity<SettingsResponse> update(
      Caller caller,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateSettingsRequest body) {
    return ResponseEntity.ok(
        settings.update(caller.workspaceId(), body, Preconditions.ifMatchVersion(ifMatch)));
  }
}
