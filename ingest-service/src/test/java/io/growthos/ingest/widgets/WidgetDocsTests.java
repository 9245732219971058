package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /v3/api-docs documents the campaign widget routes with their payloads, errors and security. */
class WidgetDocsTests extends IngestTestBase {

  @Test
  void documentsTheCampaignWidgetRoutes() {
    JsonNode doc = json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()));
    Map<String, String> routes =
        Map.of(
            "/v1/widgets/campaigns/{id}", "get",
            "/v1/widgets/campaigns/{id}/participants", "post",
            "/v1/widgets/campaigns/{id}/participants/me", "get");
    routes.forEach(
        (path, method) -> {
          JsonNode op = doc.path("paths").path(path).path(method);
          assertThat(op.isMissingNode()).as(path).isFalse();
          assertThat(op.path("summary").asString()).as(path).isNotBlank();
          for (String status : new String[] {"400", "401", "403", "404", "429"}) {
            assertThat(op.path("responses").has(status)).as(path + " " + status).isTrue();
          }
          assertThat(op.path("security").toString()).contains("bearerAuth");
        });
    assertThat(doc.at("/components/schemas/WidgetParticipant/properties").has("people_ahead"))
        .isTrue();
    assertThat(doc.at("/components/schemas/WidgetJoin/properties").has("client_id")).isTrue();
    assertThat(doc.at("/components/schemas/WidgetCampaign/properties").has("leaderboard")).isTrue();
  }
}
