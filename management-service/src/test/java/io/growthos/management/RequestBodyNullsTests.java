package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An explicit {@code null} in a Management API request body does what the property's doc says where
 * the property is nullable, and is a 400 naming it everywhere else ({@code RequestBodyNulls}). The
 * sweep over every property of the live document is {@code AuthenticatedHostileInputPropertyTests};
 * these pin what each nullable property's null does.
 */
class RequestBodyNullsTests extends ApiTestSupport {

  private static final String FILTER =
      "{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}";

  @Test
  void aNullWhereTheFieldTakesNoneIs400NamingItAndChangesNothing() {
    Tenant t = newTenant();
    Response created =
        post("/v1/segments", t.key(), "{\"name\": \"Pros\", \"filter\": " + FILTER + "}");
    String path = "/v1/segments/" + created.body().path("id").asString();

    Response r = patch(path, t.key(), "{\"name\": null}");

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.body().path("error").path("code").asString()).isEqualTo("validation_error");
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("name");
    assertThat(r.firstDetail().path("message").asString())
        .isEqualTo(
            "Field 'name' must not be null; omit the field to leave it unchanged (or to take its"
                + " default).");
    Response after = get(path, t.key());
    assertThat(after.body().path("name").asString()).isEqualTo("Pros");
    assertThat(after.body().path("version").asInt()).isEqualTo(1);
  }

  @Test
  void aNullInsideANestedRequestObjectIsNamedByItsPath() {
    Tenant t = newTenant();
    Response r =
        post(
            "/v1/analytics/query",
            t.key(),
            "{\"kind\": \"trends\", \"series\": [{\"event\": \"Signed Up\", \"math\": null}]}");
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("series[0].math");
  }

  @Test
  void aRequiredFieldSentAsNullIsStillRequired() {
    Tenant t = newTenant();
    Response r = post("/v1/segments", t.key(), "{\"name\": null, \"filter\": " + FILTER + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("name");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("required");
  }

  @Test
  void segmentDescriptionNullClearsIt() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/segments",
            t.key(),
            "{\"name\": \"Pros\", \"description\": \"paying\", \"filter\": " + FILTER + "}");
    String path = "/v1/segments/" + created.body().path("id").asString();

    Response cleared = patch(path, t.key(), "{\"description\": null}");

    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(cleared.body().path("description").isNull()).isTrue();
    assertThat(cleared.body().path("version").asInt()).isEqualTo(2);
    assertThat(get(path, t.key()).body().path("description").isNull()).isTrue();
  }

  @Test
  void webhookEndpointDescriptionNullClearsItAndNoDescriptionShowsAsNull() {
    Tenant t = newTenant();
    Response none =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"*\"]}");
    assertThat(none.status()).as(none.raw()).isEqualTo(201);
    assertThat(none.body().path("description").isNull()).as(none.raw()).isTrue();

    Response described =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"*\"], \"description\":"
                + " \"CRM\"}");
    String path = "/v1/webhook-endpoints/" + described.body().path("id").asString();
    Response cleared = patch(path, t.key(), "{\"description\": null}");

    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(cleared.body().path("description").isNull()).isTrue();
    assertThat(cleared.body().path("version").asInt()).isEqualTo(2);
    assertThat(get(path, t.key()).body().path("description").isNull()).isTrue();
    Response url = patch(path, t.key(), "{\"url\": null}");
    assertThat(url.status()).isEqualTo(400);
    assertThat(url.firstDetail().path("field").asString()).isEqualTo("url");
  }

  @Test
  void campaignDatesAndAudienceNullClearThem() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"Beta\", \"starts_at\": \"2030-01-01T00:00:00Z\","
                + " \"ends_at\": \"2030-02-01T00:00:00Z\", \"audience\": "
                + FILTER
                + "}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String path = "/v1/campaigns/" + created.body().path("id").asString();

    Response cleared =
        patch(path, t.key(), "{\"starts_at\": null, \"ends_at\": null, \"audience\": null}");

    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(cleared.body().path("starts_at").isNull()).isTrue();
    assertThat(cleared.body().path("ends_at").isNull()).isTrue();
    assertThat(cleared.body().path("audience").isNull()).isTrue();
    Response name = patch(path, t.key(), "{\"settings\": null}");
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.firstDetail().path("field").asString()).isEqualTo("settings");
  }

  @Test
  void createCampaignAudienceNullIsEveryone() {
    Tenant t = newTenant();
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"B\", \"audience\": null}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("audience").isNull()).isTrue();
  }

  @Test
  void contactEmailNullClearsItAndNullsInsideTraitsStayData() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\": \"ada@example.com\", \"traits\": {\"plan\": \"pro\", \"seats\": 3,"
                + " \"address\": {\"city\": null}}}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("traits").path("address").has("city")).isTrue();
    String path = "/v1/contacts/" + created.body().path("id").asString();

    Response r = patch(path, t.key(), "{\"email\": null, \"traits\": {\"seats\": null}}");

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("email").isNull()).isTrue();
    assertThat(r.body().path("traits").has("seats")).isFalse();
    assertThat(r.body().path("traits").path("plan").asString()).isEqualTo("pro");
    Response traits = patch(path, t.key(), "{\"traits\": null}");
    assertThat(traits.status()).isEqualTo(400);
    assertThat(traits.firstDetail().path("field").asString()).isEqualTo("traits");
  }
}
