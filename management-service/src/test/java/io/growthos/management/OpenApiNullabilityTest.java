package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.SchemaCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The live document says which response properties are always present ({@code required}) and which
 * can be null ({@code "type": [..., "null"]}), as the records declare it ({@code @Nullable},
 * {@code @JsonInclude}); request bodies are not made all-required.
 */
class OpenApiNullabilityTest extends ApiTestSupport {

  private JsonNode schemas;

  @BeforeEach
  void document() {
    Response r = get("/v3/api-docs", null);
    assertThat(r.status()).isEqualTo(200);
    schemas = r.body().path("components").path("schemas");
  }

  @Test
  void contactSaysWhatTheWireDoes() {
    assertRequired("Contact", "id", false);
    assertRequired("Contact", "object", false);
    assertRequired("Contact", "anonymous_ids", false);
    assertRequired("Contact", "traits", false);
    assertRequired("Contact", "version", false);
    assertRequired("Contact", "created_at", false);
    assertRequired("Contact", "user_id", true);
    assertRequired("Contact", "email", true);
    assertRequired("Contact", "first_seen_at", true);
    assertRequired("Contact", "last_seen_at", true);
    assertThat(property("Contact", "id").path("type").asString()).isEqualTo("string");
    assertThat(SchemaCheck.types(property("Contact", "user_id"))).containsExactly("string", "null");
    assertThat(SchemaCheck.types(property("Contact", "first_seen_at")))
        .containsExactly("string", "null");
    assertThat(property("Contact", "first_seen_at").path("format").asString())
        .isEqualTo("date-time");
  }

  @Test
  void knownNullablesAndRequiredsOfOtherResponses() {
    assertRequired("Event", "message_id", false);
    assertRequired("Event", "contact_id", true);
    assertRequired("Event", "properties", true);
    assertRequired("Segment", "description", true);
    assertRequired("Segment", "name", false);
    assertRequired("Campaign", "starts_at", true);
    assertRequired("Campaign", "audience", true);
    assertRequired("Campaign", "settings", false);
    assertRequired("CampaignParticipant", "position", true);
    assertRequired("CampaignParticipant", "participant_token", true);
    assertRequired("CampaignParticipant", "referral_code", false);
    assertRequired("Reward", "amount", true);
    assertRequired("Reward", "state", false);
    assertRequired("WebhookDelivery", "response_status", true);
    assertRequired("WebhookDelivery", "attempts", false);
    assertRequired("WebhookEndpoint", "disabled_reason", true);
    assertRequired("WebhookEndpoint", "description", true);
    assertRequired("ApiKey", "expires_at", true);
    assertRequired("Workspace", "timezone", false);
    assertRequired("Settings", "allowed_widget_origins", false);
    assertRequired("SurveyResponse", "completed_at", true);
    assertRequired("SurveyResults", "completion_rate", true);
    assertRequired("SurveyNps", "score", true);
    assertRequired("PageContact", "data", false);
    assertRequired("PageContact", "has_more", false);
    assertRequired("PageContact", "next_cursor", true);
    assertRequired("AnalyticsSeriesResult", "breakdown_value", true);
    assertRequired("AnalyticsStepResult", "median_seconds_to_convert", true);
    assertRequired("ErrorEnvelope", "request_id", false);
    assertRequired("ApiError", "details", false);

    // A nullable reference: oneOf the schema or null.
    JsonNode nps = property("SurveyResults", "nps");
    assertThat(nps.path("oneOf").path(0).path("$ref").asString())
        .isEqualTo("#/components/schemas/SurveyNps");
    assertThat(nps.path("oneOf").path(1).path("type").asString()).isEqualTo("null");
    // A nullable enum admits null among its values.
    assertThat(property("Referral", "reason").path("enum").toString()).contains("null");
  }

  /**
   * No schema lists several kinds of value, or a container and null, in one {@code type}: valid
   * OpenAPI 3.1, but openapi-generator keeps one of them, and its Python client refused every event
   * whose traits are null and every campaign whose audience is a filter (a black-box review with
   * generated clients, 2026-12-07). Such a property is an {@code anyOf} of one type each.
   */
  @Test
  void aPropertyOfSeveralKindsIsAnAnyOfNotATypeList() {
    List<String> mixed = new ArrayList<>();
    schemas.properties().forEach(e -> mixedTypes(e.getKey(), e.getValue(), mixed));
    assertThat(mixed).isEmpty();
    JsonNode traits = property("Event", "traits");
    assertThat(traits.path("anyOf").valueStream().map(SchemaCheck::types).toList())
        .containsExactly(List.of("object"), List.of("null"));
    assertThat(property("Campaign", "audience").path("anyOf").valueStream().map(SchemaCheck::types))
        .containsExactly(List.of("object"), List.of("string"), List.of("null"));
  }

  private static void mixedTypes(String at, JsonNode schema, List<String> out) {
    List<String> types = SchemaCheck.types(schema);
    List<String> values = types.stream().filter(t -> !t.equals("null")).toList();
    if (types.size() > 1
        && (values.size() > 1 || values.contains("object") || values.contains("array"))) {
      out.add(at + " " + types);
    }
    schema
        .path("properties")
        .properties()
        .forEach(p -> mixedTypes(at + "." + p.getKey(), p.getValue(), out));
    if (schema.has("items")) {
      mixedTypes(at + "[]", schema.path("items"), out);
    }
    if (schema.path("additionalProperties").isObject()) {
      mixedTypes(at + "{}", schema.path("additionalProperties"), out);
    }
  }

  @Test
  void propertiesLeftOutWhenNullAreOptionalButNeverNull() {
    for (String[] p :
        new String[][] {
          {"WebhookEndpoint", "secret"},
          {"SegmentPreview", "sample"},
          {"AnalyticsResult", "series"},
          {"AnalyticsResult", "interval"}
        }) {
      assertThat(required(p[0])).as("%s.%s", p[0], p[1]).doesNotContain(p[1]);
      assertThat(SchemaCheck.types(property(p[0], p[1])))
          .as("%s.%s", p[0], p[1])
          .doesNotContain("null");
    }
    assertRequired("AnalyticsResult", "kind", false);
    assertRequired("AnalyticsResult", "from", false);
    assertRequired("SegmentPreview", "count", false);
  }

  /**
   * A full API or admin key is in the create (and roll) answers only, and null when such an answer
   * is replayed from the idempotency store (which never keeps it): optional, and typed nullable.
   */
  @Test
  void fullKeysAreOptionalAndNullWhenReplayed() {
    JsonNode key = property("ApiKey", "key");
    assertThat(required("ApiKey")).doesNotContain("key");
    assertThat(SchemaCheck.types(key)).containsExactly("string", "null");
    assertThat(key.path("description").asString())
        .contains("only in the answer of a create or roll")
        .contains("null when that answer is replayed from the idempotency store");
    JsonNode admin = property("AdminKey", "key");
    assertThat(required("AdminKey")).doesNotContain("key");
    assertThat(SchemaCheck.types(admin)).containsExactly("string", "null");
    assertThat(admin.path("description").asString())
        .contains("null when that answer is replayed from the idempotency store");
    // A new workspace's first keys: always written, null in a replay.
    assertRequired("WorkspaceCreated", "write_key", true);
    assertRequired("WorkspaceCreated", "secret_key", true);
    assertRequired("WorkspaceCreated", "workspace", false);
  }

  @Test
  void requestBodiesAndSharedSchemasAreNotMadeRequired() {
    assertThat(required("UpdateContact")).isEmpty();
    assertThat(required("UpdateCampaign")).isEmpty();
    assertThat(required("CreateContact")).isEmpty();
    assertThat(required("CreateCampaign")).containsExactlyInAnyOrder("name", "type");
    assertThat(required("FilterCondition")).containsExactlyInAnyOrder("field", "op");
    assertThat(required("FilterPerformed")).containsExactly("performed");
    schemas
        .properties()
        .forEach(
            s ->
                assertThat(s.getValue().has("x-growthos-always-written")).as(s.getKey()).isFalse());
  }

  /**
   * A request body admits null exactly where a null means something (RequestBodyNulls): the seven
   * properties whose doc says what null does, in every request schema and the ones they refer to.
   */
  @Test
  void requestBodiesAdmitNullExactlyWhereItMeansSomething() {
    JsonNode paths = get("/v3/api-docs", null).body().path("paths");
    java.util.Set<String> request = new java.util.TreeSet<>();
    paths.forEach(
        p ->
            p.forEach(
                op -> {
                  String ref =
                      op.path("requestBody")
                          .path("content")
                          .path("application/json")
                          .path("schema")
                          .path("$ref")
                          .asString();
                  if (!ref.isEmpty()) {
                    collect(ref.substring(ref.lastIndexOf('/') + 1), request);
                  }
                }));
    List<String> nullable = new ArrayList<>();
    for (String schema : request) {
      schemas
          .path(schema)
          .path("properties")
          .properties()
          .forEach(
              p -> {
                if (io.growthos.testsupport.HostileRequests.admitsNull(p.getValue())) {
                  nullable.add(schema + "." + p.getKey());
                }
              });
    }
    assertThat(request).contains("UpdateSegment", "AnalyticsSeries", "Filter");
    assertThat(nullable)
        .containsExactlyInAnyOrder(
            "CreateCampaign.audience",
            "UpdateCampaign.starts_at",
            "UpdateCampaign.ends_at",
            "UpdateCampaign.audience",
            "UpdateContact.email",
            "UpdateSegment.description",
            "UpdateWebhookEndpoint.description");
    for (String p : nullable) {
      String[] parts = p.split("\\.");
      assertThat(property(parts[0], parts[1]).path("description").asString())
          .as("%s says what null does", p)
          .containsIgnoringCase("null");
    }
  }

  /** {@code schema} and every schema it refers to, by name. */
  private void collect(String schema, java.util.Set<String> into) {
    if (!into.add(schema)) {
      return;
    }
    for (String ref : refs(schemas.path(schema), new ArrayList<>())) {
      collect(ref, into);
    }
  }

  private static List<String> refs(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("$ref")) {
      String ref = node.path("$ref").asString();
      out.add(ref.substring(ref.lastIndexOf('/') + 1));
    }
    node.forEach(child -> refs(child, out));
    return out;
  }

  private void assertRequired(String schema, String property, boolean nullable) {
    assertThat(schemas.path(schema).path("properties").has(property))
        .as("%s.%s exists", schema, property)
        .isTrue();
    assertThat(required(schema)).as("%s.%s is required", schema, property).contains(property);
    JsonNode p = property(schema, property);
    boolean admitsNull = SchemaCheck.admitsNull(p);
    assertThat(admitsNull).as("%s.%s admits null", schema, property).isEqualTo(nullable);
  }

  private JsonNode property(String schema, String property) {
    return schemas.path(schema).path("properties").path(property);
  }

  private List<String> required(String schema) {
    List<String> out = new ArrayList<>();
    schemas.path(schema).path("required").forEach(n -> out.add(n.asString()));
    return out;
  }
}
