package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sends exactly what real SDKs send (payload shapes and headers copied from their sources:
 * segmentio/analytics-next packages/node publisher.ts, segmentio/analytics-python request.py and
 * client.py, analytics-next packages/browser fetch-dispatcher.ts / batched-dispatcher.ts,
 * rudderlabs rudder-sdk-js xhrQueue) and checks each is stored as sent.
 */
class SegmentWireCompatTests extends IngestTestBase {

  @Test
  void acceptsAnalyticsNodeBatch() {
    Workspace ws = newWorkspace();
    String m1 = uuid();
    String m2 = uuid();
    // @segment/analytics-node: POST {host}/v1/batch, Basic base64(writeKey + ":"), JSON {batch}.
    String body =
        """
        {"batch":[
          {"type":"track","event":"Order Completed","properties":{"revenue":42.5,"currency":"USD"},
           "userId":"user-1","anonymousId":null,"messageId":"node-next-%s",
           "timestamp":"2024-05-01T12:00:00.000Z","integrations":{},
           "context":{"library":{"name":"@segment/analytics-node","version":"2.1.0"}},
           "_metadata":{"jsRuntime":"node"}},
          {"type":"identify","traits":{"name":"Ada","email":"ada@example.com"},
           "userId":"user-1","messageId":"node-next-%s","timestamp":"2024-05-01T12:00:01.000Z",
           "context":{"library":{"name":"@segment/analytics-node","version":"2.1.0"}},
           "_metadata":{"jsRuntime":"node"}}
        ]}
        """
            .formatted(m1, m2);
    HttpResponse<String> response =
        post(
            "/v1/batch",
            body,
            "Authorization",
            ws.basic(),
            "Content-Type",
            "application/json",
            "User-Agent",
            "analytics-node-next/latest");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("success").asBoolean()).isTrue();
    assertThat(events(ws, "node-next-" + m1)).isEqualTo(1);
    assertThat(events(ws, "node-next-" + m2)).isEqualTo(1);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select event, properties->>'revenue' as revenue,"
                + " context->'library'->>'name' as lib, timestamp from events"
                + " where workspace_id = ? and message_id = ?",
            ws.id(),
            "node-next-" + m1);
    assertThat(row.get("event")).isEqualTo("Order Completed");
    assertThat(row.get("revenue")).isEqualTo("42.5");
    assertThat(row.get("lib")).isEqualTo("@segment/analytics-node");
    assertThat(row.get("timestamp").toString()).startsWith("2024-05-01");
  }

  @Test
  void acceptsAnalyticsPythonBatchWithSentAtAndGzip() {
    Workspace ws = newWorkspace();
    String m1 = uuid();
    // analytics-python: Basic (writeKey, ''), body {batch, sentAt} with isoformat() timestamps
    // (microseconds, +00:00), optionally gzip-compressed.
    String body =
        """
        {"batch":[{"integrations":{},"anonymousId":null,
                   "properties":{"plan":"Enterprise"},"timestamp":"2024-05-01T12:00:00.123456+00:00",
                   "context":{"library":{"name":"analytics-python","version":"2.3.2"}},
                   "userId":"py-user","type":"track","event":"Upgraded","messageId":"%s"}],
         "sentAt":"2024-05-01T12:00:05.123456+00:00"}
        """
            .formatted(m1);
    HttpResponse<String> response =
        post(
            "/v1/batch",
            gzip(body.getBytes(StandardCharsets.UTF_8)),
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((ws.writeKey() + ":").getBytes(StandardCharsets.UTF_8)),
            "Content-Type",
            "application/json",
            "Content-Encoding",
            "gzip",
            "User-Agent",
            "analytics-python/2.3.2");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select extract(epoch from (received_at - timestamp)) as skew,"
                + " sent_at is not null as has_sent_at from events"
                + " where workspace_id = ? and message_id = ?",
            ws.id(),
            m1);
    // Sent 5 s after the call: stored 5 s before receipt, whatever the device clock said.
    assertThat(((Number) row.get("skew")).doubleValue()).isEqualTo(5.0);
    assertThat(row.get("has_sent_at")).isEqualTo(true);
  }

  @Test
  void acceptsAnalyticsJsBrowserCallsOnShortRoutes() {
    Workspace ws = newWorkspace();
    String anon = uuid();
    // analytics.js: POST https://{apiHost}/{t|p|i|g|a}, Content-Type text/plain, writeKey in body.
    Map<String, String> calls =
        Map.of(
            "/v1/p",
            """
            {"type":"page","name":"Home","properties":{"path":"/","url":"https://shop.example/"},
             "anonymousId":"%s","messageId":"ajs-next-p-%s","timestamp":"2024-05-01T12:00:00.000Z",
             "context":{"page":{"path":"/","url":"https://shop.example/","title":"Shop"},
                        "userAgent":"Mozilla/5.0","locale":"en-US",
                        "library":{"name":"analytics.js","version":"next-1.70.0"}},
             "integrations":{},"writeKey":"%s","sentAt":"2024-05-01T12:00:00.010Z",
             "_metadata":{"bundled":["Segment.io"],"unbundled":[],"bundledIds":[]}}
            """,
            "/v1/t",
            """
            {"type":"track","event":"Clicked Buy","properties":{"sku":"A-1"},
             "anonymousId":"%s","messageId":"ajs-next-t-%s","timestamp":"2024-05-01T12:00:01.000Z",
             "context":{"library":{"name":"analytics.js","version":"next-1.70.0"}},
             "integrations":{},"writeKey":"%s","sentAt":"2024-05-01T12:00:01.010Z"}
            """,
            "/v1/i",
            """
            {"type":"identify","userId":"web-user","traits":{"email":"web@example.com"},
             "anonymousId":"%s","messageId":"ajs-next-i-%s","timestamp":"2024-05-01T12:00:02.000Z",
             "context":{"library":{"name":"analytics.js","version":"next-1.70.0"}},
             "integrations":{},"writeKey":"%s","sentAt":"2024-05-01T12:00:02.010Z"}
            """);
    String id = uuid();
    for (String path : List.of("/v1/p", "/v1/t", "/v1/i")) {
      HttpResponse<String> response =
          post(
              path,
              calls.get(path).formatted(anon, id, ws.writeKey()),
              "Content-Type",
              "text/plain;charset=UTF-8",
              "Origin",
              "https://shop.example");
      assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    }
    assertThat(events(ws)).isEqualTo(3);
    // The identify ties the earlier anonymous page and track to the contact: in the background,
    // shortly after (docs/contacts.md, history back-fill).
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and contact_id is null",
                Long.class,
                ws.id())
            > 0
        && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
    assertThat(
            jdbc.queryForObject(
                "select count(distinct contact_id) from events where workspace_id = ?"
                    + " and contact_id is not null",
                Long.class,
                ws.id()))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and contact_id is null",
                Long.class,
                ws.id()))
        .isZero();
  }

  @Test
  void acceptsAnalyticsJsBatchedDispatcher() {
    Workspace ws = newWorkspace();
    String m = uuid();
    // analytics.js batching: POST /v1/b, text/plain, {"batch":[...],"writeKey":"..."}.
    String body =
        """
        {"batch":[{"type":"track","event":"Viewed","anonymousId":"a-%s","messageId":"%s",
                   "timestamp":"2024-05-01T12:00:00.000Z","context":{"library":{"name":"analytics.js"}},
                   "sentAt":"2024-05-01T12:00:00.500Z"}],
         "writeKey":"%s","sentAt":"2024-05-01T12:00:00.500Z"}
        """
            .formatted(m, m, ws.writeKey());
    HttpResponse<String> response = post("/v1/b", body, "Content-Type", "text/plain");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(events(ws, m)).isEqualTo(1);
  }

  @Test
  void acceptsRudderStackJsSdkCalls() {
    Workspace ws = newWorkspace();
    String m = uuid();
    String anon = uuid();
    // rudder-sdk-js v3: POST {dataPlaneUrl}/v1/{type}, application/json;charset=UTF-8, Basic auth,
    // AnonymousId header, RudderStack extras (channel, rudderId, originalTimestamp, sentAt).
    String body =
        """
        {"channel":"web","context":{"app":{"name":"RudderLabs JavaScript SDK","namespace":"com.rudderlabs.javascript","version":"3.7.0"},
          "library":{"name":"RudderLabs JavaScript SDK","version":"3.7.0"},"userAgent":"Mozilla/5.0",
          "os":{"name":"","version":""},"locale":"en-US","screen":{"width":1440,"height":900,"density":2},
          "traits":{},"campaign":{}},
         "type":"track","messageId":"%s","originalTimestamp":"2024-05-01T12:00:00.000Z",
         "anonymousId":"%s","userId":"","event":"Product Viewed","properties":{"price":9.99},
         "integrations":{"All":true},"sentAt":"2024-05-01T12:00:00.250Z","rudderId":"r-1"}
        """
            .formatted(m, anon);
    HttpResponse<String> response =
        post(
            "/v1/track",
            body,
            "Authorization",
            ws.basic(),
            "Content-Type",
            "application/json;charset=UTF-8",
            "Accept",
            "application/json",
            "AnonymousId",
            Base64.getEncoder().encodeToString(anon.getBytes(StandardCharsets.UTF_8)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select user_id, anonymous_id, integrations->>'All' as all_on,"
                + " extract(epoch from (received_at - timestamp)) * 1000 as skew_ms"
                + " from events where workspace_id = ? and message_id = ?",
            ws.id(),
            m);
    assertThat(row.get("user_id")).as("empty userId is absent").isNull();
    assertThat(row.get("anonymous_id")).isEqualTo(anon);
    assertThat(row.get("all_on")).isEqualTo("true");
    assertThat(((Number) row.get("skew_ms")).doubleValue()).isEqualTo(250.0);
  }

  @Test
  void mergesBatchLevelContextUnderEachEvent() {
    Workspace ws = newWorkspace();
    String m = uuid();
    // analytics-go sends a batch-level context; the event's own keys win.
    String body =
        """
        {"messageId":"batch-1","sentAt":"2024-05-01T12:00:00Z",
         "context":{"library":{"name":"analytics-go","version":"3.3.0"},"ip":"1.2.3.4"},
         "batch":[{"type":"track","userId":"go","event":"E","messageId":"%s",
                   "timestamp":"2024-05-01T12:00:00Z","context":{"ip":"5.6.7.8"}}]}
        """
            .formatted(m);
    assertThat(post("/v1/batch", body, "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select context->'library'->>'name' as lib, context->>'ip' as ip from events"
                + " where workspace_id = ? and message_id = ?",
            ws.id(),
            m);
    assertThat(row.get("lib")).isEqualTo("analytics-go");
    assertThat(row.get("ip")).isEqualTo("5.6.7.8");
  }

  @Test
  void acceptsEveryLongAndShortRoute() {
    Workspace ws = newWorkspace();
    Map<String, String> bodies =
        Map.ofEntries(
            Map.entry("/v1/track", "{\"userId\":\"r\",\"event\":\"e\"}"),
            Map.entry("/v1/t", "{\"userId\":\"r\",\"event\":\"e\"}"),
            Map.entry("/v1/identify", "{\"userId\":\"r\"}"),
            Map.entry("/v1/i", "{\"userId\":\"r\"}"),
            Map.entry("/v1/page", "{\"userId\":\"r\",\"name\":\"Home\"}"),
            Map.entry("/v1/p", "{\"userId\":\"r\"}"),
            Map.entry("/v1/screen", "{\"userId\":\"r\",\"name\":\"Main\"}"),
            Map.entry("/v1/s", "{\"userId\":\"r\"}"),
            Map.entry("/v1/group", "{\"userId\":\"r\",\"groupId\":\"g\"}"),
            Map.entry("/v1/g", "{\"userId\":\"r\",\"groupId\":\"g\"}"),
            Map.entry("/v1/alias", "{\"userId\":\"r\",\"previousId\":\"old\"}"),
            Map.entry("/v1/a", "{\"userId\":\"r\",\"previousId\":\"old2\"}"),
            Map.entry("/v1/batch", "{\"batch\":[{\"type\":\"screen\",\"userId\":\"r\"}]}"),
            Map.entry(
                "/v1/b",
                "{\"batch\":[{\"type\":\"alias\",\"userId\":\"r\",\"previousId\":\"o3\"}]}"));
    bodies.forEach(
        (path, body) ->
            assertThat(post(path, body, "Authorization", ws.bearer()).statusCode())
                .as(path)
                .isEqualTo(200));
    assertThat(
            jdbc.queryForList(
                "select type from events where workspace_id = ? group by type order by type",
                String.class,
                ws.id()))
        .containsExactly("alias", "group", "identify", "page", "screen", "track");
  }

  @Test
  void aPageOrScreenCategorySentAtTheTopLevelIsKeptInItsProperties() {
    Workspace ws = newWorkspace();
    String page = uuid();
    String screen = uuid();
    String own = uuid();
    // analytics-node's page({category, name, properties}) and every SDK's screen call send the
    // category only at the top level; analytics.js also copies it into the properties.
    String body =
        """
        {"batch":[
          {"type":"page","userId":"u","category":"Docs","name":"Pricing",
           "properties":{"path":"/pricing"},"messageId":"%s"},
          {"type":"screen","userId":"u","category":"Onboarding","name":"Welcome","messageId":"%s"},
          {"type":"page","userId":"u","category":"Docs","name":"API",
           "properties":{"category":"Reference"},"messageId":"%s"}
        ]}
        """
            .formatted(page, screen, own);
    HttpResponse<String> response = post("/v1/batch", body, "Authorization", ws.basic());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String sql =
        "select name, properties::text from events where workspace_id = ? and message_id = ?";
    assertThat(jdbc.queryForMap(sql, ws.id(), page))
        .containsEntry("name", "Pricing")
        .containsEntry("properties", "{\"path\": \"/pricing\", \"category\": \"Docs\"}");
    assertThat(jdbc.queryForMap(sql, ws.id(), screen))
        .containsEntry("name", "Welcome")
        .containsEntry("properties", "{\"category\": \"Onboarding\"}");
    // The properties' own category is what the caller said last; it stays.
    assertThat(jdbc.queryForMap(sql, ws.id(), own))
        .containsEntry("properties", "{\"category\": \"Reference\"}");

    HttpResponse<String> wrongType =
        post(
            "/v1/batch",
            "{\"batch\":[{\"type\":\"page\",\"userId\":\"u\",\"category\":7}]}",
            "Authorization",
            ws.basic());
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).at("/error/details/0/field").asString())
        .isEqualTo("batch[0].category");
  }

  @Test
  void unknownRouteIs404Envelope() {
    Workspace ws = newWorkspace();
    HttpResponse<String> response = post("/v1/purchase", "{}", "Authorization", ws.basic());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).at("/error/code").asString()).isEqualTo("not_found");
  }
}
