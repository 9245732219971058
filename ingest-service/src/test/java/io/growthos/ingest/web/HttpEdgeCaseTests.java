package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.LogCapture;
import io.growthos.testsupport.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red-team findings 3, 7, 8, 14 and 17 of the Ingest API: requests every client may send (a plain
 * OPTIONS, CONNECT, the error path, two Authorization headers, an Accept of HTML) get an answer
 * that says what happened, and none is an ERROR in the log.
 */
class HttpEdgeCaseTests extends IngestTestBase {

  @RegisterExtension final LogCapture logged = LogCapture.root();

  private HttpResponse<String> call(String method, String path, String... headers) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
    }
    return send(req.build());
  }

  private void assertNothingLoggedAsAnError() {
    logged.assertNoneAtOrAbove(Level.ERROR);
  }

  @Test
  void eventRoutesIgnoreQueryParametersAsSegmentsDo() {
    Workspace ws = newWorkspace();
    HttpResponse<String> r =
        post("/v1/track?foo=1", "{\"userId\":\"u\",\"event\":\"e\"}", "Authorization", ws.bearer());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ?", Long.class, ws.id()))
        .isEqualTo(1L);
  }

  @Test
  void aPlainOptionsOnAnExistingRouteAnswersItsMethodsWithoutAKey() {
    HttpResponse<String> track = call("OPTIONS", "/v1/track");
    HttpResponse<String> withOrigin = call("OPTIONS", "/v1/batch", "Origin", "https://a.example");
    HttpResponse<String> widget = call("OPTIONS", "/v1/widgets/surveys");

    for (HttpResponse<String> r : java.util.List.of(track, withOrigin, widget)) {
      assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Allow")).isPresent();
    }
    assertThat(track.headers().firstValue("Allow").orElseThrow()).contains("POST");
    assertThat(widget.headers().firstValue("Allow").orElseThrow()).contains("GET");
    // An unknown route is still unknown.
    assertThat(call("OPTIONS", "/v1/nothing-here").statusCode()).isEqualTo(404);
    assertNothingLoggedAsAnError();
  }

  @Test
  void theErrorPathAskedForDirectlyIsAnUnknownRoute() {
    HttpResponse<String> get = call("GET", "/error");
    HttpResponse<String> post = call("POST", "/error", "Content-Type", "application/json");

    assertThat(get.statusCode()).as(get.body()).isEqualTo(404);
    assertThat(post.statusCode()).as(post.body()).isEqualTo(404);
    assertThat(json(get).at("/error/details/0/field").asString()).isEqualTo("path");
    assertNothingLoggedAsAnError();
  }

  @Test
  void connectIsAMethodNotAllowedAndNotAnInternalError() {
    String answer =
        TestHttp.raw(
            port,
            "CONNECT /v1/track HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));

    assertThat(answer).startsWith("HTTP/1.1 405");
    assertThat(answer).contains("\"code\":\"method_not_allowed\"").doesNotContain("internal");
  }

  /**
   * Found probing a live stack by hand: a request line naming HTTP/2.0 in text was Tomcat's 505
   * with code {@code internal_error}, a server error for the client's choice of version.
   */
  @Test
  void anHttpVersionTheServerDoesNotSpeakIsABadRequestAndNotAnInternalError() {
    for (String version : List.of("HTTP/2.0", "HTTP/3.0", "HTTP/1.2")) {
      String answer =
          TestHttp.raw(
              port,
              ("POST /v1/track " + version + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));

      assertThat(answer).as(version).startsWith("HTTP/1.1 400");
      assertThat(answer)
          .as(version)
          .contains("\"code\":\"validation_error\"", "\"field\":\"request\"", "\"request_id\"")
          .doesNotContain("internal");
    }
  }

  @Test
  void twoAuthorizationHeadersAreRefusedWhateverTheirOrder() {
    Workspace one = newWorkspace();
    Workspace two = newWorkspace();

    HttpResponse<String> r =
        post(
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"E\"}",
            "Authorization",
            one.bearer(),
            "Authorization",
            two.bearer());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("Authorization");
    assertThat(json(r).at("/error/details/0/reason").asString()).isEqualTo("duplicate_header");
    assertThat(events(one)).isZero();
    assertThat(events(two)).isZero();
  }

  @Test
  void anAcceptOfHtmlStillGetsTheJsonAnswerOfWhatWasStored() {
    Workspace ws = newWorkspace();

    HttpResponse<String> r =
        post(
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"m-accept\"}",
            "Authorization",
            ws.bearer(),
            "Accept",
            "text/html");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).contains("application/json");
    assertThat(events(ws, "m-accept")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/*", "*/*", "*", "\"application/json\"", ";;;"})
  void aTrackingRouteReadsAJsonBodyWhateverItsContentTypeSaysEvenAWildcard(String type) {
    Workspace ws = newWorkspace();
    String id = "m-type-" + Integer.toHexString(type.hashCode());

    HttpResponse<String> r =
        post(
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"" + id + "\"}",
            "Authorization",
            ws.bearer(),
            "Content-Type",
            type);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(events(ws, id)).isEqualTo(1);
    logged.assertNoneAtOrAbove(Level.ERROR);
  }
}
