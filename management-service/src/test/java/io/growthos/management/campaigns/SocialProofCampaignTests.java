package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignType;
import io.growthos.management.ApiTestSupport;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Social-proof campaigns on the Management API: settings, activation, the feed preview. */
class SocialProofCampaignTests extends ApiTestSupport {

  @Autowired TransactionTemplate tx;

  private static final String FROM_CAMPAIGN =
      "{\"type\": \"social_proof\", \"name\": \"%s\", \"status\": \"%s\", \"settings\":"
          + " {\"source\": {\"campaign\": \"%s\", \"activity\": \"joined\"},"
          + " \"template\": \"{first_name} joined {event}\"}}";

  private String create(Tenant t, String body) {
    Response r = post("/v1/campaigns", t.key(), body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

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

  /**
   * A feed of a campaign's joins shows no name, city or anything else of a participant whose join
   * found a contact made before it: anyone holding the page's write key can join with a customer's
   * address, and the feed showed "Erin K. from Lisbon" until 2026-12-07 (a black-box review).
   */
  @Test
  void aFeedOfJoinsShowsNothingOfAContactMadeBeforeItsJoin() {
    Tenant t = newTenant();
    String wl =
        create(
            t,
            "{\"type\": \"waitlist\", \"name\": \"Beta\", \"status\": \"active\","
                + " \"settings\": {}}");
    String erin =
        insertContact(
            t.workspaceId(),
            null,
            "{\"first_name\": \"Erin\", \"last_name\": \"Kowalski\", \"city\": \"Lisbon\"}");
    jdbc.update(
        "update contacts set email = 'erin@example.com', created_at = now() - interval '1 hour'"
            + " where workspace_id = ? and id = ?",
        t.workspaceId(),
        erin);
    join(t, wl, "erin@example.com", null);
    var nora = join(t, wl, "n.b.1987@example.com", null);
    jdbc.update(
        "update contacts set traits = '{\"first_name\": \"Nora\", \"city\": \"Oslo\"}'"
            + " where workspace_id = ? and id = ?",
        t.workspaceId(),
        nora.path("contact_id").asString());
    String feed =
        create(
            t,
            "{\"type\": \"social_proof\", \"name\": \"Joins\", \"settings\": {\"source\":"
                + " {\"campaign\": \""
                + wl
                + "\", \"activity\": \"joined\"}, \"template\": \"{first_name|Someone} from"
                + " {city|somewhere} joined\"}}");
    Response r = get("/v1/campaigns/" + feed + "/feed", t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("items").findValuesAsString("message"))
        .containsExactly("Nora from Oslo joined", "Someone from somewhere joined");
    assertThat(r.raw()).doesNotContain("Erin", "Lisbon");
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

  @Test
  void aCampaignThatSocialProofCampaignsShowCannotBeDeletedUntilTheyStop() {
    Tenant t = newTenant();
    String waitlist =
        create(t, "{\"type\": \"waitlist\", \"name\": \"w\", \"status\": \"active\"}");
    String live = create(t, FROM_CAMPAIGN.formatted("live", "active", waitlist));
    String draft = create(t, FROM_CAMPAIGN.formatted("draft", "draft", waitlist));

    Response refused = delete("/v1/campaigns/" + waitlist, t.key());
    assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
    assertThat(refused.body().path("error").path("details").findValuesAsString("reason"))
        .containsOnly("campaign_in_use");
    assertThat(refused.body().path("error").path("details").findValuesAsString("message"))
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).contains(live).contains("'live'"))
        .anySatisfy(m -> assertThat(m).contains(draft));
    assertThat(get("/v1/campaigns/" + waitlist, t.key()).status()).isEqualTo(200);
    assertThat(get("/v1/campaigns/" + live + "/feed", t.key()).status()).isEqualTo(200);

    // Once one is deleted and the other shows an event instead, the deletion goes through.
    assertThat(delete("/v1/campaigns/" + live, t.key()).status()).isEqualTo(204);
    Response moved =
        patch(
            "/v1/campaigns/" + draft,
            t.key(),
            "{\"settings\": {\"source\": {\"event\": \"Signed Up\"},"
                + " \"template\": \"{first_name} signed up\"}}");
    assertThat(moved.status()).as(moved.raw()).isEqualTo(200);
    assertThat(delete("/v1/campaigns/" + waitlist, t.key()).status()).isEqualTo(204);
  }

  @Test
  void aDeletionWaitsForASourceBeingNamedAndThenRefuses() throws Exception {
    Tenant t = newTenant();
    String waitlist = create(t, "{\"type\": \"waitlist\", \"name\": \"w\"}");
    String sp = Ids.next(IdPrefix.CAMPAIGN);
    CompletableFuture<Response> deletion = new CompletableFuture<>();
    tx.executeWithoutResult(
        s -> {
          // What POST /v1/campaigns does for a social-proof campaign naming the waitlist, with the
          // deletion arriving between the check and the insert.
          SocialProofSources.check(
              jdbc,
              t.workspaceId(),
              CampaignType.SOCIAL_PROOF,
              JSON.readTree("{\"source\": {\"campaign\": \"" + waitlist + "\"}}"));
          CompletableFuture.runAsync(
              () -> deletion.complete(delete("/v1/campaigns/" + waitlist, t.key())));
          assertThatBlocks(deletion);
          jdbc.update(
              "insert into campaigns (workspace_id, id, type, name, settings) values (?, ?,"
                  + " 'social_proof', 'racing', ?::jsonb)",
              t.workspaceId(),
              sp,
              "{\"source\": {\"campaign\": \"" + waitlist + "\", \"activity\": \"joined\"}}");
        });
    Response r = deletion.get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.firstDetail().path("message").asString()).contains(sp);
    assertThat(get("/v1/campaigns/" + waitlist, t.key()).status()).isEqualTo(200);
  }

  @Test
  void aSourceNamedWhileItsCampaignIsBeingDeletedIsRefusedOnceTheDeletionCommits()
      throws Exception {
    Tenant t = newTenant();
    String waitlist = create(t, "{\"type\": \"waitlist\", \"name\": \"w\"}");
    CompletableFuture<Response> creation = new CompletableFuture<>();
    tx.executeWithoutResult(
        s -> {
          jdbc.update(
              "delete from campaigns where workspace_id = ? and id = ?", t.workspaceId(), waitlist);
          CompletableFuture.runAsync(
              () ->
                  creation.complete(
                      post(
                          "/v1/campaigns",
                          t.key(),
                          FROM_CAMPAIGN.formatted("racing", "active", waitlist))));
          assertThatBlocks(creation);
        });
    Response r = creation.get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as(r.raw()).isEqualTo(422);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("settings.source.campaign");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("not_found");
  }

  /** The request is still waiting after a while: it waits for the test's transaction. */
  private static void assertThatBlocks(CompletableFuture<Response> request) {
    try {
      Response early = request.get(Duration.ofSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("Expected the request to wait, but it answered: " + early.raw());
    } catch (TimeoutException expected) {
      // still waiting, as it should
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
