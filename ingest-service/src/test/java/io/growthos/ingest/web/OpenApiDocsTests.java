package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /v3/api-docs documents every ingest route with its body, errors and security. */
class OpenApiDocsTests extends IngestTestBase {

  /**
   * A generated client names its methods after the operation ids: springdoc numbered a method's
   * second path ({@code track} was /v1/t, {@code track_1} /v1/track, {@code group} the other way
   * round; a black-box review with generated clients, 2026-12-07).
   */
  @Test
  void eachTrackingRouteHasAnOperationIdNamedForIt() {
    JsonNode paths =
        json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build())).path("paths");
    for (String[] route :
        new String[][] {
          {"track", "t"},
          {"identify", "i"},
          {"page", "p"},
          {"screen", "s"},
          {"group", "g"},
          {"alias", "a"},
          {"batch", "b"}
        }) {
      assertThat(paths.at("/~1v1~1" + route[0] + "/post/operationId").asString())
          .isEqualTo(route[0]);
      assertThat(paths.at("/~1v1~1" + route[1] + "/post/operationId").asString())
          .isEqualTo(route[0] + "Short");
    }
  }

  @Test
  void theDocumentNamesTheApiAndItsVersion() {
    JsonNode info =
        json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build())).path("info");
    assertThat(info.path("title").asString()).isEqualTo("GrowthOS Ingest API");
    assertThat(info.path("version").asString()).isEqualTo("v1");
    assertThat(info.path("description").asString()).contains("write keys");
  }

  @Test
  void everyCallSchemaListsTheCommonFieldsTheRoutesKeep() {
    // EventParser reads and stores these on every call (integrations and originalTimestamp were
    // kept but documented only on the batch).
    JsonNode schemas =
        json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()))
            .path("components")
            .path("schemas");
    for (String call :
        List.of("TrackCall", "IdentifyCall", "PageCall", "GroupCall", "AliasCall", "BatchItem")) {
      List<String> names = new java.util.ArrayList<>();
      schemas.path(call).path("properties").propertyNames().forEach(names::add);
      assertThat(names)
          .as(call)
          .contains(
              "messageId", "timestamp", "originalTimestamp", "sentAt", "context", "integrations");
    }
  }

  @Test
  void theSurveyWidgetBodiesAreDocumentedWithTheirSchemas() {
    JsonNode doc = json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()));
    for (String[] op :
        new String[][] {
          {"/v1/widgets/surveys", "get", "WidgetSurveyLookup", null},
          {
            "/v1/widgets/campaigns/{id}/displays",
            "post",
            "WidgetSurveyInteraction",
            "WidgetSurveyInteractionRequest"
          },
          {
            "/v1/widgets/campaigns/{id}/dismissals",
            "post",
            "WidgetSurveyInteraction",
            "WidgetSurveyInteractionRequest"
          },
          {"/v1/widgets/campaigns/{id}/responses", "post", null, "WidgetSurveyResponseRequest"}
        }) {
      JsonNode operation = doc.path("paths").path(op[0]).path(op[1]);
      JsonNode schema = operation.at("/responses/200/content/application~1json/schema");
      if (op[2] != null) {
        assertThat(schema.path("$ref").asString())
            .as(op[0])
            .isEqualTo("#/components/schemas/" + op[2]);
      } else {
        // A response as stored, or the acknowledgement for a deleted contact's ids: anyOf, since a
        // stored response also has the acknowledgement's fields (with oneOf every answer matched
        // both and a generated client refused it as ambiguous).
        assertThat(schema.has("oneOf")).isFalse();
        assertThat(schema.path("anyOf").toString())
            .contains("#/components/schemas/WidgetSurveyResponse\"")
            .contains("#/components/schemas/WidgetSurveyResponseNotRecorded");
      }
      if (op[3] != null) {
        assertThat(operation.at("/requestBody/content/application~1json/schema/$ref").asString())
            .as(op[0])
            .isEqualTo("#/components/schemas/" + op[3]);
      } else {
        assertThat(operation.has("requestBody")).isFalse();
      }
    }
    JsonNode schemas = doc.path("components").path("schemas");
    assertThat(schemas.at("/WidgetSurveyResponseRequest/required").toString())
        .isEqualTo("[\"response_id\"]");
    assertThat(schemas.at("/WidgetSurvey/properties/questions/items/$ref").asString())
        .isEqualTo("#/components/schemas/WidgetSurveyQuestion");
  }

  @Test
  void documentsEveryRouteWithErrorsAndSecurity() {
    JsonNode doc = json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()));
    List<String> routes =
        List.of(
            "/v1/track",
            "/v1/t",
            "/v1/identify",
            "/v1/i",
            "/v1/page",
            "/v1/p",
            "/v1/screen",
            "/v1/s",
            "/v1/group",
            "/v1/g",
            "/v1/alias",
            "/v1/a",
            "/v1/batch",
            "/v1/b");
    for (String route : routes) {
      JsonNode post = doc.path("paths").path(route).path("post");
      assertThat(post.isMissingNode()).as(route).isFalse();
      assertThat(post.path("summary").asString()).as(route).isNotBlank();
      assertThat(post.path("requestBody").path("content").has("application/json"))
          .as(route)
          .isTrue();
      assertThat(post.path("requestBody").path("content").has("text/plain")).as(route).isTrue();
      // Tracking routes read any Content-Type as JSON (issue 9): the document says so.
      assertThat(post.path("requestBody").path("description").asString())
          .as(route)
          .contains("whatever the Content-Type says");
      for (String status : List.of("200", "400", "401", "413", "415", "429", "503")) {
        assertThat(post.path("responses").has(status)).as(route + " " + status).isTrue();
      }
      assertThat(post.path("security").toString()).contains("basicAuth").contains("bearerAuth");
    }
    // Widget routes take application/json only (415 otherwise), and their documents say so.
    JsonNode join =
        doc.path("paths")
            .path("/v1/widgets/campaigns/{id}/participants")
            .path("post")
            .path("requestBody")
            .path("content");
    assertThat(join.has("application/json")).isTrue();
    assertThat(join.has("text/plain")).isFalse();
    assertThat(doc.at("/components/securitySchemes/basicAuth/scheme").asString())
        .isEqualTo("basic");
    assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asString())
        .isEqualTo("bearer");
    assertThat(doc.at("/components/schemas/BatchCall").isMissingNode()).isFalse();
    assertThat(doc.at("/components/schemas/ErrorEnvelope").isMissingNode()).isFalse();
  }
}
