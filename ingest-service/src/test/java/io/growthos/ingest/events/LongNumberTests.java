package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A number is taken only if every reader of the stored JSON can read it back ({@code NumberRange}:
 * at most 1,000 characters written out in full). The old bound, 1,000 digits before and 1,000 after
 * the point, let in numbers of up to 2,002 characters that Jackson's readers (1,000 by default)
 * could not read: an identify with such a trait was a 500 from the contact merge, and a track with
 * such a property was stored, after which the Management API's {@code GET /v1/events} was a 500 for
 * every page that held it.
 */
class LongNumberTests extends IngestTestBase {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** 999 nines, the point, 999 nines: within the old bound, 1,999 characters. */
  private static final String LONG = "9".repeat(999) + "." + "9".repeat(999);

  @Test
  void aNumberTooLongToReadBackIsRefusedNamingItsField() {
    Workspace ws = newWorkspace();

    HttpResponse<String> identify =
        post(
            "/v1/identify",
            "{\"userId\":\"long-n\",\"traits\":{\"n\":" + LONG + "}}",
            "Authorization",
            ws.bearer());
    HttpResponse<String> track =
        post(
            "/v1/track",
            "{\"userId\":\"long-n\",\"event\":\"E\",\"properties\":{\"n\":" + LONG + "}}",
            "Authorization",
            ws.bearer());

    assertThat(identify.statusCode()).as("identify: " + identify.body()).isEqualTo(400);
    assertThat(detail(identify).path("field").asString()).isEqualTo("traits.n");
    assertThat(detail(identify).path("reason").asString()).isEqualTo("out_of_range");
    assertThat(track.statusCode()).as("track: " + track.body()).isEqualTo(400);
    assertThat(detail(track).path("field").asString()).isEqualTo("properties.n");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ?", Long.class, ws.id()))
        .isZero();
  }

  @Test
  void aNumberOfAThousandCharactersIsStoredDigitForDigit() {
    Workspace ws = newWorkspace();
    String n = "-" + "9".repeat(499) + "." + "9".repeat(499); // 1,000 characters

    HttpResponse<String> track =
        post(
            "/v1/track",
            "{\"userId\":\"long-n\",\"event\":\"E\",\"properties\":{\"n\":" + n + "}}",
            "Authorization",
            ws.bearer());

    assertThat(track.statusCode()).as(track.body()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select properties->>'n' from events where workspace_id = ?",
                String.class,
                ws.id()))
        .isEqualTo(n);
  }

  private static JsonNode detail(HttpResponse<String> r) {
    return JSON.readTree(r.body()).path("error").path("details").path(0);
  }
}
