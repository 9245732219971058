package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import org.junit.jupiter.api.Test;

/** Social-proof campaigns on the Management API: settings, activation, the feed preview. */
class SocialProofCampaignTests extends ApiTestSupport {

  private static final String CAMPAIGN =
      """
      {"type": "social_proof", "name": "Sign-ups",
       "settings": {"source": {"event": "Signed Up"},
                    "template": "{name} from {city|somewhere} signed up {time_ago}",
                    "counter": {"window": "7d", "template": "{count} people signed up this week",
                                "min_count": 1}}}
      """;

  @Test
  void createsWithDefaultsActivatesAndPreviewsTheMaskedFeed() {
    Tenant t = newTenant();
    String anna =
        insertContact(
            t.workspaceId(),
            "u-anna",
            "{\"first_name\": \"Anna\", \"last_name\": \"Schmidt\", \"city\": \"Berlin\","
                + " \"email\": \"anna@example.com\"}");
    insertEvent(t.workspaceId(), anna, "u-anna", "Signed Up");

    Response created = post("/v1/campaigns", t.key(), CAMPAIGN);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("settings").path("opt_out_trait").asString())
        .isEqualTo("social_proof_opt_out");
    String id = created.body().path("id").asString();

    Response draft = get("/v1/campaigns/" + id + "/feed", t.key());
    assertThat(draft.status()).as(draft.raw()).isEqualTo(200);
    assertThat(draft.body().path("live").asBoolean()).isFalse();
    assertThat(draft.body().path("items").path(0).path("message").asString())
        .isEqualTo("Anna S. from Berlin signed up just now");
    assertThat(draft.body().path("items").path(0).path("time_ago").asString())
        .isEqualTo("just now");
    assertThat(draft.body().path("counters").path(0).path("count").asLong()).isEqualTo(1);
    assertThat(draft.raw()).doesNotContain("anna@example.com", "Schmidt", "u-anna");

    Response active = patch("/v1/campaigns/" + id, t.key(), "{\"status\": \"active\"}");
    assertThat(active.status()).as(active.raw()).isEqualTo(200);
    assertThat(get("/v1/campaigns/" + id + "/feed", t.key()).body().path("live").asBoolean())
        .isTrue();
  }

  @Test
  void refusesBadSettingsNamingTheField() {
    Tenant t = newTenant();
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            """
            {"type": "social_proof", "name": "x",
             "settings": {"source": {"event": "Signed Up"}, "template": "{email} joined",
                          "colour": "red"}}
            """);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error").path("details").findValuesAsString("field"))
        .containsExactlyInAnyOrder("settings.template", "settings.colour");
  }

  @Test
  void aCampaignSourceMustBeAReferralProgramOrWaitlistOfTheWorkspace() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String foreign =
        post(
                "/v1/campaigns",
                theirs.key(),
                "{\"type\": \"waitlist\", \"name\": \"w\", \"settings\": {}}")
            .body()
            .path("id")
            .asString();
    String own =
        post("/v1/campaigns", mine.key(), "{\"type\": \"waitlist\", \"name\": \"w\"}")
            .body()
            .path("id")
            .asString();
    String template =
        "{\"type\": \"social_proof\", \"name\": \"p\", \"settings\": {\"source\": {\"campaign\":"
            + " \"%s\"}, \"template\": \"{first_name} joined {event}\"}}";

    for (String bad : new String[] {foreign, Ids.next(IdPrefix.CAMPAIGN)}) {
      Response r = post("/v1/campaigns", mine.key(), template.formatted(bad));
      assertThat(r.status()).as(r.raw()).isEqualTo(422);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("settings.source.campaign");
    }
    Response ok = post("/v1/campaigns", mine.key(), template.formatted(own));
    assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
  }

  @Test
  void onlySocialProofCampaignsHaveAFeed() {
    Tenant t = newTenant();
    String waitlist =
        post("/v1/campaigns", t.key(), "{\"type\": \"waitlist\", \"name\": \"w\"}")
            .body()
            .path("id")
            .asString();
    Response r = get("/v1/campaigns/" + waitlist + "/feed", t.key());
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("type");
  }
}
