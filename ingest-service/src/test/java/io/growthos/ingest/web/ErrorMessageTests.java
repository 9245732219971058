package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Red-team findings 13 and 16: an error message names what is wrong with the request in its own
 * terms, never a Java type or a parser feature, and its reason code is the right one.
 */
class ErrorMessageTests extends IngestTestBase {

  private static void assertNoInternals(HttpResponse<String> r) {
    assertThat(r.body())
        .doesNotContain("jackson")
        .doesNotContain("Feature")
        .doesNotContain("`")
        .doesNotContain("java")
        .doesNotContain("(null)");
  }

  @Test
  void malformedBodiesAreDescribedWithoutJavaTypesOrParserFeatures() {
    Workspace ws = newWorkspace();
    byte[] gzipped = gzip("{\"userId\":\"u\",\"event\":\"E\"}".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> twoValues =
        post(
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"E\"}{\"a\":1}",
            "Authorization",
            ws.bearer());
    HttpResponse<String> truncated =
        post("/v1/track", "{\"userId\":\"u\",\"event\":", "Authorization", ws.bearer());
    HttpResponse<String> cutGzip =
        post(
            "/v1/track",
            Arrays.copyOf(gzipped, gzipped.length / 2),
            "Authorization",
            ws.bearer(),
            "Content-Encoding",
            "gzip");
    HttpResponse<String> emptyGzip =
        post("/v1/track", new byte[0], "Authorization", ws.bearer(), "Content-Encoding", "gzip");

    for (HttpResponse<String> r : java.util.List.of(twoValues, truncated, cutGzip, emptyGzip)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertNoInternals(r);
    }
    assertThat(json(twoValues).at("/error/message").asString())
        .contains("more content follows the JSON value");
  }

  @Test
  void aNumericIdTooLargeToBeAnIdIsOutOfRangeNotTooLong() {
    Workspace ws = newWorkspace();

    HttpResponse<String> big =
        post("/v1/track", "{\"userId\":1e400,\"event\":\"E\"}", "Authorization", ws.bearer());
    long start = System.nanoTime();
    HttpResponse<String> huge =
        post("/v1/track", "{\"userId\":1e999999999,\"event\":\"E\"}", "Authorization", ws.bearer());
    long millis = (System.nanoTime() - start) / 1_000_000;

    for (HttpResponse<String> r : java.util.List.of(big, huge)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("userId");
      assertThat(json(r).at("/error/details/0/reason").asString()).isEqualTo("out_of_range");
    }
    assertThat(millis).isLessThan(5_000);
    // Numbers that are ids are still ids, as Segment takes them.
    assertThat(
            post("/v1/track", "{\"userId\":1e2,\"event\":\"E\"}", "Authorization", ws.bearer())
                .statusCode())
        .isEqualTo(200);
  }
}
