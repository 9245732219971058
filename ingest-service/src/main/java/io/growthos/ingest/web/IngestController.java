package io.growthos.ingest.web;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.events.IngestService;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Segment-compatible routes. Thin: the request pipeline has authenticated the write key; the
 * service validates and queues the events; the request's thread then waits for the writer's commit
 * and answers. Waiting on the thread costs one park and unpark; an asynchronous response would cost
 * a second pass through the container, the filters and Spring MVC for every request, about a third
 * of a single event's CPU (docs/benchmarks.md, "Where the time goes"). No ACK before the commit
 * either way.
 */
@RestController
@Tag(name = "Ingest", description = "Segment-compatible event collection (SPEC §3).")
@IngestApiDocs.StandardResponses
class IngestController {

  private final IngestService ingest;
  private final Duration ackTimeout;

  IngestController(IngestService ingest, IngestProperties properties) {
    this.ingest = ingest;
    this.ackTimeout = properties.writer().ackTimeout();
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.TRACK, IngestRoutes.TRACK_SHORT})
  @Operation(
      summary = "Record an action a user performed",
      description = "Needs `event` and `userId` or `anonymousId`. `/v1/t` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.TrackCall.class))))
  Ack track(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.TRACK);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.IDENTIFY, IngestRoutes.IDENTIFY_SHORT})
  @Operation(
      summary = "Tie a user to their traits",
      description =
          "Creates or updates the contact of `userId` (traits merged; `email` kept as a field) and"
              + " links `anonymousId` to it. `/v1/i` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.IdentifyCall.class))))
  Ack identify(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.IDENTIFY);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.PAGE, IngestRoutes.PAGE_SHORT})
  @Operation(
      summary = "Record a page view",
      description = "`/v1/p` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.PageCall.class))))
  Ack page(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.PAGE);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.SCREEN, IngestRoutes.SCREEN_SHORT})
  @Operation(
      summary = "Record a mobile screen view",
      description = "`/v1/s` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.PageCall.class))))
  Ack screen(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.SCREEN);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.GROUP, IngestRoutes.GROUP_SHORT})
  @Operation(
      summary = "Associate a user with a group (account)",
      description =
          "Needs `groupId`. Upserts the group (traits merged) and the caller's membership."
              + " `/v1/g` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.GroupCall.class))))
  Ack group(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.GROUP);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.ALIAS, IngestRoutes.ALIAS_SHORT})
  @Operation(
      summary = "Link a previous id to a user",
      description =
          "Needs `previousId` and `userId`. Never merges two identified contacts. `/v1/a` is the"
              + " short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.AliasCall.class))))
  Ack alias(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, EventType.ALIAS);
  }

  @RequiresWriteKey
  @PostMapping({IngestRoutes.BATCH, IngestRoutes.BATCH_SHORT})
  @Operation(
      summary = "Send many calls at once",
      description =
          "Up to 2,500 events, each with its `type`; all or nothing. Top-level `context`,"
              + " `integrations` and `sentAt` apply to every event. `/v1/b` is the short form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.BatchCall.class))))
  Ack batch(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, null);
  }

  private Ack accept(AuthenticatedKey key, IngestRequest call, EventType type) {
    CompletableFuture<Void> committed =
        ingest.accept(
            key.workspaceId(),
            call.body(),
            type,
            call.bodyBytes(),
            call.receivedAt(),
            call::reserveEventText);
    try {
      committed.get(ackTimeout.toNanos(), TimeUnit.NANOSECONDS);
      return Ack.OK;
    } catch (TimeoutException slow) {
      // Still queued or committing: it may yet be stored, and a retry is stored once (messageId).
      throw notStoredInTime();
    } catch (ExecutionException failed) {
      throw failed.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(failed.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw notStoredInTime();
    }
  }

  private static ApiException notStoredInTime() {
    return new ApiException(
        ErrorCode.SERVICE_UNAVAILABLE,
        "The events were not stored in time; retry (duplicates are stored once).",
        List.of(ErrorDetail.of("service", "timeout", "Retry after 1 s.")),
        Map.of("Retry-After", "1"));
  }
}
