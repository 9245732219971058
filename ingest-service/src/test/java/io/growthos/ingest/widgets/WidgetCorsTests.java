package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.RawHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    // No Idempotency-Key: no widget route reads it (a join's retry key is its client_id), and
    // until 2026-12-07 the preflight advertised it (a black-box review).
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .isEqualTo("Authorization, Content-Type, GrowthOS-Participant-Token");
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

  private RawHttp.Answer raw(String method, String path, String body, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return RawHttp.send(port, method, path, h, body);
  }

  private static String header(RawHttp.Answer a, String name) {
    for (String line : a.head().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static void assertReadable(RawHttp.Answer a, int status, String origin) {
    String what = a.head() + "\n" + a.body();
    assertThat(a.status()).as(what).isEqualTo(status);
    assertThat(RawHttp.envelopeProblem(a)).as(what).isNull();
    assertThat(header(a, "Access-Control-Allow-Origin")).as(what).isEqualTo(origin);
  }

  @Test
  void refusalsBeforeTheKeyIsKnownAreReadableByThePageLikeThe401() {
    Workspace ws = newWorkspace();
    allow(ws, "https://shop.example.com");
    String c = waitlist(ws, BETA);
    String o = "https://shop.example.com";
    String join = "/v1/widgets/campaigns/" + c + "/participants";
    String body = "{\"email\":\"ann@example.com\"}";
    // The success this origin would read.
    assertThat(info(ws, c, "Origin", o).headers().firstValue("Access-Control-Allow-Origin"))
        .contains(o);

    // 400: a path not in canonical form (a widget host configured with a trailing slash).
    assertReadable(
        raw(
            "POST",
            "/v1/widgets/campaigns//" + c + "/participants",
            body,
            "Origin",
            o,
            "Authorization",
            ws.bearer(),
            "Content-Type",
            "application/json"),
        400,
        o);
    assertReadable(
        raw(
            "GET",
            "/v1/widgets/campaigns/" + c + "?x=%zz",
            "",
            "Origin",
            o,
            "Authorization",
            ws.bearer()),
        400,
        o);
    // 413 from Content-Length above growthos.http.max-body-size.
    assertReadable(
        raw(
            "POST",
            join,
            "{\"email\":\"" + "x".repeat(1_200_000) + "\"}",
            "Origin",
            o,
            "Authorization",
            ws.bearer(),
            "Content-Type",
            "application/json"),
        413,
        o);
    // 404 of an unknown widget route, 405 of a method the route lacks, 415 of a body type.
    assertReadable(
        raw("GET", "/v1/widgets/nothing-here", "", "Origin", o, "Authorization", ws.bearer()),
        404,
        o);
    assertReadable(raw("GET", join, "", "Origin", o, "Authorization", ws.bearer()), 405, o);
    assertReadable(
        raw(
            "POST",
            join,
            body,
            "Origin",
            o,
            "Authorization",
            ws.bearer(),
            "Content-Type",
            "text/plain"),
        415,
        o);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from campaign_participants where workspace_id = ?",
                Long.class,
                ws.id()))
        .isZero();
  }

  @Test
  void refusalsAfterTheKeyAreReadableFromAnAllowedOriginOnly() {
    Workspace ws = newWorkspace();
    allow(ws, "https://shop.example.com");
    String c = waitlist(ws, BETA);
    String join = "/v1/widgets/campaigns/" + c + "/participants";
    String unknown = "/v1/widgets/campaigns/cmp_doesnotexist000000";

    // An allowed origin reads the handler's 400 and 404.
    String o = "https://shop.example.com";
    assertThat(info(ws, c, "Origin", o).statusCode()).isEqualTo(200);
    assertReadable(
        raw(
            "POST",
            join,
            "{\"email\":\"not-an-email\"}",
            "Origin",
            o,
            "Authorization",
            ws.bearer(),
            "Content-Type",
            "application/json"),
        400,
        o);
    assertReadable(raw("GET", unknown, "", "Origin", o, "Authorization", ws.bearer()), 404, o);

    // Any other origin reads none of them: 403 without Access-Control-Allow-Origin.
    String evil = "https://evil.example.com";
    for (RawHttp.Answer a :
        java.util.List.of(
            raw(
                "POST",
                join,
                "{\"email\":\"not-an-email\"}",
                "Origin",
                evil,
                "Authorization",
                ws.bearer(),
                "Content-Type",
                "application/json"),
            raw(
                "POST",
                join,
                "{not json",
                "Origin",
                evil,
                "Authorization",
                ws.bearer(),
                "Content-Type",
                "application/json"),
            raw("GET", unknown, "", "Origin", evil, "Authorization", ws.bearer()),
            raw(
                "GET",
                "/v1/widgets/campaigns/" + c + "?nope=1",
                "",
                "Origin",
                evil,
                "Authorization",
                ws.bearer()))) {
      assertThat(a.status()).as(a.head() + a.body()).isEqualTo(403);
      assertThat(header(a, "Access-Control-Allow-Origin")).as(a.head()).isNull();
    }
  }

  @Test
  void preflightsOfUnknownOrNonCanonicalWidgetPathsPassAndGrantNothingMore() {
    // What the origin may read from a workspace without a list: the success.
    Workspace ws = newWorkspace();
    assertThat(
            info(ws, waitlist(ws, BETA), "Origin", "https://elsewhere.example")
                .headers()
                .firstValue("Access-Control-Allow-Origin"))
        .contains("https://elsewhere.example");
    for (String path :
        new String[] {
          "/v1/widgets/nothing-here", "/v1/widgets/campaigns//x/participants", "/v1/widgets/"
        }) {
      RawHttp.Answer preflight =
          raw(
              "OPTIONS",
              path,
              "",
              "Origin",
              "https://elsewhere.example",
              "Access-Control-Request-Method",
              "POST",
              "Access-Control-Request-Headers",
              "authorization,content-type,x-custom");
      assertThat(preflight.status()).as(path + "\n" + preflight.head()).isBetween(200, 204);
      assertThat(header(preflight, "Access-Control-Allow-Origin"))
          .isEqualTo("https://elsewhere.example");
      // The widget's own headers only: a browser then refuses to send x-custom.
      assertThat(header(preflight, "Access-Control-Allow-Headers")).doesNotContain("x-custom");
    }
  }
}
