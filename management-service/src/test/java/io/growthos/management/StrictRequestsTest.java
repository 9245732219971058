package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Hostile or sloppy requests get a 400 that names what is wrong (SPEC §2, §4). */
class StrictRequestsTest extends ApiTestSupport {

  /** JSON only: a YAML answer once came back with Java's field names (hasMore). */
  @Test
  void yamlIsNeitherAnsweredNorRead() throws Exception {
    Tenant t = newTenant();
    Response answer =
        call("GET", "/v1/contacts?limit=1", t.key(), null, "Accept", "application/yaml");
    assertThat(answer.status()).isEqualTo(406);
    assertThat(answer.body().path("error").path("code").asString()).isEqualTo("not_acceptable");
    assertThat(answer.firstDetail().path("field").asString()).isEqualTo("Accept");
    HttpResponse<String> read =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/contacts"))
                    .header("Authorization", "Bearer " + t.key())
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString("email: y@example.com\n"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(415);
    assertThat(read.body()).contains("\"unsupported_media_type\"");
  }

  @Test
  void unknownBodyFieldIsNamed() {
    Tenant t = newTenant();
    Response r = post("/v1/contacts", t.key(), "{\"emial\":\"x@example.com\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("emial");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("unknown_field");
  }

  @Test
  void unknownQueryParametersAreNamed() {
    Tenant t = newTenant();
    Response r = get("/v1/contacts?limit=2&emial=x&zz=1", t.key());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error").path("details").findValuesAsString("field"))
        .containsExactly("emial", "zz");
    assertThat(get("/v1/settings?verbose=1", t.key()).status()).isEqualTo(400);
  }

  @Test
  void aQueryParameterGivenTwiceOrAnIntegerNotInDecimalDigitsIsA400() {
    Tenant t = newTenant();
    assertField(get("/v1/contacts?limit=&limit=3", t.key()), "limit", "repeated");
    assertThat(get("/v1/contacts?limit=&limit=3", t.key()).raw()).doesNotContain("[Ljava");
    assertField(get("/v1/contacts?limit=5&limit=6", t.key()), "limit", "repeated");
    assertField(get("/v1/contacts?email=a@b.c&email=b@c.d", t.key()), "email", "repeated");
    assertField(get("/v1/contacts?limit=0x10", t.key()), "limit", "invalid_type");
    assertField(get("/v1/contacts?limit=%EF%BC%95", t.key()), "limit", "invalid_type");
    assertThat(get("/v1/contacts?limit=5", t.key()).status()).isEqualTo(200);
  }

  @Test
  void anIntegerParameterBeyondWhatItsTypeHoldsIsOutOfRangeLikeOneBeyondItsLimit() {
    Tenant t = newTenant();
    assertField(get("/v1/contacts?limit=101", t.key()), "limit", "out_of_range");
    assertField(get("/v1/contacts?limit=2147483648", t.key()), "limit", "out_of_range");
    assertField(get("/v1/contacts?limit=-99999999999999999999", t.key()), "limit", "out_of_range");
    assertThat(
            get("/v1/contacts?limit=2147483648", t.key()).firstDetail().path("message").asString())
        .isEqualTo("Parameter 'limit' is out of range; got 2147483648.");
    assertField(get("/v1/contacts?limit=1e3", t.key()), "limit", "invalid_type");
  }

  @Test
  void aRouteThatReadsNoBodyRefusesOneAndChangesNothing() {
    Tenant t = newTenant();
    String id = post("/v1/api-keys", t.key(), "{\"type\":\"write\"}").body().path("id").asString();
    String revoke = "/v1/api-keys/" + id + "/revoke";
    assertField(post(revoke, t.key(), "{\"reason\":\"leaked\"}"), "body", "not_allowed");
    assertField(post(revoke, t.key(), "{bad json"), "body", "not_allowed");
    assertThat(get("/v1/api-keys/" + id, t.key()).body().path("status").asString())
        .isEqualTo("active");
    assertThat(post(revoke, t.key(), " { } ").status()).isEqualTo(200);
    assertThat(get("/v1/api-keys/" + id, t.key()).body().path("status").asString())
        .isEqualTo("revoked");
  }

  @Test
  void aFormEncodedBodyIsAnUnsupportedMediaTypeNotQueryParameters() {
    Tenant t = newTenant();
    String body = "email=form%40example.com";
    String answer =
        io.growthos.testsupport.TestHttp.raw(
            port,
            ("POST /v1/contacts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer "
                    + t.key()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(answer).startsWith("HTTP/1.1 415").contains("unsupported_media_type");
    assertThat(get("/v1/contacts?email=form%40example.com", t.key()).body().path("data").size())
        .isZero();
  }

  @Test
  void wrongTypesNameTheField() {
    Tenant t = newTenant();
    Response traits = post("/v1/contacts", t.key(), "{\"traits\":\"not an object\"}");
    assertThat(traits.status()).isEqualTo(400);
    assertThat(traits.firstDetail().path("field").asString()).isEqualTo("traits");
    Response after = get("/v1/contacts?created_after=yesterday", t.key());
    assertThat(after.status()).isEqualTo(400);
    assertThat(after.firstDetail().path("field").asString()).isEqualTo("created_after");
    Response grace = post("/v1/api-keys/x/roll", t.key(), "{\"grace_period_seconds\":\"soon\"}");
    assertThat(grace.status()).isEqualTo(400);
    assertThat(grace.firstDetail().path("field").asString()).isEqualTo("grace_period_seconds");
  }

  @Test
  void timestampQueryParametersAreReadAsStrictlyAsBodies() {
    Tenant t = newTenant();
    // 24:00 is not a time (Spring's ISO reader took it as the next day's midnight).
    for (String[] q : new String[][] {{"contacts", "created_after"}, {"events", "after"}}) {
      Response r = get("/v1/" + q[0] + "?" + q[1] + "=2026-01-01T24:00:00Z", t.key());
      assertThat(r.status()).as(q[1] + " " + r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo(q[1]);
      assertThat(r.firstDetail().path("message").asString()).contains("RFC 3339");
    }
    assertThat(get("/v1/contacts?created_before=2026-02-30T00:00:00Z", t.key()).status())
        .isEqualTo(400);
    assertThat(get("/v1/events?before=2026-01-01", t.key()).status()).isEqualTo(400);
    // An offset is fine (+ written %2B in a query).
    assertThat(get("/v1/contacts?created_after=2026-01-01T10:00:00%2B02:00", t.key()).status())
        .isEqualTo(200);
    assertThat(get("/v1/events?after=2026-01-01T10:00:00.123Z", t.key()).status()).isEqualTo(200);
  }

  @Test
  void badEnumValuesListTheAllowedOnes() {
    Tenant t = newTenant();
    Response type = post("/v1/api-keys", t.key(), "{\"type\":\"read\"}");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.firstDetail().path("field").asString()).isEqualTo("type");
    assertThat(type.firstDetail().path("message").asString()).contains("write, secret");
    Response plan = post("/v1/workspaces", newAdminKey(), "{\"name\":\"n\",\"plan\":\"gold\"}");
    assertThat(plan.status()).isEqualTo(400);
    assertThat(plan.firstDetail().path("message").asString()).contains("free, growth, scale");
    Response eventType = get("/v1/events?type=click", t.key());
    assertThat(eventType.status()).isEqualTo(400);
    assertThat(eventType.firstDetail().path("message").asString()).contains("track");
    Response scope =
        post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[\"contacts:admin\"]}");
    assertThat(scope.status()).isEqualTo(400);
    assertThat(scope.firstDetail().path("field").asString()).isEqualTo("scopes[0]");
  }

  @Test
  void aMissingRequiredFieldIsRequiredAndListsTheValuesItTakes() {
    Tenant t = newTenant();
    Response type = post("/v1/api-keys", t.key(), "{\"name\":\"x\"}");
    assertField(type, "type", "required");
    assertThat(type.firstDetail().path("message").asString())
        .isEqualTo("Field 'type' is required: write or secret.");
    Response plan = post("/v1/workspaces", newAdminKey(), "{\"name\":\"W\",\"plan\":null}");
    assertField(plan, "plan", "required");
    assertThat(plan.firstDetail().path("message").asString())
        .isEqualTo("Field 'plan' is required: free, growth or scale.");
    // A field that takes any value says only that it is required.
    Response name = post("/v1/workspaces", newAdminKey(), "{\"plan\":\"free\"}");
    assertField(name, "name", "required");
    assertThat(name.firstDetail().path("message").asString())
        .isEqualTo("Field 'name' is required.");
  }

  @Test
  void aNullOrBadNameInAListIsA400NamingItsIndexInTheRequest() {
    Tenant t = newTenant();
    Response nullScope = post("/v1/api-keys", t.key(), "{\"type\":\"secret\",\"scopes\":[null]}");
    assertThat(nullScope.status()).isEqualTo(400);
    assertThat(nullScope.firstDetail().path("field").asString()).isEqualTo("scopes[0]");
    Response afterDuplicate =
        post(
            "/v1/api-keys",
            t.key(),
            "{\"type\":\"secret\",\"scopes\":[\"contacts:read\",\"contacts:read\",\"bogus\"]}");
    assertThat(afterDuplicate.status()).isEqualTo(400);
    assertThat(afterDuplicate.firstDetail().path("field").asString()).isEqualTo("scopes[2]");

    String url = "\"url\":\"https://hooks.example.com/h\"";
    Response nullEvent =
        post("/v1/webhook-endpoints", t.key(), "{" + url + ",\"events\":[\"*\",null]}");
    assertThat(nullEvent.status()).isEqualTo(400);
    assertThat(nullEvent.firstDetail().path("field").asString()).isEqualTo("events[1]");
    Response created = post("/v1/webhook-endpoints", t.key(), "{" + url + ",\"events\":[\"*\"]}");
    assertThat(created.status()).isEqualTo(201);
    String endpoint = "/v1/webhook-endpoints/" + created.body().path("id").asString();
    Response badAfterDuplicates =
        patch(endpoint, t.key(), "{\"events\":[\"contact.created\",\"bogus\",\"bogus\",\"x\"]}");
    assertThat(badAfterDuplicates.status()).isEqualTo(400);
    assertThat(badAfterDuplicates.body().path("error").path("details").findValuesAsString("field"))
        .containsExactly("events[1]", "events[2]", "events[3]");
    assertThat(patch(endpoint, t.key(), "{\"events\":[null]}").status()).isEqualTo(400);
    Response deduplicated =
        patch(endpoint, t.key(), "{\"events\":[\"contact.created\",\"contact.created\"]}");
    assertThat(deduplicated.status()).isEqualTo(200);
    assertThat(deduplicated.body().path("events").size()).isEqualTo(1);
  }

  @Test
  void aFieldOfTheWrongJsonTypeIsRefusedNotConverted() {
    Tenant t = newTenant();
    assertField(post("/v1/contacts", t.key(), "{\"user_id\":5}"), "user_id", "invalid_type");
    assertField(
        post("/v1/segments", t.key(), "{\"name\":true,\"filter\":{\"all\":[]}}"),
        "name",
        "invalid_type");
    String contact = post("/v1/contacts", t.key(), "{}").body().path("id").asString();
    assertField(
        patch("/v1/contacts/" + contact, t.key(), "{\"traits\":{},\"version\":\"1\"}"),
        "version",
        "invalid_type");
    assertField(
        patch("/v1/contacts/" + contact, t.key(), "{\"traits\":{},\"version\":1.5}"),
        "version",
        "invalid_type");
    assertField(
        post(
            "/v1/analytics/query",
            t.key(),
            "{\"kind\":\"counts\",\"from\":1700000000,\"to\":\"2026-01-01T00:00:00Z\"}"),
        "from",
        "invalid_type");
    assertField(
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\":\"waitlist\",\"name\":\"w\",\"starts_at\":\"2026-12-01T24:00:00Z\"}"),
        "starts_at",
        "invalid_type");
    assertField(
        patch("/v1/settings", t.key(), "{\"dedupe_window_seconds\":\"600\"}"),
        "dedupe_window_seconds",
        "invalid_type");
  }

  @Test
  void anArrayOrObjectInsideAListOfStringsIsNamedWhereItIsAndChangesNothing() {
    Tenant t = newTenant();
    String url = "\"url\":\"https://hooks.example.com/h\"";
    for (String inner : new String[] {"[\"x\"]", "[]", "{\"a\":1}"}) {
      Response r =
          post(
              "/v1/webhook-endpoints",
              t.key(),
              "{\"events\":[\"*\"," + inner + ",\"contact.created\"]," + url + "}");
      assertThat(r.status()).as(inner + ": " + r.raw()).isEqualTo(400);
      assertField(r, "events[1]", "invalid_type");
    }
    assertField(
        post("/v1/contacts", t.key(), "{\"anonymous_ids\":[[\"a\"]],\"user_id\":\"u\"}"),
        "anonymous_ids[0]",
        "invalid_type");
    assertField(
        post("/v1/segments", t.key(), "{\"name\":[\"n\"],\"filter\":{\"all\":[]}}"),
        "name",
        "invalid_type");
    assertThat(
            jdbc.queryForObject(
                "select (select count(*) from webhook_endpoints where workspace_id = ?)"
                    + " + (select count(*) from contacts where workspace_id = ?)",
                Long.class,
                t.workspaceId(),
                t.workspaceId()))
        .isZero();
  }

  @Test
  void aNumberTooLargeForItsFieldIsOutOfRangeNamingTheField() {
    Tenant t = newTenant();
    Response setting = patch("/v1/settings", t.key(), "{\"dedupe_window_seconds\":1000000000000}");
    assertField(setting, "dedupe_window_seconds", "out_of_range");
    assertThat(setting.firstDetail().path("message").asString())
        .as("the field's own bounds, not those of a Java int")
        .isEqualTo(
            "Field 'dedupe_window_seconds' is out of range: it must be an integer from 60 to"
                + " 7776000.");
    assertThat(
            post("/v1/campaigns/cmp_x/admit", t.key(), "{\"count\":10000000000}")
                .firstDetail()
                .path("message")
                .asString())
        .isEqualTo("Field 'count' is out of range: it must be an integer from 1 to 1000.");
    String contact = post("/v1/contacts", t.key(), "{}").body().path("id").asString();
    assertField(
        patch(
            "/v1/contacts/" + contact, t.key(), "{\"traits\":{},\"version\":99999999999999999999}"),
        "version",
        "out_of_range");
  }

  private static void assertField(Response r, String field, String reason) {
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo(field);
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo(reason);
  }

  @Test
  void validationErrorsNameTheField() {
    Tenant t = newTenant();
    Response email = post("/v1/contacts", t.key(), "{\"email\":\"not-an-email\"}");
    assertThat(email.status()).isEqualTo(400);
    assertThat(email.firstDetail().path("field").asString()).isEqualTo("email");
    Response zone = patch("/v1/settings", t.key(), "{\"timezone\":\"Mars/Olympus\"}");
    assertThat(zone.status()).isEqualTo(400);
    assertThat(zone.firstDetail().path("field").asString()).isEqualTo("timezone");
    Response origin =
        patch(
            "/v1/settings",
            t.key(),
            "{\"allowed_widget_origins\":[\"https://ok.com\",\"ftp://x/y\"]}");
    assertThat(origin.status()).isEqualTo(400);
    assertThat(origin.firstDetail().path("field").asString())
        .isEqualTo("allowed_widget_origins[1]");
    Response former =
        patch("/v1/settings", t.key(), "{\"allowed_origins\":[\"https://ok.com\",\"ftp://x/y\"]}");
    assertThat(former.status()).isEqualTo(400);
    assertThat(former.firstDetail().path("field").asString())
        .as("the field the client sent is the one named")
        .isEqualTo("allowed_origins[1]");
    Response window = patch("/v1/settings", t.key(), "{\"dedupe_window_seconds\":5}");
    assertThat(window.status()).isEqualTo(400);
    assertThat(window.firstDetail().path("field").asString()).isEqualTo("dedupe_window_seconds");
  }

  /**
   * A key given twice in one object is refused, as the Ingest API refuses it: which value the
   * client meant cannot be known, and Jackson kept the last one (a contact was created with the
   * second e-mail).
   */
  @Test
  void aDuplicateKeyIsA400NamingItsPathAndChangesNothing() {
    Tenant t = newTenant();
    Response top =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}",
            "Idempotency-Key",
            "dup-1");
    assertField(top, "email", "duplicate_key");
    assertThat(top.errorCode()).isEqualTo("validation_error");
    assertThat(top.firstDetail().path("message").asString())
        .isEqualTo("Field 'email' appears twice in the same object; send each key once.");
    Response nested =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"c@example.com\",\"traits\":{\"plan\":\"pro\",\"plan\":\"free\"}}");
    assertField(nested, "traits.plan", "duplicate_key");
    assertThat(get("/v1/contacts", t.key()).body().path("data").size())
        .as("nothing was created")
        .isZero();
    Response inArray =
        post(
            "/v1/analytics/query",
            t.key(),
            "{\"kind\":\"trends\",\"series\":[{\"event\":\"A\"},{\"event\":\"B\",\"event\":\"C\"}]}");
    assertField(inArray, "series[1].event", "duplicate_key");
    String settings = get("/v1/settings", t.key()).raw();
    assertField(
        patch(
            "/v1/settings", t.key(), "{\"timezone\":\"Asia/Tokyo\",\"timezone\":\"Europe/Paris\"}"),
        "timezone",
        "duplicate_key");
    assertThat(get("/v1/settings", t.key()).raw()).isEqualTo(settings);
    Response retried =
        post("/v1/contacts", t.key(), "{\"email\":\"b@example.com\"}", "Idempotency-Key", "dup-1");
    assertThat(retried.status()).as("the refused request did not claim its key").isEqualTo(201);
    assertThat(retried.header("Idempotent-Replayed")).isNull();
  }

  @Test
  void malformedJsonIsAnEnvelopedBadRequest() {
    Tenant t = newTenant();
    Response r = post("/v1/contacts", t.key(), "{\"email\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_json");
  }

  @Test
  void aSecondJsonValueAfterTheBodyIsInvalidJsonNotTheWrongTypeAndStoresNothing() {
    Tenant t = newTenant();
    Response r = post("/v1/contacts", t.key(), "{\"email\":\"a@x.com\"}{\"email\":\"b@x.com\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_json");
    assertThat(r.body().path("error").path("message").asString())
        .contains("more content follows the JSON value");
    assertThat(r.body().path("error").path("details").get(0).path("field").asString())
        .isEqualTo("body");
    assertThat(contactCount(t.workspaceId())).isZero();
  }
}
