package io.growthos.management.web;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresAdminKey;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.PageRequest;
import io.growthos.platform.web.WireSchemas;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.method.HandlerMethod;

/**
 * Keeps {@code /v3/api-docs} true to the code: security, scopes, error responses and the
 * Idempotency-Key header are derived from the same annotations that enforce them, not written per
 * route. Errors of the whole API are listed where they apply: 406 ({@link AcceptsJson}) and 503 on
 * every route, 413 ({@code BodySizeLimitFilter}) and 415 ({@link ConcreteContentType}, Spring's
 * own) on the routes that read a body.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

  static final String SECRET_KEY = "secretKey";
  static final String ADMIN_KEY = "adminKey";
  static final String ERROR = "ErrorEnvelope";

  static {
    // The authenticated caller is a handler argument, not a request parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  @Bean
  OpenAPI managementOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("GrowthOS Management API")
                .version("v1")
                .description(
                    "Full CRUD with secret keys (gos_sk_) carrying scopes; workspace routes take"
                        + " admin keys (gos_ak_). Lists are cursor-paginated; writes accept"
                        + " Idempotency-Key."))
        .components(
            new Components()
                .addSecuritySchemes(
                    SECRET_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("gos_sk_…")
                        .description("Secret key with the route's scope"))
                .addSecuritySchemes(
                    ADMIN_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("gos_ak_…")
                        .description("Operator key: workspace routes only")));
  }

  @Bean
  OperationCustomizer securityAndErrors() {
    return (Operation operation, HandlerMethod handler) -> {
      RequiresScope scope = handler.getMethodAnnotation(RequiresScope.class);
      boolean admin = handler.hasMethodAnnotation(RequiresAdminKey.class);
      if (scope == null && !admin) {
        return operation;
      }
      String resource = handler.getBeanType().getSimpleName().replace("Controller", "");
      operation.setOperationId(
          Character.toLowerCase(resource.charAt(0))
              + resource.substring(1)
              + "_"
              + handler.getMethod().getName());
      // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: the scopes, readable by
      // tools (x-required-scope and the description say the same).
      operation.addSecurityItem(
          scope == null || admin
              ? new SecurityRequirement().addList(admin ? ADMIN_KEY : SECRET_KEY)
              : new SecurityRequirement().addList(SECRET_KEY, List.of(scope.value())));
      if (scope != null) {
        String scopes = String.join(" ", scope.value());
        operation.addExtension("x-required-scope", scopes);
        String note = "Requires scope `" + String.join("` and `", scope.value()) + "`.";
        operation.setDescription(
            operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
      }
      if (operation.getParameters() != null) {
        // Every list's page size is 1 to 100 (PageRequest.checkLimit): said in the schema, where a
        // generated client reads it, not only in the description.
        operation.getParameters().stream()
            .filter(p -> "limit".equals(p.getName()) && "query".equals(p.getIn()))
            .filter(p -> p.getSchema() != null)
            .forEach(
                p ->
                    p.getSchema()
                        .minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(PageRequest.MAX_LIMIT)));
      }
      boolean write = WriteRoutes.isIdempotentWrite(handler.getMethod(), handler.getBeanType());
      if (write) {
        operation.addParametersItem(
            new HeaderParameter()
                .name("Idempotency-Key")
                .required(false)
                .description(
                    "At most 255 characters. The first response is stored for 24 h and replayed"
                        + " with Idempotent-Replayed: true")
                .schema(new StringSchema().maxLength(255)));
      }
      ApiResponses responses =
          operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
      Map<String, String> errors = new LinkedHashMap<>();
      errors.put("400", "Invalid parameters, body or cursor");
      errors.put("401", "Missing, invalid or revoked key, or the wrong type of key");
      if (scope != null) {
        errors.put("403", "The key lacks scope " + String.join(" and ", scope.value()));
      }
      errors.put("404", "No such resource in this workspace");
      errors.put(
          "406",
          "The Accept header admits no JSON (application/json); refused before the handler runs");
      if (ManagementHandlers.readsBody(handler)) {
        errors.put(
            "413",
            "Body larger than growthos.http.max-body-size (GROWTHOS_HTTP_MAX_BODY_SIZE, 1 MB)");
        errors.put(
            "415",
            "Content-Type other than application/json (or application/*+json), or a wildcard or"
                + " malformed one");
      }
      if (write) {
        errors.put("409", "Duplicate resource, version conflict or idempotency key in use");
        errors.put("412", "If-Match does not name the current version");
        errors.put("422", "Idempotency key reused with another request, or a business rule");
      }
      errors.put("429", "Rate limited");
      errors.put("500", "Bug on our side; safe to retry");
      errors.put(
          "503",
          "The database (or, with the rate limiter's failure mode closed, Redis) is unavailable;"
              + " retry after Retry-After");
      errors.forEach(
          (status, description) -> {
            if (!responses.containsKey(status)) {
              responses.addApiResponse(status, errorResponse(description));
            }
          });
      // Errors a handler declares itself (e.g. 503 query_timeout) carry the envelope too. Springdoc
      // gives a declared response without content the handler's return type, so the content of
      // every error is set here, not only when it is missing.
      responses.forEach(
          (status, response) -> {
            if (status.compareTo("400") >= 0) {
              response.setContent(errorResponse(response.getDescription()).getContent());
            }
          });
      WireSchemas.addResponseHeaders(responses, write);
      operation.setResponses(responses);
      return operation;
    };
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  OpenApiCustomizer errorEnvelopeSchema() {
    return WireSchemas::addErrorEnvelope;
  }

  /**
   * springdoc introspects with swagger-core's own (Jackson 2) mapper, which does not know that this
   * app writes snake_case (spring.jackson.property-naming-strategy): apply the same translation to
   * every documented property so the document matches the wire.
   */
  @Bean
  OpenApiCustomizer snakeCaseProperties() {
    return openApi -> {
      if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
        return;
      }
      for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
        if (schema.getProperties() != null) {
          @SuppressWarnings("rawtypes")
          Map<String, Schema> renamed = new LinkedHashMap<>();
          schema.getProperties().forEach((name, property) -> renamed.put(snake(name), property));
          schema.setProperties(renamed);
        }
        if (schema.getRequired() != null) {
          schema.setRequired(schema.getRequired().stream().map(OpenApiConfig::snake).toList());
        }
      }
    };
  }

  /**
   * Response schemas list the properties the API always writes as {@code required} and type the
   * ones it can write as null {@code [..., "null"]} ({@link WireSchemas}): the converter reads the
   * records' {@code @Nullable} and {@code @JsonInclude}, this customizer applies {@code required}
   * to the schemas used by responses only. Runs after the others (the error envelope is added by
   * one of them).
   */
  @Bean
  ModelConverter wireSchemaConverter() {
    return WireSchemas.converter();
  }

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  OpenApiCustomizer responsesRequireWrittenProperties() {
    return api -> {
      WireSchemas.requireWrittenProperties(api);
      WireSchemas.anyOfForMixedTypes(api);
    };
  }

  static String snake(String name) {
    return WireSchemas.snake(name);
  }

  private static ApiResponse errorResponse(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    "application/json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))));
  }
}
