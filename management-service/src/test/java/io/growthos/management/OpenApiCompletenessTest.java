package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.Routes.Route;
import io.growthos.platform.web.StrictQueryParameters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The live {@code /v3/api-docs} against the live route table: every route is documented with its
 * parameters, body, success and error responses (the envelope) and security, and nothing is
 * documented that does not exist.
 */
class OpenApiCompletenessTest extends ApiTestSupport {

  private static final Pattern SNAKE = Pattern.compile("[a-z0-9_]+");

  /** Bodies the service requires though Spring's {@code @RequestBody} is optional. */
  private static final Set<String> REQUIRED_BODIES =
      Set.of(
          "POST /v1/campaigns/{id}/participants",
          "POST /v1/campaigns/{id}/participants/{pid}/verify",
          "POST /v1/campaigns/{id}/admit");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /** A POST that creates a sub-resource (e.g. a campaign's participant) answers 201. */
  private static boolean creates(Route route) {
    io.swagger.v3.oas.annotations.responses.ApiResponse created =
        route
            .handler()
            .getMethodAnnotation(io.swagger.v3.oas.annotations.responses.ApiResponse.class);
    return created != null && created.responseCode().equals("201");
  }

  @Test
  void documentsEveryRouteAndNothingElse() {
    JsonNode doc = apiDocs();
    List<Route> routes = Routes.of(mapping);
    Set<String> implemented = new HashSet<>();
    routes.forEach(r -> implemented.add(r.method() + " " + r.path()));
    Set<String> documented = new HashSet<>();
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> documented.add(op.getKey().toUpperCase() + " " + path.getKey())));
    assertThat(documented).isEqualTo(implemented);
  }

  @Test
  void everyOperationHasItsParametersBodyResponsesAndSecurity() {
    JsonNode doc = apiDocs();
    for (Route route : Routes.of(mapping)) {
      JsonNode op = doc.path("paths").path(route.path()).path(route.method().toLowerCase());
      String what = route.toString();

      Set<String> query = new HashSet<>();
      Set<String> pathParams = new HashSet<>();
      Set<String> headers = new HashSet<>();
      op.path("parameters")
          .forEach(
              p -> {
                String in = p.path("in").asString();
                String name = p.path("name").asString();
                (in.equals("query") ? query : in.equals("path") ? pathParams : headers).add(name);
              });
      assertThat(query)
          .as("%s query parameters", what)
          .isEqualTo(StrictQueryParameters.declaredParameters(route.handler()));
      Matcher vars = Pattern.compile("\\{(\\w+)}").matcher(route.path());
      while (vars.find()) {
        assertThat(pathParams).as("%s path parameters", what).contains(vars.group(1));
      }
      // Reads sent as a POST take no key (WriteRoutes): documenting one would promise a replay.
      assertThat(headers.contains("Idempotency-Key"))
          .as("%s documents Idempotency-Key", what)
          .isEqualTo(route.isWrite());
      if (query.contains("limit")) {
        JsonNode limit =
            op.path("parameters")
                .valueStream()
                .filter(p -> p.path("name").asString().equals("limit"))
                .findFirst()
                .orElseThrow()
                .path("schema");
        assertThat(limit.path("minimum").asInt()).as("%s limit minimum", what).isEqualTo(1);
        assertThat(limit.path("maximum").asInt()).as("%s limit maximum", what).isEqualTo(100);
      }
      if (route.method().equals("PATCH")) {
        assertThat(headers).as("%s documents If-Match", what).contains("If-Match");
      }

      boolean takesBody = false;
      for (MethodParameter p : route.handler().getMethodParameters()) {
        takesBody |= p.hasParameterAnnotation(RequestBody.class);
      }
      assertThat(op.has("requestBody")).as("%s request body", what).isEqualTo(takesBody);
      if (REQUIRED_BODIES.contains(route.method() + " " + route.path())) {
        // Optional to Spring (checked after the lookups), required by the service: a generated
        // client made it an optional last argument.
        assertThat(op.path("requestBody").path("required").asBoolean())
            .as("%s body required", what)
            .isTrue();
      }
      if (takesBody) {
        assertThat(op.path("requestBody").path("content").path("application/json").path("schema"))
            .as("%s request schema", what)
            .isNotEmpty();
      }

      JsonNode responses = op.path("responses");
      String success =
          route.method().equals("DELETE")
              ? "204"
              : route.method().equals("POST")
                      && route.isWrite()
                      && (!route.path().contains("{id}") || creates(route))
                  ? "201"
                  : "200";
      assertThat(responses.has(success)).as("%s documents %s", what, success).isTrue();
      if (!success.equals("204")) {
        assertThat(responses.path(success).path("content").path("application/json").path("schema"))
            .as("%s success schema", what)
            .isNotEmpty();
      }
      for (String status : List.of("400", "401", "404", "429", "500")) {
        assertThat(errorSchema(responses, status))
            .as("%s %s", what, status)
            .isEqualTo("#/components/schemas/ErrorEnvelope");
      }
      // Every error a route documents, including those a handler declares itself (503
      // query_timeout, 422 of a campaign of another type), is the envelope, not the success body.
      for (String status : responses.propertyNames()) {
        if (status.compareTo("400") >= 0) {
          assertThat(errorSchema(responses, status))
              .as("%s %s", what, status)
              .isEqualTo("#/components/schemas/ErrorEnvelope");
        }
      }
      if (route.scope() != null) {
        assertThat(errorSchema(responses, "403")).as("%s 403", what).isNotEmpty();
        assertThat(op.path("x-required-scope").asString())
            .isEqualTo(String.join(" ", route.scopes()));
      }
      if (route.isWrite()) {
        for (String status : List.of("409", "412", "422")) {
          assertThat(errorSchema(responses, status)).as("%s %s", what, status).isNotEmpty();
        }
      }
      // The headers every answer carries, so a generated client can read them.
      responses
          .properties()
          .forEach(
              r -> {
                JsonNode h = r.getValue().path("headers");
                assertThat(h.has("X-Request-Id") && h.has("X-RateLimit-Remaining"))
                    .as("%s %s headers", what, r.getKey())
                    .isTrue();
                assertThat(h.has("Idempotent-Replayed"))
                    .as("%s %s Idempotent-Replayed", what, r.getKey())
                    .isEqualTo(route.isWrite() && r.getKey().startsWith("2"));
              });
      assertThat(responses.path("429").path("headers").path("Retry-After").path("$ref").asString())
          .as(what)
          .isEqualTo("#/components/headers/Retry-After");
      assertThat(doc.at("/components/headers/Retry-After/schema/type").asString())
          .isEqualTo("integer");
      String scheme = route.adminOnly() ? "adminKey" : "secretKey";
      assertThat(op.path("security").path(0).has(scheme)).as("%s security", what).isTrue();
      if (route.scope() != null && !route.adminOnly()) {
        assertThat(op.path("security").path(0).path(scheme).valueStream().map(JsonNode::asString))
            .as("%s security scopes", what)
            .containsExactlyElementsOf(route.scopes());
      }
      assertThat(
              doc.path("components").path("securitySchemes").path(scheme).path("scheme").asString())
          .isEqualTo("bearer");
    }
  }

  @Test
  void schemasUseTheWireNames() {
    JsonNode schemas = apiDocs().path("components").path("schemas");
    assertThat(schemas.path("ErrorEnvelope").path("properties").has("request_id")).isTrue();
    assertThat(schemas.path("Contact").path("properties").has("user_id")).isTrue();
    schemas
        .properties()
        .forEach(
            schema ->
                schema
                    .getValue()
                    .path("properties")
                    .propertyNames()
                    .forEach(
                        name ->
                            assertThat(name).as("%s.%s", schema.getKey(), name).matches(SNAKE)));
  }

  private static String errorSchema(JsonNode responses, String status) {
    return responses
        .path(status)
        .path("content")
        .path("application/json")
        .path("schema")
        .path("$ref")
        .asString("");
  }

  private JsonNode apiDocs() {
    Response r = get("/v3/api-docs", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("openapi").asString()).startsWith("3.1");
    return r.body();
  }
}
