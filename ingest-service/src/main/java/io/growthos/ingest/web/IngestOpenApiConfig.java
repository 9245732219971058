package io.growthos.ingest.web;

import io.growthos.platform.auth.RequiresWriteKey;
import io.growthos.platform.web.WireSchemas;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.HandlerMethod;

/**
 * Keeps the Ingest API's {@code /v3/api-docs} true to the code, as the Management API's is:
 *
 * <ul>
 *   <li>response schemas say which properties are always present ({@code required}) and which can
 *       be null, from the records the routes write ({@link WireSchemas}, shared with the Management
 *       API);
 *   <li>every route lists the errors it can answer, derived from what enforces them: every route
 *       400 (an invalid body or, on widget routes, an unknown query parameter), 401, 429, 500 and
 *       503 (the database or, with {@code failure-mode: closed}, the rate limiter unavailable);
 *       widget routes 403 {@code origin_not_allowed} ({@code WidgetOriginCheck}); a route with a
 *       campaign id 404; a route that reads a body ({@link IngestRequest}) 413 and 415. Errors
 *       particular to a route (409 and 422 of a join) are declared on its handler. Each error's
 *       body is the envelope.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class IngestOpenApiConfig {

  private static final String ERROR = "#/components/schemas/ErrorEnvelope";

  @Bean
  ModelConverter ingestWireSchemaConverter() {
    return WireSchemas.converter();
  }

  /** The envelope every error refers to, whichever routes declare one themselves. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  OpenApiCustomizer ingestErrorEnvelopeSchema() {
    return WireSchemas::addErrorEnvelope;
  }

  /**
   * The tracking routes' operation ids, named for their route ({@code track} for {@code /v1/track},
   * {@code trackShort} for {@code /v1/t}): springdoc numbered the second handler path of a method
   * ({@code track} was {@code /v1/t}, {@code track_1} {@code /v1/track}, and {@code group} the
   * other way round), so a generated client's method names were arbitrary and could change between
   * builds.
   */
  @Bean
  OpenApiCustomizer ingestTrackingOperationIds() {
    return api -> {
      for (String[] route : IngestRoutes.LONG_AND_SHORT) {
        String call = route[0].substring(route[0].lastIndexOf('/') + 1);
        operationId(api, route[0], call);
        operationId(api, route[1], call + "Short");
      }
    };
  }

  private static void operationId(OpenAPI api, String path, String id) {
    PathItem item = api.getPaths().get(path);
    if (item != null) {
      item.readOperations().forEach(op -> op.setOperationId(id));
    }
  }

  /** After the other customizers, as on the Management API. */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  OpenApiCustomizer ingestResponsesRequireWrittenProperties() {
    return api -> {
      WireSchemas.requireWrittenProperties(api);
      WireSchemas.anyOfForMixedTypes(api);
    };
  }

  @Bean
  OperationCustomizer ingestErrorResponses() {
    return (Operation operation, HandlerMethod handler) -> {
      if (!handler.hasMethodAnnotation(RequiresWriteKey.class)) {
        return operation;
      }
      boolean widget = WidgetRoutes.isWidgetHandler(handler);
      boolean campaign = false;
      boolean body = false;
      for (MethodParameter p : handler.getMethodParameters()) {
        campaign |= p.hasParameterAnnotation(PathVariable.class);
        body |= p.getParameterType() == IngestRequest.class;
      }
      Map<String, String> errors = new LinkedHashMap<>();
      errors.put(
          "400",
          widget
              ? "Invalid body or parameter (an unknown or repeated query parameter included);"
                  + " details name each field."
              : "Malformed JSON or invalid events (nothing stored); details name each field by"
                  + " path.");
      errors.put(
          "401",
          widget
              ? "Missing, unknown or revoked write key (widget routes take it in the Authorization"
                  + " header only)."
              : "Missing, unknown or revoked write key, or a key of another type.");
      if (widget) {
        errors.put(
            "403",
            "The page's Origin is not in the workspace's allowed_widget_origins (reason"
                + " origin_not_allowed); sent without Access-Control-Allow-Origin.");
      }
      if (campaign) {
        errors.put(
            "404",
            "No live campaign of this type with this id in the key's workspace (unknown, another"
                + " workspace's, not active, or outside its dates: one answer for all).");
      }
      if (body) {
        errors.put("413", "Body larger than 500 KB after decompression (limits.max-body-size).");
        errors.put(
            "415",
            widget
                ? "A Content-Type other than application/json, or a Content-Encoding other than"
                    + " gzip or identity."
                : "Content-Encoding other than gzip or identity.");
      }
      errors.put("429", "Rate limited by the key's ingest plan; see Retry-After.");
      errors.put("500", "Bug on our side; safe to retry.");
      errors.put(
          "503",
          "The database (or, with the rate limiter's failure mode closed, Redis) is unavailable;"
              + " retry after Retry-After.");
      ApiResponses responses =
          operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
      errors.forEach(
          (status, description) -> {
            if (!responses.containsKey(status)) {
              responses.addApiResponse(status, new ApiResponse().description(description));
            }
          });
      ApiResponses sorted = new ApiResponses();
      new TreeMap<>(responses).forEach(sorted::addApiResponse);
      sorted.forEach(
          (status, response) -> {
            if (status.compareTo("400") >= 0) {
              response.setContent(
                  new Content()
                      .addMediaType(
                          "application/json", new MediaType().schema(new Schema<>().$ref(ERROR))));
            }
          });
      WireSchemas.addResponseHeaders(sorted, false);
      operation.setResponses(sorted);
      return operation;
    };
  }
}
