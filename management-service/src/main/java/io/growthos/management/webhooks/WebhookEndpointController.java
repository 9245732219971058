package io.growthos.management.webhooks;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
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
@RequestMapping("/v1/webhook-endpoints")
@Tag(
    name = "Webhooks",
    description =
        "Endpoints that receive signed events (Standard Webhooks), their deliveries and resends")
class WebhookEndpointController {

  private final WebhookEndpointService endpoints;

  WebhookEndpointController(WebhookEndpointService endpoints) {
    this.endpoints = endpoints;
  }

  @PostMapping
  @RequiresScope("webhooks:write")
  @Operation(summary = "Create an endpoint; its signing secret is in this response only")
  @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
  ResponseEntity<WebhookEndpointResponse> create(
      Caller caller, @Valid @RequestBody CreateWebhookEndpointRequest body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(endpoints.create(caller.workspaceId(), body));
  }

  @GetMapping
  @RequiresScope("webhooks:read")
  @Operation(summary = "List endpoints, newest first")
  Page<WebhookEndpointResponse> list(
      Caller caller,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return endpoints.list(caller.workspaceId(), limit, cursor);
  }

  @GetMapping("/{id}")
  @RequiresScope("webhooks:read")
  @Operation(summary = "Retrieve an endpoint (never its secret)")
  WebhookEndpointResponse get(Caller caller, @PathVariable String id) {
    return endpoints.get(caller.workspaceId(), id);
  }

  @PatchMapping("/{id}")
  @RequiresScope("webhooks:write")
  @Operation(summary = "Update an endpoint: url, events, description, status")
  ResponseEntity<WebhookEndpointResponse> update(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "\"<version>\": 412 unless it is the current version")
          @RequestHeader(name = "If-Match", required = false)
          String ifMatch,
      @Valid @RequestBody UpdateWebhookEndpointRequest body) {
    return ResponseEntity.ok(
        endpoints.update(caller.workspaceId(), id, body, Preconditions.ifMatchVersion(ifMatch)));
  }

  @DeleteMapping("/{id}")
  @RequiresScope("webhooks:write")
  @Operation(summary = "Delete an endpoint and its delivery log")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    endpoints.delete(caller.workspaceId(), id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{id}/rotate-secret")
  @RequiresScope("webhooks:write")
  @Operation(summary = "Replace the signing secret; the old one also signs deliveries for 24 hours")
  ResponseEntity<WebhookEndpointResponse> rotateSecret(Caller caller, @PathVariable String id) {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(endpoints.rotateSecret(caller.workspaceId(), id));
  }

  @PostMapping("/{id}/test")
  @RequiresScope("webhooks:write")
  @Operation(summary = "Send a webhook.test event to this endpoint")
  @ApiResponse(
      responseCode = "200",
      description = "Queued; follow it in the delivery log",
      useReturnTypeSchema = true)
  ResponseEntity<WebhookDeliveryResponse> test(Caller caller, @PathVariable String id) {
    return ResponseEntity.ok(endpoints.test(caller.workspaceId(), id));
  }

  @GetMapping("/{id}/deliveries")
  @RequiresScope("webhooks:read")
  @Operation(summary = "The endpoint's deliveries, newest first, with their latest attempt")
  Page<WebhookDeliveryResponse> deliveries(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "pending, succeeded or failed") @RequestParam(required = false)
          String status,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    return endpoints.deliveries(caller.workspaceId(), id, status, limit, cursor);
  }

  @PostMapping("/{id}/deliveries/{delivery_id}/resend")
  @RequiresScope("webhooks:write")
  @Operation(summary = "Send a delivery again now (same webhook-id and body)")
  @ApiResponse(responseCode = "200", description = "Queued", useReturnTypeSchema = true)
  ResponseEntity<WebhookDeliveryResponse> resend(
      Caller caller, @PathVariable String id, @PathVariable("delivery_id") String deliveryId) {
    return ResponseEntity.ok(endpoints.resend(caller.workspaceId(), id, deliveryId));
  }
}
