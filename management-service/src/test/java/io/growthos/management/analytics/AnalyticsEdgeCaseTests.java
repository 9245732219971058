package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Edges of {@code POST /v1/analytics/query} checked by hand against SPEC §7 and docs/analytics.md
 * (the random comparison is {@link SegmentsAndAnalyticsMatchAReferenceModelTests}).
 */
class AnalyticsEdgeCaseTests extends ApiTestSupport {

  static final String Q = "/v1/analytics/query";

  void event(String ws, String contact, String name, String at, String properties) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, anonymous_id, contact_id,"
            + " properties, context, timestamp, received_at)"
            + " values (?, ?, ?, 'track', ?, ?, ?, ?::jsonb, '{}'::jsonb, ?, now())",
        ws,
        id,
        "m-" + id,
        name,
        contact == null ? "anon-x" : null,
        contact,
        properties,
        Timestamp.from(Instant.parse(at)));
  }

  static List<String> values(JsonNode series) {
    List<String> out = new ArrayList<>();
    series.path("points").forEach(p -> out.add(p.path("value").asString()));
    return out;
  }

  JsonNode ok(Tenant t, String body) {
    Response r = post(Q, t.key(), body);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body();
  }

  @Test
  void whereExistsAndNotExistsTakeNoValueInSeriesAndSteps() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    event(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"plan\": \"pro\"}");
    event(ws, a, "Viewed", "2026-03-01T11:00:00Z", "{\"plan\": null}");
    event(ws, a, "Viewed", "2026-03-01T12:00:00Z", "{}");
    JsonNode trend =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Viewed", "where": [{"field": "properties.plan", "op": "exists"}]},
                        {"event": "Viewed",
                         "where": [{"field": "properties.plan", "op": "not_exists"}]}]}
            """);
    assertThat(values(trend.path("series").path(0))).containsExactly("1");
    assertThat(values(trend.path("series").path(1))).containsExactly("2");
    JsonNode funnel =
        ok(
            t,
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "steps": [{"event": "Viewed", "where": [{"field": "properties.plan", "op": "exists"}]},
                       {"event": "Viewed",
                        "where": [{"field": "properties.plan", "op": "not_exists"}]}]}
            """);
    assertThat(funnel.path("steps").path(1).path("count").asLong()).isEqualTo(1);
  }
}
