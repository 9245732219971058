package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * CORS of the widget routes: preflights for any origin (they carry no key), actual requests only
 * from the workspace's allowed origins when it lists any.
 */
class WidgetCorsTests extends WidgetTestSupport {

  private static final String BETA = "{\"landing_url\": \"https://example.com/beta\"}";

  private void allow(Workspace ws, String... origins) {
    jdbc.update(
        "update workspaces set allowed_origins = ?::text[] where id = ?",
        "{" + String.join(",", origins) + "}",
        ws.id());
  }

  @Test
  void anAllowedOriginMayCallAndReadTheAnswer() {
    Workspace ws = newWorkspace();
    allow(ws, "https://shop.example.com", "http://localhost:3000");
    String c = waitlist(ws, BETA);

    HttpResponse<String> info = info(ws, c, "Origin", "https://shop.example.com");
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://shop.example.com");
    assertThat(info.headers().allValues("Vary")).anyMatch(v -> v.contains("Origin"));
    assertThat(info.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Retry-After");

    HttpResponse<String> join =
        join(ws, c, "{\"email\":\"ann@example.com\"}", "Origin", "http://localhost:3000");
    assertThat(join.statusCode()).isEqualTo(201);
    assertThat(join.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:3000");
  }

  @Test
  void aDisallowedOriginIs403WithoutCorsHeadersAndChangesNothing() {
    Workspace ws = newWorkspace();
    allow(ws, "https://shop.example.com");
    String c = waitlist(ws, BETA);

    for (String origin :
        java.util.List.of("https://evil.example.com", "http://shop.example.com", "null")) {
      HttpResponse<String> join = join(ws, c, "{\"email\":\"ann@example.com\"}", "Origin", origin);
      assertThat(join.statusCode()).as(origin).isEqualTo(403);
      assertThat(json(join).path("error").path("code").asString()).isEqualTo("forbidden");
      assertThat(json(join).at("/error/details/0/reason").asString())
          .isEqualTo("origin_not_allowed");
      assertThat(join.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
      HttpResponse<String> info = info(ws, c, "Origin", origin);
      assertThat(info.statusCode()).isEqualTo(403);
      assertThat(info.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from campaign_participants where workspace_id = ?",
                Long.class,
                ws.id()))
        .isZero();
    // Servers and curl send no Origin: CORS is about browsers.
    assertThat(info(ws, c).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAListAnyOriginMayCall() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    HttpResponse<String> info = info(ws, c, "Origin", "https://anything.example");
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://anything.example");
  }

  @Test
  void errorsBeforeTheKeyIsKnownCarryCorsHeadersSoTheWidgetCanReadThem() {
    Workspace ws = newWorkspace();
    String c = waitlist(ws, BETA);
    HttpResponse<String> noKey =
        get("/v1/widgets/campaigns/" + c, "Origin", "https://anything.example");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(noKey.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://anything.example");
  }

  @Test
  void preflightsAreAnsweredForAnyOriginWithTheWidgetMethodsAndHeaders() {
    Workspace ws = newWorkspace();
    allow(ws, "https://shop.example.com");
    String c = waitlist(ws, BETA);
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(uri("/v1/widgets/campaigns/" + c + "/participants"))
                .timeout(Duration.ofSeconds(30))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .header(
                    "Access-Control-Request-Headers",
                    "authorization,content-type,growthos-participant-token")
                .build());
    widgetResponses.add(preflight);
    assertThat(preflight.statusCode()).isBetween(200, 204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://elsewhere.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("GET", "POST", "OPTIONS");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("Authorization", "Content-Type", "GrowthOS-Participant-Token", "Idempotency-Key");
    assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).isPresent();

    // The tracking routes keep their own CORS: POST from any origin.
    HttpResponse<String> track =
        send(
            HttpRequest.newBuilder(uri("/v1/track"))
                .timeout(Duration.ofSeconds(30))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .build());
    assertThat(track.statusCode()).isEqualTo(200);
    assertThat(track.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
  }
}
