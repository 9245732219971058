package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Red-team findings 4, 5 and 10: every body of the Ingest API is strict UTF-8 (an overlong {@code
 * C0 AF} is refused, not stored as {@code /}), no widget field stores a lone surrogate as {@code
 * ?}, and a gzip body is read on widget routes as on tracking routes.
 */
class WidgetBodyTextTests extends WidgetTestSupport {

  private static final String SURVEY =
      """
      {"questions": [{"id": "more", "type": "text", "text": "Anything else?", "max_length": 1000}]}
      """;

  private static byte[] bytes(String head, int[] raw, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    for (int b : raw) {
      out.write(b);
    }
    out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private long contacts(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from contacts where workspace_id = ?", Long.class, ws.id());
  }

  @Test
  void aLoneSurrogateInAWidgetFieldIsRefusedNamingTheFieldAndNothingIsStored() {
    Workspace ws = newWorkspace();
    String waitlist = waitlist(ws, null);
    String survey = campaign(ws, "survey", "active", SURVEY);

    HttpResponse<String> join = join(ws, waitlist, "{\"email\":\"a\\ud800@ex.com\"}");
    HttpResponse<String> answer =
        postJson(
            "/v1/widgets/campaigns/" + survey + "/responses",
            "{\"response_id\":\"r1\",\"anonymous_id\":\"a\",\"answers\":{\"more\":\"x\\ud800y\"}}",
            "Authorization",
            ws.bearer());
    HttpResponse<String> display =
        postJson(
            "/v1/widgets/campaigns/" + survey + "/displays",
            "{\"anonymous_id\":\"a\\udc00\"}",
            "Authorization",
            ws.bearer());

    assertThat(join.statusCode()).as(join.body()).isEqualTo(400);
    assertThat(json(join).at("/error/details/0/field").asString()).isEqualTo("email");
    assertThat(json(join).at("/error/details/0/reason").asString()).isEqualTo("invalid_character");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer).at("/error/details/0/field").asString()).isEqualTo("answers.more");
    assertThat(display.statusCode()).as(display.body()).isEqualTo(400);
    assertThat(json(display).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
    assertThat(contacts(ws)).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?",
                Long.class,
                ws.id()))
        .isZero();
  }

  @Test
  void overlongUtf8IsRefusedOnTrackingAndWidgetRoutes() {
    Workspace ws = newWorkspace();
    String waitlist = waitlist(ws, null);
    // C0 AF is an overlong '/', E0 80 AF another; a lenient decoder stores both as '/'.
    byte[] event =
        bytes(
            "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":\"",
            new int[] {0xc0, 0xaf},
            "\"}}");
    byte[] threeBytes =
        bytes(
            "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":\"",
            new int[] {0xe0, 0x80, 0xaf},
            "\"}}");
    byte[] email = bytes("{\"email\":\"a", new int[] {0xc0, 0xae}, "@ex.com\"}");

    HttpResponse<String> track = post("/v1/track", event, "Authorization", ws.bearer());
    HttpResponse<String> track3 = post("/v1/track", threeBytes, "Authorization", ws.bearer());
    HttpResponse<String> join =
        post(
            "/v1/widgets/campaigns/" + waitlist + "/participants",
            email,
            "Authorization",
            ws.bearer());

    widgetResponses.add(join);
    for (HttpResponse<String> r : java.util.List.of(track, track3, join)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("body");
      assertThat(json(r).at("/error/details/0/reason").asString()).isEqualTo("invalid_encoding");
    }
    assertThat(events(ws)).isZero();
    assertThat(contacts(ws)).isZero();
  }

  @Test
  void aGzipJoinIsDecompressedAsOnTrackingRoutes() {
    Workspace ws = newWorkspace();
    String waitlist = waitlist(ws, null);

    HttpResponse<String> r =
        post(
            "/v1/widgets/campaigns/" + waitlist + "/participants",
            gzip("{\"email\":\"gz@ex.com\"}".getBytes(StandardCharsets.UTF_8)),
            "Authorization",
            ws.bearer(),
            "Content-Encoding",
            "gzip");

    widgetResponses.add(r);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(
            jdbc.queryForObject(
                "select email from contacts where workspace_id = ?", String.class, ws.id()))
        .isEqualTo("gz@ex.com");
  }
}
