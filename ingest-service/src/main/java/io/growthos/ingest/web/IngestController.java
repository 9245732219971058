package io.growthos.ingest.web;

import io.growthos.ingest.events.EventType;
import io.growthos.ingest.events.IngestService;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Segment-compatible routes. Thin: the request pipeline has authenticated the write key; the
 * service validates and queues it; the response is sent, without holding a servlet thread, when the
 * writer has committed the events.
 */
@RestController
@Tag(name = "Ingest", description = "Segment-compatible event collection (SPEC §3).")
@IngestApiDocs.StandardResponses
class IngestController {

  private final IngestService ingest;

  IngestController(IngestService ingest) {
    this.ingest = ingest;
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
  CompletableFuture<Ack> track(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> identify(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> page(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> screen(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> group(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> alias(AuthenticatedKey key, IngestRequest call) {
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
  CompletableFuture<Ack> batch(AuthenticatedKey key, IngestRequest call) {
    return accept(key, call, null);
  }

  private CompletableFuture<Ack> accept(AuthenticatedKey key, IngestRequest call, EventType type) {
    return ingest
        .accept(key.workspaceId(), call.body(), type, call.bodyBytes(), call.receivedAt())
        .thenApply(done -> Ack.OK);
  }
}
