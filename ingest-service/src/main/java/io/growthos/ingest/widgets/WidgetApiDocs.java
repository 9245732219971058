package io.growthos.ingest.widgets;

import io.growthos.model.errors.ErrorEnvelope;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** OpenAPI documentation shared by the widget routes. */
final class WidgetApiDocs {

  private WidgetApiDocs() {}

  /** The errors every widget route may give, and its security (the write key in a header). */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @SecurityRequirement(name = "basicAuth")
  @SecurityRequirement(name = "bearerAuth")
  @ApiResponse(
      responseCode = "400",
      description = "Invalid body or parameter; details name each field.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "401",
      description =
          "Missing, unknown or revoked write key (widget routes take it in the Authorization"
              + " header only), or a missing or invalid participant token.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "403",
      description =
          "The page's Origin is not in the workspace's allowed_widget_origins (reason"
              + " origin_not_allowed); sent without Access-Control-Allow-Origin.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "404",
      description =
          "No live campaign with this id in the key's workspace (unknown, another workspace's,"
              + " not active, or outside its dates: one answer for all).",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @ApiResponse(
      responseCode = "429",
      description = "Rate limited by the ingest plan; see Retry-After.",
      content = @Content(schema = @Schema(implementation = ErrorEnvelope.class)))
  @interface StandardResponses {}
}
