package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The table of hostile and sloppy inputs (SPEC §3: anything that parses is stored faithfully or
 * rejected with a 4xx naming the problem, never a 500). Each row: what is sent, the status, the
 * envelope code, the field named in details; rejected rows must store nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTests extends IngestTestBase {

  private static final String JSON_TYPE = "application/json";

  private Workspace ws;

  @BeforeAll
  void workspace() {
    ws = newWorkspace();
  }

  /** One row of the table. */
  record Row(
      String name,
      String path,
      byte[] body,
      String contentType,
      String contentEncoding,
      int status,
      String code,
      String field) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Row reject(String name, String path, String body, int status, String code, String field) {
    return new Row(
        name, path, body.getBytes(StandardCharsets.UTF_8), JSON_TYPE, null, status, code, field);
  }

  static Row rejectRaw(
      String name,
      String path,
      byte[] body,
      String type,
      String encoding,
      int status,
      String code,
      String field) {
    return new Row(name, path, body, type, encoding, status, code, field);
  }

  static String track(String fields) {
    return "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"MID\"" + fields + "}";
  }

  static String repeat(String s, int n) {
    return s.repeat(n);
  }

  static Stream<Row> rejected() {
    byte[] good = track("").getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(good);
    String hugeEvent = track(",\"properties\":{\"blob\":\"" + "x".repeat(33 * 1024) + "\"}");
    String bigBody =
        "{\"batch\":["
            + String.join(
                ",",
                java.util.Collections.nCopies(
                    40,
                    "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"b\":\""
                        + "y".repeat(14 * 1024)
                        + "\"}}"))
            + "]}";
    String tooMany =
        "{\"batch\":["
            + String.join(
                ",",
                java.util.Collections.nCopies(
                    2501, "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}"))
            + "]}";
    return Stream.of(
        // wrong types
        reject(
            "userId object",
            "/v1/track",
            track(",\"userId\":{}").replaceFirst("\"userId\":\"u\",", ""),
            400,
            "validation_error",
            "userId"),
        reject(
            "userId boolean",
            "/v1/track",
            "{\"userId\":true,\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "anonymousId array",
            "/v1/track",
            "{\"anonymousId\":[1],\"event\":\"e\"}",
            400,
            "validation_error",
            "anonymousId"),
        reject(
            "event number",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":42}",
            400,
            "validation_error",
            "event"),
        reject(
            "properties array",
            "/v1/track",
            track(",\"properties\":[1,2]"),
            400,
            "validation_error",
            "properties"),
        reject(
            "properties string",
            "/v1/track",
            track(",\"properties\":\"x\""),
            400,
            "validation_error",
            "properties"),
        reject(
            "traits number",
            "/v1/identify",
            "{\"userId\":\"u\",\"traits\":5}",
            400,
            "validation_error",
            "traits"),
        reject(
            "context array",
            "/v1/page",
            "{\"userId\":\"u\",\"context\":[]}",
            400,
            "validation_error",
            "context"),
        reject(
            "name object",
            "/v1/page",
            "{\"userId\":\"u\",\"name\":{}}",
            400,
            "validation_error",
            "name"),
        reject(
            "timestamp number",
            "/v1/track",
            track(",\"timestamp\":1700000000"),
            400,
            "validation_error",
            "timestamp"),
        reject(
            "timestamp garbage",
            "/v1/track",
            track(",\"timestamp\":\"yesterday\""),
            400,
            "validation_error",
            "timestamp"),
        reject(
            "timestamp year 0",
            "/v1/track",
            track(",\"timestamp\":\"0000-01-01T00:00:00Z\""),
            400,
            "validation_error",
            "timestamp"),
        reject(
            "sentAt garbage",
            "/v1/track",
            track(",\"sentAt\":\"2024-13-45\""),
            400,
            "validation_error",
            "sentAt"),
        reject("body is an array", "/v1/track", "[1,2,3]", 400, "validation_error", "body"),
        reject("body is a string", "/v1/track", "\"hello\"", 400, "validation_error", "body"),
        reject("body is null", "/v1/track", "null", 400, "validation_error", "body"),
        // nulls and empty strings
        reject(
            "no ids at all", "/v1/track", "{\"event\":\"e\"}", 400, "validation_error", "userId"),
        reject(
            "null ids",
            "/v1/track",
            "{\"userId\":null,\"anonymousId\":null,\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "empty-string ids",
            "/v1/track",
            "{\"userId\":\"\",\"anonymousId\":\"  \",\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "null event",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":null}",
            400,
            "validation_error",
            "event"),
        reject(
            "empty event",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"\"}",
            400,
            "validation_error",
            "event"),
        reject(
            "group without groupId",
            "/v1/group",
            "{\"userId\":\"u\",\"groupId\":\"\"}",
            400,
            "validation_error",
            "groupId"),
        reject(
            "alias without previousId",
            "/v1/alias",
            "{\"userId\":\"u\"}",
            400,
            "validation_error",
            "previousId"),
        reject(
            "alias without userId",
            "/v1/alias",
            "{\"anonymousId\":\"a\",\"previousId\":\"p\"}",
            400,
            "validation_error",
            "userId"),
        reject("batch null", "/v1/batch", "{\"batch\":null}", 400, "validation_error", "batch"),
        reject("batch object", "/v1/batch", "{\"batch\":{}}", 400, "validation_error", "batch"),
        reject("batch empty", "/v1/batch", "{\"batch\":[]}", 400, "validation_error", "batch"),
        reject(
            "batch item not object",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"},7]}",
            400,
            "validation_error",
            "batch[1]"),
        reject(
            "batch item without type",
            "/v1/batch",
            "{\"batch\":[{\"userId\":\"u\",\"event\":\"e\"}]}",
            400,
            "validation_error",
            "batch[0].type"),
        reject(
            "batch item bad type",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"purchase\",\"userId\":\"u\"}]}",
            400,
            "validation_error",
            "batch[0].type"),
        reject(
            "one bad event rejects the batch",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"ok\",\"messageId\":\"MID\"},{\"type\":\"track\",\"userId\":\"u\",\"event\":\"ok\"},{\"type\":\"track\",\"userId\":\"u\"}]}",
            400,
            "validation_error",
            "batch[2].event"),
        // huge numbers and long strings
        reject(
            "number with 2000 digits",
            "/v1/track",
            track(",\"properties\":{\"n\":1" + "0".repeat(2000) + "}"),
            400,
            "validation_error",
            "properties.n"),
        reject(
            "number with huge exponent",
            "/v1/track",
            track(",\"properties\":{\"n\":1e999999}"),
            400,
            "validation_error",
            "properties.n"),
        reject(
            "number of 6000 digits",
            "/v1/track",
            track(",\"properties\":{\"n\":" + "9".repeat(6000) + "}"),
            400,
            "validation_error",
            // Past Jackson's own limit, which reports no path: found by reading the body again.
            "properties.n"),
        reject(
            "negative zero-padded number",
            "/v1/track",
            track(",\"properties\":{\"n\":-01}"),
            400,
            "invalid_json",
            "body"),
        reject(
            "numeric userId with a huge exponent (never spelled out)",
            "/v1/track",
            "{\"userId\":1e999999999,\"event\":\"e\",\"messageId\":\"MID\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "number with tiny exponent",
            "/v1/track",
            track(",\"properties\":{\"n\":1e-999999}"),
            400,
            "validation_error",
            "properties.n"),
        reject(
            "userId longer than 255",
            "/v1/track",
            "{\"userId\":\"" + "u".repeat(256) + "\",\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "messageId longer than 255",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + "m".repeat(300) + "\"}",
            400,
            "validation_error",
            "messageId"),
        reject(
            "event longer than 255",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"" + "e".repeat(300) + "\"}",
            400,
            "validation_error",
            "event"),
        // deep nesting
        reject(
            "nesting deeper than 100",
            "/v1/track",
            track(",\"properties\":" + repeat("{\"a\":", 150) + "1" + repeat("}", 150)),
            400,
            "validation_error",
            null),
        reject(
            "deep arrays",
            "/v1/track",
            "[".repeat(5000) + "]".repeat(5000),
            400,
            "validation_error",
            "body"),
        // odd unicode and escapes
        reject(
            "NUL in a property value",
            "/v1/track",
            track(",\"properties\":{\"a\":\"x\\u0000y\"}"),
            400,
            "validation_error",
            "properties.a"),
        reject(
            "NUL in a property key",
            "/v1/track",
            track(",\"properties\":{\"a\\u0000\":1}"),
            400,
            "validation_error",
            "properties.a\u0000"),
        reject(
            "NUL in userId",
            "/v1/track",
            "{\"userId\":\"u\\u0000\",\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "NUL in event name",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"\\u0000\"}",
            400,
            "validation_error",
            "event"),
        reject(
            "lone high surrogate",
            "/v1/track",
            track(",\"properties\":{\"s\":\"\\ud83d\"}"),
            400,
            "validation_error",
            "properties.s"),
        reject(
            "lone low surrogate",
            "/v1/track",
            track(",\"context\":{\"s\":\"a\\ude00b\"}"),
            400,
            "validation_error",
            "context.s"),
        reject(
            "reversed surrogates",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"s\":\"\\ude00\\ud83d\"}}]}",
            400,
            "validation_error",
            "batch[0].properties.s"),
        rejectRaw(
            "invalid UTF-8 bytes",
            "/v1/track",
            concat(
                "{\"userId\":\"u\",\"event\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe},
                "\"}".getBytes(StandardCharsets.UTF_8)),
            JSON_TYPE,
            null,
            400,
            "invalid_json",
            "body"),
        reject(
            "raw control character in string",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"a\u0001b\"}",
            400,
            "invalid_json",
            "body"),
        reject(
            "bad escape",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"\\x41\"}",
            400,
            "invalid_json",
            "body"),
        // duplicate keys
        reject(
            "duplicate top-level key",
            "/v1/track",
            "{\"userId\":\"u\",\"userId\":\"v\",\"event\":\"e\"}",
            400,
            "validation_error",
            "userId"),
        reject(
            "duplicate nested key",
            "/v1/track",
            track(",\"properties\":{\"a\":1,\"a\":2}"),
            400,
            "validation_error",
            "properties.a"),
        reject(
            "duplicate key in a batch item",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"event\":\"f\"}]}",
            400,
            "validation_error",
            "batch[0].event"),
        // malformed JSON
        reject(
            "truncated JSON",
            "/v1/track",
            "{\"userId\":\"u\",\"event\":",
            400,
            "invalid_json",
            "body"),
        reject("trailing garbage", "/v1/track", track("") + " {}", 400, "invalid_json", "body"),
        reject(
            "single quotes",
            "/v1/track",
            "{'userId':'u','event':'e'}",
            400,
            "invalid_json",
            "body"),
        reject(
            "NaN literal",
            "/v1/track",
            track(",\"properties\":{\"n\":NaN}"),
            400,
            "invalid_json",
            "body"),
        reject(
            "comments",
            "/v1/track",
            "{/* hi */\"userId\":\"u\",\"event\":\"e\"}",
            400,
            "invalid_json",
            "body"),
        // empty bodies
        reject("empty body", "/v1/track", "", 400, "validation_error", "body"),
        reject("whitespace body", "/v1/track", "  \n ", 400, "validation_error", "body"),
        // content types and encodings
        // any Content-Type is read as JSON, so what is not JSON is a 400 whatever its label
        rejectRaw(
            "form pairs under a form content type",
            "/v1/track",
            "userId=u&event=e".getBytes(StandardCharsets.UTF_8),
            "application/x-www-form-urlencoded",
            null,
            400,
            "invalid_json",
            "body"),
        rejectRaw(
            "xml under an xml content type",
            "/v1/track",
            "<track><userId>u</userId></track>".getBytes(StandardCharsets.UTF_8),
            "application/xml",
            null,
            400,
            "invalid_json",
            "body"),
        rejectRaw(
            "brotli encoding",
            "/v1/track",
            good,
            JSON_TYPE,
            "br",
            415,
            "unsupported_media_type",
            "Content-Encoding"),
        rejectRaw(
            "truncated gzip",
            "/v1/track",
            Arrays.copyOf(gz, gz.length / 2),
            JSON_TYPE,
            "gzip",
            400,
            "invalid_json",
            "Content-Encoding"),
        rejectRaw(
            "gzip header claims but plain body",
            "/v1/track",
            good,
            JSON_TYPE,
            "gzip",
            400,
            "invalid_json",
            "Content-Encoding"),
        rejectRaw(
            "empty gzip body",
            "/v1/track",
            new byte[0],
            JSON_TYPE,
            "gzip",
            400,
            "invalid_json",
            "Content-Encoding"),
        rejectRaw(
            "gzip bomb",
            "/v1/track",
            gzip(new byte[20 * 1024 * 1024]),
            JSON_TYPE,
            "gzip",
            413,
            "payload_too_large",
            "body"),
        // limits
        reject("event over 32 KB", "/v1/track", hugeEvent, 400, "validation_error", "body"),
        reject(
            "batch event over 32 KB",
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"ok\"},"
                + hugeEvent.replace("{\"userId\"", "{\"type\":\"track\",\"userId\"")
                + "]}",
            400,
            "validation_error",
            "batch[1]"),
        reject("body over 500 KB", "/v1/batch", bigBody, 413, "payload_too_large", "body"),
        reject("more than 2500 events", "/v1/batch", tooMany, 400, "validation_error", "batch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWithEnvelopeNamingTheField(Row row) {
    String messageId = uuid();
    byte[] body = replace(row.body(), "MID", messageId);
    HttpResponse<String> response =
        row.contentEncoding() == null
            ? post(row.path(), body, "Authorization", ws.basic(), "Content-Type", row.contentType())
            : post(
                row.path(),
                body,
                "Authorization",
                ws.basic(),
                "Content-Type",
                row.contentType(),
                "Content-Encoding",
                row.contentEncoding());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(row.status());
    JsonNode envelope = json(response);
    assertThat(envelope.at("/error/code").asString()).isEqualTo(row.code());
    assertThat(envelope.at("/request_id").asString()).startsWith("req_");
    if (row.field() != null) {
      assertThat(envelope.at("/error/details").findValuesAsString("field")).contains(row.field());
    } else {
      assertThat(envelope.at("/error/details").size()).isPositive();
    }
    assertThat(events(ws, messageId)).as("nothing stored").isZero();
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("emoji and scripts", "{\"s\":\"🎉 café 日本語 עברית 𝄞\"}"),
        Arguments.of("escaped pair", "{\"s\":\"\\ud83d\\ude00\"}"),
        Arguments.of("escapes", "{\"s\":\"tab\\t nl\\n quote\\\" slash\\/ back\\\\ \\u00e9\"}"),
        Arguments.of("big integer", "{\"n\":123456789012345678901234567890123456789}"),
        Arguments.of("precise decimal", "{\"n\":0.1000000000000000000000000001}"),
        Arguments.of("trailing zeros", "{\"n\":1.50}"),
        Arguments.of("negative exponent", "{\"n\":1.5e-300}"),
        Arguments.of("nested 90 deep", repeat("{\"a\":", 90) + "1" + repeat("}", 90)),
        Arguments.of("empty key and values", "{\"\":\"\",\"e\":{},\"l\":[],\"z\":null}"),
        Arguments.of("zero width and RTL marks", "{\"s\":\"\\u200b\\u200f\\ufeff\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void storesOddButValidJsonFaithfully(String name, String properties) {
    String messageId = uuid();
    HttpResponse<String> response =
        post(
            "/v1/track",
            "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\""
                + messageId
                + "\",\"properties\":"
                + properties
                + "}",
            "Authorization",
            ws.basic());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Boolean same =
        jdbc.queryForObject(
            "select properties = ?::jsonb from events where workspace_id = ? and message_id = ?",
            Boolean.class,
            properties,
            ws.id(),
            messageId);
    assertThat(same).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "application/x-www-form-urlencoded",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "not a type"
      })
  void readsAJsonBodyWhateverItsContentType(String contentType) {
    String messageId = uuid();
    HttpResponse<String> response =
        post(
            "/v1/track",
            gzip(track("").replace("MID", messageId).getBytes(StandardCharsets.UTF_8)),
            "Authorization",
            ws.basic(),
            "Content-Type",
            contentType,
            "Content-Encoding",
            "gzip");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(events(ws, messageId)).isEqualTo(1);
  }

  @Test
  void acceptsNumericIdsAsTheirDecimalText() {
    String messageId = uuid();
    HttpResponse<String> response =
        post(
            "/v1/track",
            "{\"userId\":12345678901234567890,\"anonymousId\":42.0,\"event\":\"e\",\"messageId\":\""
                + messageId
                + "\"}",
            "Authorization",
            ws.basic());
    assertThat(response.statusCode()).isEqualTo(200);
    var row =
        jdbc.queryForMap(
            "select user_id, anonymous_id from events where workspace_id = ? and message_id = ?",
            ws.id(),
            messageId);
    assertThat(row.get("user_id")).isEqualTo("12345678901234567890");
    assertThat(row.get("anonymous_id")).isEqualTo("42");
  }

  @Test
  void readsSnakeCaseAliases() {
    String messageId = uuid();
    HttpResponse<String> response =
        post(
            "/v1/track",
            "{\"user_id\":\"su\",\"anonymous_id\":\"sa\",\"event\":\"e\",\"message_id\":\""
                + messageId
                + "\"}",
            "Authorization",
            ws.basic());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select user_id || '/' || anonymous_id from events"
                    + " where workspace_id = ? and message_id = ?",
                String.class,
                ws.id(),
                messageId))
        .isEqualTo("su/sa");
  }

  @Test
  void reportsEveryBadFieldOfABatch() {
    HttpResponse<String> response =
        post(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"},"
                + "{\"type\":\"group\",\"userId\":\"u\"},"
                + "{\"type\":\"identify\",\"traits\":[]}]}",
            "Authorization",
            ws.basic());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).at("/error/details").findValuesAsString("field"))
        .contains("batch[0].event", "batch[1].groupId", "batch[2].userId", "batch[2].traits");
  }

  /**
   * Found by {@code AuthenticatedHostileInputPropertyTests}: a value nested past the depth limit
   * was refused naming {@code body} ("nested deeper than 100 levels at 'body'") whichever field
   * held it.
   */
  @Test
  void aValueNestedTooDeepIsRefusedNamingThePathWhereTheLimitWasHit() {
    HttpResponse<String> track =
        post(
            "/v1/track",
            track(",\"properties\":{\"deep\":" + repeat("[", 150) + repeat("]", 150) + "}"),
            "Authorization",
            ws.basic());
    HttpResponse<String> batch =
        post(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"},"
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"context\":"
                + repeat("{\"k\":", 150)
                + "1"
                + repeat("}", 150)
                + "}]}",
            "Authorization",
            ws.basic());

    assertThat(track.statusCode()).as(track.body()).isEqualTo(400);
    String trackField = json(track).at("/error/details/0/field").asString();
    assertThat(trackField).as(track.body()).startsWith("properties.deep[0][0]");
    assertThat(json(track).at("/error/details/0/reason").asString()).isEqualTo("too_deep");
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(400);
    assertThat(json(batch).at("/error/details/0/field").asString())
        .as(batch.body())
        .startsWith("batch[1].context.k.k.k");
  }

  @Test
  void aBatchWithMoreProblemsThanAreListedSaysHowManyWereLeftOut() {
    // 120 events without a name or an id: 240 problems, of which the first 100 are listed.
    String events = String.join(",", java.util.Collections.nCopies(120, "{\"type\":\"track\"}"));
    HttpResponse<String> response =
        post("/v1/batch", "{\"batch\":[" + events + "]}", "Authorization", ws.basic());
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response).path("error");
    assertThat(error.path("message").asString())
        .isEqualTo("The request has 240 invalid fields; see details.");
    assertThat(error.path("details")).hasSize(101);
    JsonNode last = error.path("details").path(100);
    assertThat(last.path("field").asString()).isEqualTo("details");
    assertThat(last.path("reason").asString()).isEqualTo("truncated");
    assertThat(last.path("message").asString()).startsWith("140 more problems were left out");
  }

  static Stream<Arguments> badIdFields() {
    String long256 = "\"" + "x".repeat(256) + "\"";
    return Stream.of(
        Arguments.of("/v1/group", "{\"groupId\":true,\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":{},\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":[5],\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":1e400,\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":1e999999999,\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":" + long256 + ",\"userId\":\"u\"}", "groupId"),
        Arguments.of("/v1/group", "{\"groupId\":\"g\",\"userId\":5.5e300}", "userId"),
        Arguments.of("/v1/group", "{\"groupId\":\"g\",\"userId\":false}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":true,\"userId\":\"u\"}", "previousId"),
        Arguments.of(
            "/v1/alias", "{\"previousId\":" + long256 + ",\"userId\":\"u\"}", "previousId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\",\"userId\":true}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\",\"userId\":{}}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\",\"userId\":1e999999999}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\",\"userId\":" + long256 + "}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\"}", "userId"),
        Arguments.of("/v1/alias", "{\"previousId\":\"p\",\"anonymousId\":\"a\"}", "userId"),
        Arguments.of("/v1/identify", "{\"userId\":true}", "userId"),
        Arguments.of("/v1/identify", "{\"userId\":1e999999999}", "userId"),
        Arguments.of("/v1/track", "{\"userId\":[],\"event\":\"e\"}", "userId"),
        Arguments.of("/v1/track", "{\"anonymousId\":true,\"event\":\"e\"}", "anonymousId"),
        Arguments.of(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"group\",\"groupId\":true,\"userId\":\"u\"}]}",
            "batch[0].groupId"),
        Arguments.of(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"alias\",\"previousId\":\"p\",\"userId\":true}]}",
            "batch[0].userId"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badIdFields")
  void reportsAWrongIdFieldOnceWithOneDetail(String path, String body, String field) {
    HttpResponse<String> response = post(path, body, "Authorization", ws.basic());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode details = json(response).at("/error/details");
    assertThat(details.findValuesAsString("field")).as(response.body()).containsExactly(field);
  }

  @Test
  void anIdOfTheWrongTypeIsToldThatANumberWouldDo() {
    HttpResponse<String> response =
        post("/v1/track", "{\"userId\":true,\"event\":\"e\"}", "Authorization", ws.basic());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode detail = json(response).at("/error/details/0");
    assertThat(detail.path("reason").asString()).isEqualTo("invalid_type");
    assertThat(detail.path("message").asString())
        .isEqualTo("Field 'userId' must be a string (or a number, read as its digits).");
    HttpResponse<String> number =
        post("/v1/track", "{\"userId\":42,\"event\":\"e\"}", "Authorization", ws.basic());
    assertThat(number.statusCode()).as(number.body()).isEqualTo(200);
  }

  static Stream<Arguments> missingIdsWithAnotherProblem() {
    return Stream.of(
        Arguments.of("/v1/track", "{\"event\":\"e\",\"messageId\":true}", "messageId", "userId"),
        Arguments.of("/v1/track", "{\"event\":\"e\",\"message_id\":{}}", "message_id", "userId"),
        Arguments.of(
            "/v1/track",
            "{\"event\":\"e\",\"properties\":{\"a\":\"\\u0000\"}}",
            "properties.a",
            "userId"),
        Arguments.of(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"track\",\"event\":\"e\",\"messageId\":[1]}]}",
            "batch[0].messageId",
            "batch[0].userId"));
  }

  /**
   * "Every event needs a userId or an anonymousId" is reported with the event's other problems: it
   * was left out whenever an earlier check of the same event (another field's type, a string
   * PostgreSQL cannot store) had found one, so the client fixed that and met the next 400.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("missingIdsWithAnotherProblem")
  void reportsAMissingIdAlongsideTheEventsOtherProblems(
      String path, String body, String otherField, String idField) {
    HttpResponse<String> response = post(path, body, "Authorization", ws.basic());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode details = json(response).at("/error/details");
    assertThat(details.findValuesAsString("field"))
        .as(response.body())
        .containsExactlyInAnyOrder(otherField, idField);
    assertThat(details.findValuesAsString("reason")).as(response.body()).contains("required");
  }

  @Test
  void acceptsANumericGroupIdAsItsDecimalText() {
    String messageId = uuid();
    HttpResponse<String> response =
        post(
            "/v1/group",
            "{\"groupId\":5,\"userId\":\"u\",\"messageId\":\"" + messageId + "\"}",
            "Authorization",
            ws.basic());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select group_id from events where workspace_id = ? and message_id = ?",
                String.class,
                ws.id(),
                messageId))
        .isEqualTo("5");
  }

  /** {@code n} characters outside the Basic Multilingual Plane: 2n UTF-16 units, 4n bytes. */
  private static String astral(int n) {
    return "\uD83D\uDE00".repeat(n);
  }

  static Stream<Arguments> idFieldsAtTheirLimit() {
    // route, the id field, the column it is stored in, a body with ID where it goes
    return Stream.of(
        Arguments.of("/v1/track", "userId", "user_id", "{\"userId\":\"ID\",\"event\":\"e\"}"),
        Arguments.of(
            "/v1/track", "anonymousId", "anonymous_id", "{\"anonymousId\":\"ID\",\"event\":\"e\"}"),
        Arguments.of("/v1/track", "event", "event", "{\"userId\":\"u\",\"event\":\"ID\"}"),
        Arguments.of("/v1/group", "groupId", "group_id", "{\"userId\":\"u\",\"groupId\":\"ID\"}"),
        Arguments.of(
            "/v1/alias",
            "previousId",
            "previous_id",
            "{\"userId\":\"u-" + uuid() + "\",\"previousId\":\"ID\"}"),
        Arguments.of(
            "/v1/identify", "userId", "user_id", "{\"userId\":\"ID\",\"traits\":{\"a\":1}}"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("idFieldsAtTheirLimit")
  void countsIdLengthsInCharactersSoAstralIdsFitTheirLimit(
      String path, String field, String column, String template) {
    String messageId = uuid();
    String atLimit = astral(EventParser.MAX_ID_CHARS);
    String body =
        template.replace("ID", atLimit).replace("{", "{\"messageId\":\"" + messageId + "\",");

    HttpResponse<String> fits = post(path, body, "Authorization", ws.basic());

    assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select " + column + " from events where workspace_id = ? and message_id = ?",
                String.class,
                ws.id(),
                messageId))
        .isEqualTo(atLimit);

    String over = astral(EventParser.MAX_ID_CHARS - 1) + "xy";
    HttpResponse<String> tooLong =
        post(path, template.replace("ID", over), "Authorization", ws.basic());

    assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
    JsonNode details = json(tooLong).at("/error/details");
    assertThat(details.findValuesAsString("field")).as(tooLong.body()).containsExactly(field);
    assertThat(details.at("/0/reason").asString()).isEqualTo("too_long");
  }

  @Test
  void anIdentifiedAstralUserIdAtTheLimitIsTheContactsUserId() {
    String userId = astral(EventParser.MAX_ID_CHARS - 1) + "z";
    HttpResponse<String> response =
        post(
            "/v1/identify",
            "{\"userId\":\"" + userId + "\",\"traits\":{\"plan\":\"pro\"}}",
            "Authorization",
            ws.basic());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "select char_length(user_id) from contacts where workspace_id = ? and user_id = ?",
                Integer.class,
                ws.id(),
                userId))
        .isEqualTo(EventParser.MAX_ID_CHARS);
  }

  private static byte[] replace(byte[] body, String from, String to) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    if (!s.contains(from)) {
      return body;
    }
    return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
