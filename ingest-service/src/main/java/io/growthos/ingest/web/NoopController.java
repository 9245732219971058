package io.growthos.ingest.web;

import io.growthos.ingest.events.IngestService;
import io.growthos.model.events.EventType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark aid, off unless {@code growthos.ingest.bench-noop-endpoint=true}: {@code POST /v1/noop}
 * authenticates, reads, parses and validates a track call exactly like {@code /v1/track} and
 * returns the same ACK without touching the database. The {@code track} benchmark divides by it to
 * show what durable storage costs; {@code GET /v1/noop} is the baseline of the {@code feed}
 * benchmark.
 */
@RestController
@ConditionalOnProperty(name = "growthos.ingest.bench-noop-endpoint", havingValue = "true")
@Tag(name = "Benchmark")
@IngestApiDocs.StandardResponses
class NoopController {

  private final IngestService ingest;

  NoopController(IngestService ingest) {
    this.ingest = ingest;
  }

  @RequiresWriteKey
  @PostMapping(IngestRoutes.NOOP)
  @Operation(
      summary = "Validate a track call and store nothing (benchmark baseline)",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.TrackCall.class))))
  Ack noop(AuthenticatedKey key, IngestRequest call) {
    ingest.validateOnly(
        call.body(), EventType.TRACK, call.bodyBytes(), call.receivedAt(), call::reserveEventText);
    return Ack.OK;
  }

  /**
   * The baseline of the {@code feed} benchmark: a GET through the same pipeline (write key, rate
   * limit) as {@code GET /v1/widgets/campaigns/{id}/feed}, answering a constant.
   */
  @RequiresWriteKey
  @GetMapping(IngestRoutes.NOOP)
  @Operation(summary = "Authenticate a GET and answer a constant (benchmark baseline)")
  Ack noopGet(AuthenticatedKey key) {
    return Ack.OK;
  }
}
