package io.growthos.ingest.web;

import io.growthos.model.errors.ErrorEnvelope;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

/**
 * OpenAPI documentation of the ingest payloads. These records only describe the wire format for
 * {@code /v3/api-docs}; requests are read as JSON trees (see the events package) because Segment
 * payloads are open-ended and must be validated all or nothing with field paths.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "GrowthOS Ingest API",
            version = "v1",
            description =
                "Segment-compatible event routes (track, identify, page, screen, group, alias,"
                    + " batch) and the widget routes the web components call, all with write keys"
                    + " (gos_wk_). An acknowledgement means the events are committed."))
@SecuritySchemes({
  @SecurityScheme(
      name = "basicAuth",
      type = SecuritySchemeType.HTTP,
      scheme = "basic",
      description = "The write key as username, empty password: base64('gos_wk_...:')."),
  @SecurityScheme(
      name = "bearerAuth",
      type = SecuritySchemeType.HTTP,
      scheme = "bearer",
      description =
          "The write key as bearer token. Browsers may instead put it in the body as 'writeKey'.")
})
final class IngestApiDocs {

  private IngestApiDocs() {}

  private static final String ORIGINAL_TIMESTAMP =
      "When the call was made on the device (ISO-8601); preferred over timestamp for the clock"
          + " skew correction with sentAt";

  private static final String CATEGORY =
      "A page or screen call's category; stored as properties.category unless the properties"
          + " have one";

  private static final String WRITE_KEY =
      "The write key, for clients that cannot send a header (analytics.js, sendBeacon). A string;"
          + " with a key in the Authorization header too it must be that same key (else 400 naming"
          + " writeKey)";

  private static final String ITEM_WRITE_KEY =
      "analytics.js repeats the key on every event: if present, it must be the request's key (the"
          + " header's, else the batch's writeKey), else 400 naming batch[i].writeKey";

  private static final String INTEGRATIONS =
      "Kept with the event as sent (Segment's per-destination switches); GrowthOS itself does not"
          + " act on it";

  /** The responses every ingest route may give, and its security. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @SecurityRequirement(name = "basicAuth")
  @SecurityRequirement(name = "bearerAuth")
  @ApiResponse(
      responseCode = "200",
      description = "Every event is durably stored (duplicates by messageId included).",
      content = @Content(schema = @Schema(implementation = Ack.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "Malformed JSON or invalid events (nothing stored); details name each field by path.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "401",
      description = "Missing, unknown or revoked write key, or a key of another type.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "413",
      description =
          "Body larger than 500 KB after decompression, or a batch that would store more than"
              + " 5 MB once its top-level context and integrations are copied into each event.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "415",
      description = "Content-Encoding other than gzip or identity.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "429",
      description = "Rate limited; see Retry-After.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Events cannot be stored right now (database down, queue full: `service_unavailable`)"
              + " or the service holds as many requests in memory as it may (`overloaded`);"
              + " retry after Retry-After.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @interface StandardResponses {}

  @Schema(description = "A track call. Also accepts the common fields of every call.")
  record TrackCall(
      String userId,
      String anonymousId,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Order Completed")
          String event,
      Map<String, Object> properties,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      String sentAt,
      Map<String, Object> context,
      @Schema(description = INTEGRATIONS) Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}

  @Schema(description = "An identify call.")
  record IdentifyCall(
      String userId,
      String anonymousId,
      @Schema(
              description =
                  "Merged into the contact's traits (null removes one). Without it, the call's"
                      + " `context.traits` are used (RudderStack's JavaScript SDK sends them there)")
          Map<String, Object> traits,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      String sentAt,
      Map<String, Object> context,
      @Schema(description = INTEGRATIONS) Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}

  @Schema(description = "A page or screen call.")
  record PageCall(
      String userId,
      String anonymousId,
      String name,
      @Schema(description = CATEGORY) String category,
      Map<String, Object> properties,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      String sentAt,
      Map<String, Object> context,
      @Schema(description = INTEGRATIONS) Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}

  @Schema(description = "A group call.")
  record GroupCall(
      String userId,
      String anonymousId,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String groupId,
      Map<String, Object> traits,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      String sentAt,
      Map<String, Object> context,
      @Schema(description = INTEGRATIONS) Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}

  @Schema(description = "An alias call.")
  record AliasCall(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String userId,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String previousId,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      String sentAt,
      Map<String, Object> context,
      @Schema(description = INTEGRATIONS) Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}

  @Schema(description = "One event of a batch: any call with its type.")
  record BatchItem(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {"track", "identify", "page", "screen", "group", "alias"})
          String type,
      String userId,
      String anonymousId,
      String event,
      String name,
      @Schema(description = CATEGORY) String category,
      String groupId,
      String previousId,
      Map<String, Object> properties,
      Map<String, Object> traits,
      String messageId,
      String timestamp,
      @Schema(description = ORIGINAL_TIMESTAMP) String originalTimestamp,
      @Schema(description = "This event's own; the batch's sentAt when absent") String sentAt,
      @Schema(description = "Merged over the batch's context") Map<String, Object> context,
      @Schema(description = "Merged over the batch's integrations")
          Map<String, Object> integrations,
      @Schema(description = ITEM_WRITE_KEY) String writeKey) {}

  @Schema(description = "A batch of up to 2,500 events.")
  record BatchCall(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<BatchItem> batch,
      String sentAt,
      Map<String, Object> context,
      Map<String, Object> integrations,
      @Schema(description = WRITE_KEY) String writeKey) {}
}
