package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.RawHttp;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every refusal a browser can trigger on the tracking routes carries {@code
 * Access-Control-Allow-Origin}, as the success would: without it a browser SDK sees an opaque
 * network error instead of the status and the envelope, and cannot tell "too large, drop it" from
 * "offline, retry". Sent over a raw socket, so the path reaches the server as a page would send it.
 * (Widget routes, which allow only their workspace's origins: {@code
 * io.growthos.ingest.widgets.WidgetCorsTests}; 429: {@code IngestRateLimitTests}; 503: {@code
 * AdmissionTests}.)
 */
class CorsOnRefusalsTests extends IngestTestBase {

  static final String ORIGIN = "https://shop.example.com";

  static String header(RawHttp.Answer a, String name) {
    for (String line : a.head().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** A browser's request from {@link #ORIGIN}: {@code extra} as name, value, … */
  RawHttp.Answer browser(String method, String path, String body, String... extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Origin", ORIGIN);
    for (int i = 0; i < extra.length; i += 2) {
      headers.put(extra[i], extra[i + 1]);
    }
    return RawHttp.send(port, method, path, headers, body);
  }

  /** The page can read it: the envelope and the origin allowed, with the request id exposed. */
  static void assertReadableRefusal(RawHttp.Answer a, int status) {
    String what = a.head() + "\n" + a.body();
    assertThat(a.status()).as(what).isEqualTo(status);
    assertThat(RawHttp.envelopeProblem(a)).as(what).isNull();
    assertThat(header(a, "Access-Control-Allow-Origin")).as(what).isEqualTo(ORIGIN);
    assertThat(header(a, "Access-Control-Expose-Headers"))
        .as(what)
        .isNotNull()
        .containsIgnoringCase("X-Request-Id");
  }

  static String track() {
    return "{\"type\":\"track\",\"event\":\"e\",\"anonymousId\":\"a\"}";
  }

  @Test
  void aNonCanonicalPathIsAReadable400() {
    Workspace ws = newWorkspace();
    // A host configured with a trailing slash: "https://api.example.com/" + "/v1/batch".
    assertReadableRefusal(browser("POST", "//v1/batch", track(), "Authorization", ws.basic()), 400);
    assertReadableRefusal(browser("POST", "/v1//track", track(), "Authorization", ws.basic()), 400);
    assertReadableRefusal(
        browser("POST", "/v1/track;jsessionid=1", track(), "Authorization", ws.basic()), 400);
  }

  @Test
  void aMalformedQueryIsAReadable400() {
    Workspace ws = newWorkspace();
    assertReadableRefusal(
        browser("POST", "/v1/track?x=%zz", track(), "Authorization", ws.basic()), 400);
  }

  @Test
  void aBodyWhoseContentLengthIsOverTheHttpLimitIsAReadable413() {
    Workspace ws = newWorkspace();
    // Over growthos.http.max-body-size (1 MB): refused from Content-Length alone.
    String big = "{\"batch\":[],\"pad\":\"" + "x".repeat(1_200_000) + "\"}";
    RawHttp.Answer a =
        browser(
            "POST", "/v1/batch", big, "Authorization", ws.basic(), "Content-Type", "text/plain");
    assertReadableRefusal(a, 413);
    assertThat(a.body()).contains("payload_too_large");
  }

  @Test
  void aBodyOverTheIngestLimitIsAReadable413() {
    Workspace ws = newWorkspace();
    // Under the HTTP limit, over the Ingest API's 500 KB.
    String big = "{\"batch\":[],\"pad\":\"" + "x".repeat(600_000) + "\"}";
    assertReadableRefusal(
        browser(
            "POST", "/v1/batch", big, "Authorization", ws.basic(), "Content-Type", "text/plain"),
        413);
  }

  @Test
  void malformedJsonIsAReadable400() {
    Workspace ws = newWorkspace();
    assertReadableRefusal(
        browser(
            "POST",
            "/v1/track",
            "{not json",
            "Content-Type",
            "text/plain",
            "Authorization",
            ws.basic()),
        400);
  }

  @Test
  void aMissingOrUnknownKeyIsAReadable401() {
    assertReadableRefusal(browser("POST", "/v1/t", track(), "Content-Type", "text/plain"), 401);
    assertReadableRefusal(
        browser("POST", "/v1/track", track(), "Authorization", "Bearer gos_wk_nope"), 401);
  }

  @Test
  void anUnknownRouteIsAReadable404AndItsPreflightPasses() {
    assertReadableRefusal(browser("POST", "/v1/trak", track()), 404);
    assertReadableRefusal(browser("POST", "/v2/track", track()), 404);
    RawHttp.Answer preflight =
        browser(
            "OPTIONS",
            "/v1/trak",
            "",
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization,content-type");
    assertThat(preflight.status()).as(preflight.head()).isBetween(200, 204);
    assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
  }

  @Test
  void aMethodTheRouteLacksIsAReadable405() {
    assertReadableRefusal(browser("GET", "/v1/track", ""), 405);
    assertReadableRefusal(browser("PUT", "/v1/track", track()), 405);
  }

  @Test
  void anUnsupportedContentEncodingIsAReadable415() {
    Workspace ws = newWorkspace();
    assertReadableRefusal(
        browser(
            "POST", "/v1/track", track(), "Authorization", ws.basic(), "Content-Encoding", "br"),
        415);
  }

  @Test
  void preflightsOfNonCanonicalPathsPassSoThePageCanReadThe400() {
    for (String path : new String[] {"//v1/batch", "/v1//track", "/v1/track;x=1"}) {
      RawHttp.Answer preflight =
          browser(
              "OPTIONS",
              path,
              "",
              "Access-Control-Request-Method",
              "POST",
              "Access-Control-Request-Headers",
              "authorization,content-type");
      assertThat(preflight.status()).as(path + "\n" + preflight.head()).isBetween(200, 204);
      assertThat(header(preflight, "Access-Control-Allow-Origin")).as(path).isEqualTo(ORIGIN);
    }
  }

  @Test
  void preflightsWithOddRequestHeadersAreAnsweredForTheHeadersAsked() {
    for (String asked :
        new String[] {
          "Authorization, Content-Type",
          "authorization,,content-type",
          " x-custom-thing ",
          "x-a,x-b,x-c,x-d,x-e,x-f,x-g,x-h,x-i,x-j,x-k,x-l,x-m,x-n"
        }) {
      RawHttp.Answer preflight =
          browser(
              "OPTIONS",
              "/v1/batch",
              "",
              "Access-Control-Request-Method",
              "POST",
              "Access-Control-Request-Headers",
              asked);
      String what = asked + "\n" + preflight.head();
      assertThat(preflight.status()).as(what).isBetween(200, 204);
      assertThat(header(preflight, "Access-Control-Allow-Origin")).as(what).isEqualTo(ORIGIN);
      String allowed = header(preflight, "Access-Control-Allow-Headers");
      assertThat(allowed).as(what).isNotNull();
      for (String h : asked.split(",")) {
        if (!h.isBlank()) {
          assertThat(allowed.toLowerCase(Locale.ROOT)).as(what).contains(h.trim().toLowerCase());
        }
      }
    }
  }

  @Test
  void anOpaqueOriginReadsItsRefusalsAsItReadsItsSuccess() {
    // A sandboxed iframe or a file:// page sends Origin: null.
    Workspace ws = newWorkspace();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Origin", "null");
    headers.put("Authorization", ws.basic());
    RawHttp.Answer ok = RawHttp.send(port, "POST", "/v1/track", headers, track());
    RawHttp.Answer refused = RawHttp.send(port, "POST", "/v1//track", headers, track());
    assertThat(ok.status()).as(ok.head()).isEqualTo(200);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(header(refused, "Access-Control-Allow-Origin"))
        .as(refused.head())
        .isEqualTo(header(ok, "Access-Control-Allow-Origin"))
        .isNotNull();
  }
}
