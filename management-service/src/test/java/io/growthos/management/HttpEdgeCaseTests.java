package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.testsupport.LogCapture;
import io.growthos.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The red-team findings the Management API shared with the Ingest API through the request pipeline
 * of service-common: a plain OPTIONS to an existing route, and two Authorization headers.
 */
class HttpEdgeCaseTests extends ApiTestSupport {

  @Test
  void aPlainOptionsOnAnExistingRouteAnswersItsMethodsWithoutAKeyOrAnErrorLog() {
    Response r;
    try (LogCapture logged = LogCapture.root().start()) {
      r = call("OPTIONS", "/v1/contacts", null, null);
      logged.assertNoneAtOrAbove(Level.ERROR);
    }

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.headers().get("allow").get(0)).contains("GET").contains("POST");
  }

  /** The error path is no route, for OPTIONS too (it answered 200 listing seven methods). */
  @Test
  void optionsOfTheErrorPathIsTheUnknownRoutesNotFound() {
    Response r = call("OPTIONS", "/error", null, null);

    assertThat(r.status()).as(r.raw()).isEqualTo(404);
    assertThat(r.raw()).contains("\"reason\":\"unknown_route\"");
    assertThat(r.headers()).doesNotContainKey("allow");
    assertThat(call("OPTIONS", "/v1/contacts", null, null).status()).isEqualTo(200);
  }

  /**
   * A browser's CORS preflight to a path no route has is the unknown route's 404, as a plain
   * OPTIONS there is (it answered 200 with the servlet's seven methods in Allow). To a route it
   * grants nothing: the Management API sends no Access-Control-* header, so a page cannot call it;
   * Allow lists the route's methods (it listed the servlet's, TRACE and PUT included).
   */
  @Test
  void aCorsPreflightToAnUnknownPathIsNotFoundAndToARouteGrantsNothing() {
    String[] preflight = {"Origin", "https://app.example", "Access-Control-Request-Method", "POST"};
    Response unknown = call("OPTIONS", "/v1/nonexistent", null, null, preflight);
    assertThat(unknown.status()).as(unknown.raw()).isEqualTo(404);
    assertThat(unknown.raw()).contains("\"reason\":\"unknown_route\"");
    assertThat(unknown.headers()).doesNotContainKey("allow");

    Response route = call("OPTIONS", "/v1/contacts", null, null, preflight);
    assertThat(route.header("Allow")).as(route.raw()).isEqualTo("GET, HEAD, OPTIONS, POST");
    assertThat(route.headers().keySet())
        .as(route.headers().toString())
        .noneMatch(h -> h.startsWith("access-control-"));
  }

  @Test
  void optionsOfARouteWithPatchAnswersAcceptPatchApplicationJson() {
    Response r = call("OPTIONS", "/v1/contacts/cntct_nope", null, null);

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.header("Allow")).contains("PATCH");
    assertThat(r.headers().get("accept-patch")).containsExactly("application/json");
  }

  @Test
  void optionsOfARouteWithoutPatchAnswersNoAcceptPatch() {
    Response r = call("OPTIONS", "/v1/contacts", null, null);

    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.header("Allow")).doesNotContain("PATCH");
    assertThat(r.headers()).doesNotContainKey("accept-patch");
  }

  @Test
  void twoAuthorizationHeadersAreRefusedNamingTheHeader() {
    Tenant one = newTenant();
    Tenant two = newTenant();

    Response r =
        post(
            "/v1/contacts",
            one.key(),
            "{\"user_id\":\"dup-auth\"}",
            "Authorization",
            "Bearer " + two.key());

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("Authorization");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("duplicate_header");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where user_id = 'dup-auth'", Long.class))
        .isZero();
  }

  @Test
  void anAcceptWithoutJsonIsRefusedBeforeTheWriteNotAfterIt() {
    Tenant t = newTenant();

    Response html =
        post("/v1/contacts", t.key(), "{\"user_id\":\"accept-html\"}", "Accept", "text/html");
    Response browser =
        post(
            "/v1/contacts",
            t.key(),
            "{\"user_id\":\"accept-any\"}",
            "Accept",
            "text/html,application/xhtml+xml,*/*;q=0.8");

    assertThat(html.status()).as(html.raw()).isEqualTo(406);
    assertThat(html.firstDetail().path("field").asString()).isEqualTo("Accept");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ? and user_id = 'accept-html'",
                Long.class,
                t.workspaceId()))
        .isZero();
    assertThat(browser.status()).as(browser.raw()).isEqualTo(201);
  }

  /**
   * {@code q=0} on JSON's most specific range says "not JSON" (RFC 9110 §12.5.1: the most specific
   * range decides, and a quality of 0 means not acceptable), whatever a wider range allows: such a
   * POST creates nothing and is 406, like {@code Accept: text/html}.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json;q=0, */*;q=0.1",
        "application/*;q=0, */*",
        "text/html, application/json;q=0, application/*;q=0.5"
      })
  void jsonRefusedWithQZeroIsRefusedThoughAWiderRangeAllowsIt(String accept) {
    Tenant t = newTenant();
    Response r = post("/v1/contacts", t.key(), "{\"user_id\":\"q-zero\"}", "Accept", accept);
    assertThat(r.status()).as(r.raw()).isEqualTo(406);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("Accept");
    assertThat(contactCount(t.workspaceId())).isZero();
    // A wider range with a quality still admits JSON when JSON itself is not refused.
    Response allowed =
        post(
            "/v1/contacts",
            t.key(),
            "{\"user_id\":\"q-some\"}",
            "Accept",
            "application/xml, application/*;q=0.2");
    assertThat(allowed.status()).as(allowed.raw()).isEqualTo(201);
  }

  /**
   * TRACE (refused by the container itself, which never echoes a request here) is answered like any
   * method a route lacks: 405 naming TRACE, with {@code Allow} listing the route's methods, and 404
   * on a path no route has. It was "Method GET is not allowed" with {@code Allow: HEAD, DELETE,
   * POST, GET, OPTIONS, PUT} (the servlet's methods: PUT on a route that has none), and 405 on an
   * unknown path.
   */
  @Test
  void traceIsA405NamingItWithTheRoutesMethodsOrA404OnAnUnknownPath() {
    String known =
        TestHttp.raw(
            port,
            "TRACE /v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(known).startsWith("HTTP/1.1 405");
    assertThat(known).contains("Method TRACE is not allowed");
    String allow =
        known.lines().filter(l -> l.regionMatches(true, 0, "Allow:", 0, 6)).findFirst().orElse("");
    assertThat(allow)
        .contains("GET")
        .contains("POST")
        .doesNotContain("PUT")
        .doesNotContain("DELETE");
    String unknown =
        TestHttp.raw(
            port,
            "TRACE /v1/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(unknown).startsWith("HTTP/1.1 404");
    assertThat(unknown).contains("\"not_found\"");
    // No Allow on a path nothing is at: the container's list stayed on it until 2026-12-07.
    assertThat(unknown.lines().takeWhile(l -> !l.isEmpty()))
        .noneMatch(l -> l.regionMatches(true, 0, "Allow:", 0, 6));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/*", "*/*", "*", "\"application/json\"", ";;;"})
  void aWildcardOrMalformedContentTypeIsA415NamingTheHeaderNotAnInternalError(String type) {
    Tenant t = newTenant();
    String body = "{\"user_id\":\"odd-type\"}";
    String answer;
    try (LogCapture logged = LogCapture.root().start()) {
      answer =
          TestHttp.raw(
              port,
              ("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      + "Authorization: Bearer "
                      + t.key()
                      + "\r\nContent-Type: "
                      + type
                      + "\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      logged.assertNoneAtOrAbove(Level.ERROR);
    }

    assertThat(answer).startsWith("HTTP/1.1 415");
    assertThat(answer).contains("\"field\":\"Content-Type\"");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where user_id = 'odd-type'", Long.class))
        .isZero();
  }

  /**
   * Found probing a live stack by hand: the Management API ignored Content-Encoding, so a body
   * labelled {@code br} was created as if plain (201) and a real gzip body was a misleading "not
   * valid UTF-8" 400 naming {@code body}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gzip", "br", "deflate", "gzip, identity"})
  void aBodyInAContentEncodingTheApiDoesNotDecodeIsA415NamingTheHeader(String encoding) {
    Tenant t = newTenant();
    String userId = "encoded-" + encoding.replaceAll("\\W", "");
    Response plain =
        post(
            "/v1/contacts",
            t.key(),
            "{\"user_id\":\"" + userId + "\"}",
            "Content-Encoding",
            encoding);

    assertThat(plain.status()).as(plain.raw()).isEqualTo(415);
    assertThat(plain.firstDetail().path("field").asString()).isEqualTo("Content-Encoding");
    assertThat(plain.body().path("request_id").asString()).startsWith("req_");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ? and user_id = ?",
                Long.class,
                t.workspaceId(),
                userId))
        .isZero();
    Response identity =
        post(
            "/v1/contacts",
            t.key(),
            "{\"user_id\":\"" + userId + "\"}",
            "Content-Encoding",
            "identity");
    assertThat(identity.status()).as(identity.raw()).isEqualTo(201);
  }
}
