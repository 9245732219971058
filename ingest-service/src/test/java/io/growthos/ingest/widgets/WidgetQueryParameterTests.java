package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Widget routes refuse query parameters they do not declare, as the Management API does: a misspelt
 * {@code url} would otherwise skip a survey's URL targeting without a word. The Segment-compatible
 * event routes ignore them, as Segment's do.
 */
class WidgetQueryParameterTests extends WidgetTestSupport {

  @Test
  void anUnknownOrRepeatedQueryParameterOnAWidgetRouteIsA400NamingIt() {
    Workspace ws = newWorkspace();
    String id = waitlist(ws, null);
    assertThat(info(ws, id).statusCode()).isEqualTo(200);

    HttpResponse<String> campaign =
        get("/v1/widgets/campaigns/" + id + "?foo=1", "Authorization", ws.bearer());
    JsonNode body = assertRefused(campaign, "foo", "unknown_parameter");
    assertThat(body.at("/error/details/0/message").asString()).endsWith("this route takes none.");

    HttpResponse<String> survey =
        get(
            "/v1/widgets/surveys?anonymous_id=v1&URL=https%3A%2F%2Fx.io%2Fpricing",
            "Authorization", ws.bearer());
    body = assertRefused(survey, "URL", "unknown_parameter");
    assertThat(body.at("/error/details/0/message").asString())
        .contains("allowed: anonymous_id, event, url, user_id.");

    assertRefused(
        get("/v1/widgets/surveys?anonymous_id=v1&url=a&url=b", "Authorization", ws.bearer()),
        "url",
        "repeated");

    // The declared ones are fine.
    HttpResponse<String> ok =
        get(
            "/v1/widgets/surveys?anonymous_id=v1&url=https%3A%2F%2Fx.io%2Fpricing",
            "Authorization", ws.bearer());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  private static JsonNode assertRefused(HttpResponse<String> r, String field, String reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = json(r);
    assertThat(body.at("/error/code").asString()).isEqualTo("validation_error");
    assertThat(body.at("/error/details/0/field").asString()).isEqualTo(field);
    assertThat(body.at("/error/details/0/reason").asString()).isEqualTo(reason);
    return body;
  }
}
