package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignsTests extends ApiTestSupport {

  private static final String WAITLIST =
      "{\"type\": \"waitlist\", \"name\": \"Beta\", \"settings\": {\"spots_per_referral\": 3}}";

  @Test
  void createsADraftWithSettingsDefaults() {
    Tenant t = newTenant();
    Response r = post("/v1/campaigns", t.key(), WAITLIST);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("id").asString()).startsWith("cmp_");
    assertThat(r.body().path("object").asString()).isEqualTo("campaign");
    assertThat(r.body().path("status").asString()).isEqualTo("draft");
    assertThat(r.body().path("version").asInt()).isEqualTo(1);
    assertThat(r.body().path("settings").path("spots_per_referral").asInt()).isEqualTo(3);
    assertThat(r.body().path("settings").path("require_verification").asBoolean()).isFalse();
    assertThat(r.body().path("created_at").asString()).matches(".*\\.\\d{3}Z");
    Response got = get("/v1/campaigns/" + r.body().path("id").asString(), t.key());
    assertThat(got.body()).isEqualTo(r.body());
  }

  @Test
  void movesThroughTheLifecycleAndRefusesInvalidTransitions() {
    Tenant t = newTenant();
    String id = post("/v1/campaigns", t.key(), WAITLIST).body().path("id").asString();
    String path = "/v1/campaigns/" + id;
    assertThat(patch(path, t.key(), "{\"status\": \"paused\"}").status()).isEqualTo(422);
    Response active = patch(path, t.key(), "{\"status\": \"active\"}");
    assertThat(active.body().path("status").asString()).isEqualTo("active");
    assertThat(active.body().path("version").asInt()).isEqualTo(2);
    assertThat(patch(path, t.key(), "{\"status\": \"paused\"}").body().path("status").asString())
        .isEqualTo("paused");
    assertThat(patch(path, t.key(), "{\"status\": \"active\"}").status()).isEqualTo(200);
    Response back = patch(path, t.key(), "{\"status\": \"draft\"}");
    assertThat(back.status()).isEqualTo(422);
    assertThat(back.errorCode()).isEqualTo("unprocessable_entity");
    assertThat(back.firstDetail().path("field").asString()).isEqualTo("status");
    assertThat(back.body().at("/error/message").asString())
        .startsWith("An active campaign cannot become draft");
    assertThat(patch(path, t.key(), "{\"status\": \"ended\"}").status()).isEqualTo(200);
    assertThat(patch(path, t.key(), "{\"status\": \"active\"}").status()).isEqualTo(422);
  }

  @Test
  void validatesSettingsPerTypeNamingTheField() {
    Tenant t = newTenant();
    Response unknown =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"x\", \"settings\": {\"spots\": 2}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.firstDetail().path("field").asString()).isEqualTo("settings.spots");
    Response referral =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"referral\", \"name\": \"x\", \"settings\": {\"landing_url\": \"nope\"}}");
    assertThat(referral.status()).isEqualTo(400);
    assertThat(referral.firstDetail().path("field").asString()).isEqualTo("settings.landing_url");
    Response type = post("/v1/campaigns", t.key(), "{\"type\": \"quiz\", \"name\": \"x\"}");
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.firstDetail().path("field").asString()).isEqualTo("type");
    Response survey =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"survey\", \"name\": \"x\", \"settings\": {\"questions\": {}}}");
    assertThat(survey.status()).isEqualTo(400);
    assertThat(survey.firstDetail().path("field").asString()).isEqualTo("settings.questions");
    Response emptySurvey =
        post("/v1/campaigns", t.key(), "{\"type\": \"survey\", \"name\": \"x\"}");
    assertThat(emptySurvey.status()).isEqualTo(201);
    Response typeChange =
        patch(
            "/v1/campaigns/" + emptySurvey.body().path("id").asString(),
            t.key(),
            "{\"type\": \"waitlist\"}");
    assertThat(typeChange.status()).isEqualTo(400);
  }

  /**
   * A reward's amount is stored in the settings' jsonb (and issued rewards' numeric), which hold no
   * more than 131,072 digits before the point and 16,383 after: a larger or finer amount was a 500
   * of the insert. It follows the one bound on JSON numbers of both services (NumberRange), as
   * filter values in the same settings do: 400 out_of_range naming the field.
   */
  @Test
  void aRewardAmountBeyondTheNumberBoundIs400NamingItNotA500() {
    Tenant t = newTenant();
    for (String amount : List.of("1e200000", "1e-20000")) {
      Response r =
          post(
              "/v1/campaigns",
              t.key(),
              "{\"type\": \"referral\", \"name\": \"R\", \"settings\": {\"landing_url\":"
                  + " \"https://x.io\", \"reward_rules\": [{\"side\": \"referrer\","
                  + " \"reward\": {\"type\": \"cash\", \"currency\": \"USD\", \"amount\": "
                  + amount
                  + "}}]}}");
      assertThat(r.status()).as(amount + " " + r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString())
          .isEqualTo("settings.reward_rules[0].reward.amount");
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("out_of_range");
    }
  }

  @Test
  void validatesAudienceAndDates() {
    Tenant t = newTenant();
    Response unknown =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"x\", \"audience\": \"seg_0000000000000000000000a\"}");
    assertThat(unknown.status()).as(unknown.raw()).isEqualTo(422);
    assertThat(unknown.firstDetail().path("reason").asString()).isEqualTo("unknown_segment");
    String segment =
        post(
                "/v1/segments",
                t.key(),
                "{\"name\": \"All\", \"filter\": {\"field\": \"email\", \"op\": \"exists\"}}")
            .body()
            .path("id")
            .asString();
    Response seg =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"x\", \"audience\": \"" + segment + "\"}");
    assertThat(seg.status()).as(seg.raw()).isEqualTo(201);
    assertThat(seg.body().path("audience").asString()).isEqualTo(segment);
    Response filter =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"x\", \"audience\": {\"field\": \"email\","
                + " \"op\": \"ends_with\", \"value\": \"@acme.com\"}}");
    assertThat(filter.body().path("audience").path("op").asString()).isEqualTo("ends_with");
    assertThat(
            post(
                    "/v1/campaigns",
                    t.key(),
                    "{\"type\": \"waitlist\", \"name\": \"x\", \"audience\": 3}")
                .status())
        .isEqualTo(400);
    Response dates =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"x\", \"starts_at\": \"2030-01-02T00:00:00Z\","
                + " \"ends_at\": \"2030-01-01T00:00:00Z\"}");
    assertThat(dates.status()).isEqualTo(400);
    assertThat(dates.firstDetail().path("field").asString()).isEqualTo("ends_at");
    Response cleared =
        patch("/v1/campaigns/" + seg.body().path("id").asString(), t.key(), "{\"audience\": null}");
    assertThat(cleared.body().path("audience").isNull()).isTrue();
  }

  @Test
  void listsFilteredByTypeAndStatusWithCursors() {
    Tenant t = newTenant();
    for (int i = 0; i < 3; i++) {
      post("/v1/campaigns", t.key(), WAITLIST);
    }
    post(
        "/v1/campaigns", t.key(), "{\"type\": \"survey\", \"name\": \"s\", \"status\": \"ended\"}");
    Response page1 = get("/v1/campaigns?type=waitlist&limit=2", t.key());
    assertThat(ids(page1)).hasSize(2);
    assertThat(page1.body().path("has_more").asBoolean()).isTrue();
    Response page2 =
        get(
            "/v1/campaigns?type=waitlist&limit=2&cursor="
                + page1.body().path("next_cursor").asString(),
            t.key());
    assertThat(ids(page2)).hasSize(1);
    Response tamper =
        get(
            "/v1/campaigns?type=survey&cursor=" + page1.body().path("next_cursor").asString(),
            t.key());
    assertThat(tamper.status()).isEqualTo(400);
    assertThat(ids(get("/v1/campaigns?status=ended", t.key()))).hasSize(1);
    assertThat(get("/v1/campaigns?status=done", t.key()).status()).isEqualTo(400);
    assertThat(get("/v1/campaigns?kind=waitlist", t.key()).status()).isEqualTo(400);
  }

  @Test
  void patchHonoursVersionAndIfMatch() {
    Tenant t = newTenant();
    String path =
        "/v1/campaigns/" + post("/v1/campaigns", t.key(), WAITLIST).body().path("id").asString();
    assertThat(patch(path, t.key(), "{\"name\": \"n\", \"version\": 1}").status()).isEqualTo(200);
    Response stale = patch(path, t.key(), "{\"name\": \"m\", \"version\": 1}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.errorCode()).isEqualTo("version_conflict");
    assertThat(patch(path, t.key(), "{\"name\": \"m\"}", "If-Match", "\"1\"").status())
        .isEqualTo(412);
  }

  @Test
  void anotherWorkspacesCampaignIsNotFound() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String id = post("/v1/campaigns", theirs.key(), WAITLIST).body().path("id").asString();
    for (Response r :
        List.of(
            get("/v1/campaigns/" + id, mine.key()),
            patch("/v1/campaigns/" + id, mine.key(), "{\"name\": \"x\"}"),
            delete("/v1/campaigns/" + id, mine.key()),
            get("/v1/campaigns/" + id + "/participants", mine.key()))) {
      assertThat(r.status()).isEqualTo(404);
    }
    assertThat(delete("/v1/campaigns/" + id, theirs.key()).status()).isEqualTo(204);
    assertThat(get("/v1/campaigns/" + id, theirs.key()).status()).isEqualTo(404);
  }

  @Test
  void replaysCreatesByIdempotencyKey() {
    Tenant t = newTenant();
    Response first = post("/v1/campaigns", t.key(), WAITLIST, "Idempotency-Key", "cmp-1");
    Response again = post("/v1/campaigns", t.key(), WAITLIST, "Idempotency-Key", "cmp-1");
    assertThat(again.body().path("id")).isEqualTo(first.body().path("id"));
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
  }
}
