package io.growthos.ingest.widgets.socialproof;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/widgets/campaigns/{id}/feed} over HTTP: data sent through the Ingest API comes
 * back masked; only live social-proof campaigns of the key's workspace answer.
 */
class SocialProofWidgetTests extends IngestTestBase {

  private static final String SETTINGS =
      """
      {"source": {"event": "Signed Up", "where": []},
       "template": "{name} from {city|somewhere} signed up {time_ago}",
       "counter": {"window": "7d", "template": "{count} people signed up this week",
                   "min_count": 2},
       "opt_out_trait": "social_proof_opt_out", "limit": 10, "max_age": "7d"}
      """;

  private String campaign(
      Workspace ws, String type, String status, Instant startsAt, Instant endsAt) {
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, starts_at, ends_at, settings)"
            + " values (?, ?, ?, 'proof', ?, ?, ?, ?::jsonb)",
        ws.id(),
        id,
        type,
        status,
        startsAt == null ? null : Timestamp.from(startsAt),
        endsAt == null ? null : Timestamp.from(endsAt),
        type.equals("social_proof") ? SETTINGS : "{}");
    return id;
  }

  private String liveCampaign(Workspace ws) {
    return campaign(ws, "social_proof", "active", null, null);
  }

  private void person(Workspace ws, String userId, String traits) {
    assertThat(
            post(
                    "/v1/identify",
                    "{\"userId\": \"" + userId + "\", \"traits\": " + traits + "}",
                    "Authorization",
                    ws.basic())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    "/v1/track",
                    "{\"userId\": \"" + userId + "\", \"event\": \"Signed Up\"}",
                    "Authorization",
                    ws.basic())
                .statusCode())
        .isEqualTo(200);
  }

  private HttpResponse<String> feed(Workspace ws, String campaignId) {
    return send(
        HttpRequest.newBuilder(uri("/v1/widgets/campaigns/" + campaignId + "/feed"))
            .header("Authorization", ws.bearer())
            .GET()
            .build());
  }

  @Test
  void servesTheMaskedFeedOfALiveCampaign() {
    Workspace ws = newWorkspace();
    person(
        ws,
        "user-8812",
        "{\"email\": \"anna.schmidt@example.com\", \"first_name\": \"Anna\","
            + " \"last_name\": \"Schmidt\", \"city\": \"Berlin\"}");
    person(ws, "user-8813", "{\"email\": \"ben@example.com\", \"name\": \"ben@example.com\"}");
    person(ws, "user-8814", "{\"first_name\": \"Hidden\", \"social_proof_opt_out\": true}");

    HttpResponse<String> r = feed(ws, liveCampaign(ws));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("max-age=5").contains("private"));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json(r);
    assertThat(body.path("object").asString()).isEqualTo("social_proof_feed");
    assertThat(body.path("items").findValuesAsString("message"))
        .containsExactlyInAnyOrder(
            "Anna S. from Berlin signed up just now", "Someone from somewhere signed up just now");
    assertThat(body.path("items").path(0).path("time_ago").asString()).isEqualTo("just now");
    assertThat(body.path("counters").path(0).path("message").asString())
        .isEqualTo("2 people signed up this week");
    assertThat(body.path("counters").path(0).path("count").asLong()).isEqualTo(2);
    assertThat(r.body())
        .doesNotContain("@", "Schmidt", "user-88", "Hidden", "ben", "cntct_", "evt_");
  }

  @Test
  void answersOnlyForLiveSocialProofCampaigns() {
    Workspace ws = newWorkspace();
    Instant now = Instant.now();
    for (String id :
        new String[] {
          campaign(ws, "social_proof", "draft", null, null),
          campaign(ws, "social_proof", "paused", null, null),
          campaign(ws, "social_proof", "ended", null, null),
          campaign(ws, "social_proof", "active", now.plus(Duration.ofHours(1)), null),
          campaign(ws, "social_proof", "active", null, now.minus(Duration.ofHours(1))),
          campaign(ws, "waitlist", "active", null, null),
          Ids.next(IdPrefix.CAMPAIGN),
          "not-an-id"
        }) {
      HttpResponse<String> r = feed(ws, id);
      assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(404);
      assertThat(json(r).path("error").path("code").asString()).isEqualTo("not_found");
    }
    String inside =
        campaign(
            ws,
            "social_proof",
            "active",
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofHours(1)));
    assertThat(feed(ws, inside).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherWorkspacesCampaignIsNotFoundAndItsEventsNeverShow() {
    Workspace a = newWorkspace();
    Workspace b = newWorkspace();
    person(b, "b-user-1", "{\"first_name\": \"Bella\"}");
    person(b, "b-user-2", "{\"first_name\": \"Bruno\"}");
    String bCampaign = liveCampaign(b);
    String aCampaign = liveCampaign(a);

    HttpResponse<String> foreign = feed(a, bCampaign);
    HttpResponse<String> missing = feed(a, Ids.next(IdPrefix.CAMPAIGN));
    HttpResponse<String> own = feed(a, aCampaign);

    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(json(foreign).path("error").path("details"))
        .isEqualTo(json(missing).path("error").path("details"));
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(json(own).path("items")).isEmpty();
    assertThat(json(own).path("counters")).isEmpty();
    assertThat(feed(b, bCampaign).body()).contains("Bella", "Bruno");
  }

  @Test
  void needsAWriteKey() {
    Workspace ws = newWorkspace();
    String id = liveCampaign(ws);
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(uri("/v1/widgets/campaigns/" + id + "/feed")).GET().build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
  }
}
