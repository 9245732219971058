package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/analytics/query} end to end: shapes, zeros, breakdowns, errors, tenancy. */
class AnalyticsQueryTests extends ApiTestSupport {

  static final String Q = "/v1/analytics/query";

  static List<Long> values(JsonNode series) {
    List<Long> out = new ArrayList<>();
    series.path("points").forEach(p -> out.add(p.path("value").asLong()));
    return out;
  }

  @Test
  void dailyTrendCountsEveryBucketAndZeroesEmptyOnes() {
    Tenant t = newTenant();
    String a = insertContact(t.workspaceId(), "a", "{}");
    String b = insertContact(t.workspaceId(), "b", "{}");
    insertTrackEvent(t.workspaceId(), a, "Signed Up", "2026-03-01T10:00:00Z", "{\"amount\": 5}");
    insertTrackEvent(t.workspaceId(), a, "Signed Up", "2026-03-01T11:00:00Z", "{\"amount\": 7.5}");
    insertTrackEvent(
        t.workspaceId(), b, "Signed Up", "2026-03-03T23:59:59.999Z", "{\"amount\": \"2\"}");
    insertTrackEvent(t.workspaceId(), b, "Other", "2026-03-02T10:00:00Z", "{}");

    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-04T00:00:00Z",
             "timezone": "UTC", "interval": "day",
             "series": [{"event": "Signed Up"},
                        {"event": "Signed Up", "math": "unique_contacts"},
                        {"event": "Signed Up", "math": "sum", "property": "properties.amount"},
                        {"event": "Signed Up", "math": "max", "property": "properties.amount",
                         "where": [{"field": "properties.amount", "op": "lt", "value": 7}]}]}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode body = r.body();
    assertThat(body.path("kind").asString()).isEqualTo("trends");
    assertThat(body.path("from").asString()).isEqualTo("2026-03-01T00:00:00.000Z");
    assertThat(body.path("to").asString()).isEqualTo("2026-03-04T00:00:00.000Z");
    assertThat(body.path("timezone").asString()).isEqualTo("UTC");
    JsonNode series = body.path("series");
    assertThat(series.size()).isEqualTo(4);
    assertThat(series.path(0).path("points").path(1).path("t").asString())
        .isEqualTo("2026-03-02T00:00:00.000Z");
    assertThat(series.path(0).has("breakdown_value")).isTrue();
    assertThat(values(series.path(0))).containsExactly(2L, 0L, 1L);
    assertThat(values(series.path(1))).containsExactly(1L, 0L, 1L);
    assertThat(series.path(2).path("points").path(0).path("value").decimalValue())
        .isEqualByComparingTo("12.5");
    assertThat(series.path(2).path("points").path(2).path("value").asInt()).isEqualTo(2);
    assertThat(series.path(3).path("points").path(0).path("value").asInt()).isEqualTo(5);
  }

  @Test
  void breakdownKeepsTheTopValuesAndFoldsTheRestIntoOther() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String pro = insertContact(ws, "p", "{\"plan\": \"pro\"}");
    String free = insertContact(ws, "f", "{\"plan\": \"free\"}");
    for (int i = 0; i < 3; i++) {
      insertTrackEvent(ws, pro, "Viewed", "2026-03-01T10:0" + i + ":00Z", "{\"path\": \"/a\"}");
    }
    insertTrackEvent(ws, free, "Viewed", "2026-03-01T11:00:00Z", "{\"path\": \"/b\"}");
    insertTrackEvent(ws, free, "Viewed", "2026-03-01T11:00:00Z", "{\"path\": \"/b\"}");
    insertTrackEvent(ws, free, "Viewed", "2026-03-01T12:00:00Z", "{\"path\": \"/c\"}");
    insertTrackEvent(ws, null, "Viewed", "2026-03-01T12:00:00Z", "{}");

    Response byProperty =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed"}],
             "breakdown": {"property": "properties.path", "limit": 2}}
            """);
    assertThat(byProperty.status()).as(byProperty.raw()).isEqualTo(200);
    JsonNode s = byProperty.body().path("series");
    assertThat(s.findValuesAsString("breakdown_value")).containsExactly("/a", "/b", "$other");
    assertThat(values(s.path(0))).containsExactly(3L);
    assertThat(values(s.path(2))).containsExactly(2L);

    Response byTrait =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed", "math": "unique_contacts"}],
             "breakdown": {"trait": "traits.plan"}}
            """);
    assertThat(byTrait.status()).as(byTrait.raw()).isEqualTo(200);
    JsonNode st = byTrait.body().path("series");
    assertThat(st.size()).isEqualTo(3);
    assertThat(st.path(0).path("breakdown_value").asString()).isEqualTo("free");
    assertThat(values(st.path(0))).containsExactly(1L);
    assertThat(st.path(2).path("breakdown_value").isNull()).isTrue();
  }

  /**
   * An empty text and a missing value are two breakdown values, in trends and funnels alike: the
   * join of events to their ranked values is written as equalities PostgreSQL can hash
   * (2026-12-07), with null kept apart from ''.
   */
  @Test
  void anEmptyTextAndAMissingValueAreTwoBreakdownValues() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String c = insertContact(ws, "c", "{}");
    for (int i = 0; i < 3; i++) {
      insertTrackEvent(ws, c, "Viewed", "2026-03-01T10:0" + i + ":00Z", "{\"ref\": \"\"}");
    }
    for (int i = 0; i < 2; i++) {
      insertTrackEvent(ws, c, "Viewed", "2026-03-01T11:0" + i + ":00Z", "{}");
    }
    insertTrackEvent(ws, c, "Viewed", "2026-03-01T12:00:00Z", "{\"ref\": \"ads\"}");

    Response trends =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed"}],
             "breakdown": {"property": "properties.ref"}}
            """);
    assertThat(trends.status()).as(trends.raw()).isEqualTo(200);
    JsonNode s = trends.body().path("series");
    assertThat(s.size()).as(trends.raw()).isEqualTo(3);
    assertThat(s.path(0).path("breakdown_value").asString()).isEmpty();
    assertThat(s.path(0).path("breakdown_value").isNull()).isFalse();
    assertThat(values(s.path(0))).containsExactly(3L);
    assertThat(s.path(1).path("breakdown_value").isNull()).isTrue();
    assertThat(values(s.path(1))).containsExactly(2L);
    assertThat(s.path(2).path("breakdown_value").asString()).isEqualTo("ads");

    Response funnel =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "steps": [{"event": "Viewed"}, {"event": "Viewed"}],
             "breakdown": {"property": "properties.ref"}}
            """);
    assertThat(funnel.status()).as(funnel.raw()).isEqualTo(200);
    assertThat(funnel.raw()).contains("\"breakdown_value\":\"\"");
  }

  @Test
  void aContactFilterKeepsOnlyTheEventsOfMatchingContacts() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String pro = insertContact(ws, "p", "{\"plan\": \"pro\"}");
    String free = insertContact(ws, "f", "{\"plan\": \"free\"}");
    insertTrackEvent(ws, pro, "Viewed", "2026-03-01T10:00:00Z", "{\"n\": \"5\"}");
    insertTrackEvent(ws, pro, "Viewed", "2026-03-01T11:00:00Z", "{\"n\": 1}");
    insertTrackEvent(ws, free, "Viewed", "2026-03-01T11:00:00Z", "{\"n\": 5}");
    insertTrackEvent(ws, null, "Viewed", "2026-03-01T11:00:00Z", "{\"n\": 5}");
    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Viewed"},
                        {"event": "Viewed", "where": [{"field": "properties.n", "op": "gte", "value": 5}]}],
             "filter": {"all": [{"field": "traits.plan", "op": "eq", "value": "pro"}]}}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(values(r.body().path("series").path(0))).containsExactly(2L);
    // "5" (a string that spells a number) compares as the number 5, as in the filter grammar.
    assertThat(values(r.body().path("series").path(1))).containsExactly(1L);

    Response funnel =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "steps": [{"event": "Viewed"}, {"event": "Viewed"}],
             "filter": {"field": "traits.plan", "op": "eq", "value": "free"}}
            """);
    assertThat(funnel.status()).as(funnel.raw()).isEqualTo(200);
    assertThat(funnel.body().path("steps").path(0).path("count").asLong()).isEqualTo(1);

    Response bad =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "series": [{"event": "Viewed"}],
             "filter": {"all": [{"field": "traits.plan", "op": "like", "value": "p"}]}}
            """);
    assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
    assertThat(bad.body().path("error").path("details").findValuesAsString("field"))
        .contains("filter.all[0].op");
  }

  /**
   * A breakdown by a contact's trait lists the contacts' values (a segment broken down by {@code
   * traits.email} is its members' addresses), so it needs {@code contacts:read} as well; a key with
   * {@code analytics:read} alone got them until 2026-12-07 (black-box review R). A breakdown by an
   * event's property and the counts stay open to it.
   */
  @Test
  void aBreakdownByATraitNeedsContactsReadAsWellAndOneByAPropertyDoesNot() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String ada = insertContact(ws, "ada", "{\"email\": \"ada@secret.example\"}");
    insertTrackEvent(ws, ada, "Login", "2026-03-01T10:00:00Z", "{\"plan\": \"pro\"}");
    String analyticsOnly = newSecretKey(ws, "analytics:read");
    String both = newSecretKey(ws, "analytics:read", "contacts:read");
    String byTrait =
        """
        {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
         "timezone": "UTC", "series": [{"event": "Login"}],
         "breakdown": {"trait": "traits.email"}}
        """;
    String funnelByTrait =
        """
        {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
         "steps": [{"event": "Login"}, {"event": "Login"}], "breakdown": {"trait": "traits.email"}}
        """;
    for (String body : List.of(byTrait, funnelByTrait)) {
      Response refused = post(Q, analyticsOnly, body);
      assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
      assertThat(refused.raw()).doesNotContain("ada@secret.example");
      assertThat(refused.firstDetail().path("reason").asString()).isEqualTo("missing_scope");
      assertThat(refused.firstDetail().path("message").asString()).isEqualTo("contacts:read");
      Response allowed = post(Q, both, body);
      assertThat(allowed.status()).as(allowed.raw()).isEqualTo(200);
      assertThat(allowed.raw()).contains("ada@secret.example");
    }
    Response byProperty =
        post(
            Q,
            analyticsOnly,
            byTrait.replace("\"trait\": \"traits.email\"", "\"property\": \"properties.plan\""));
    assertThat(byProperty.status()).as(byProperty.raw()).isEqualTo(200);
    assertThat(byProperty.raw()).contains("\"pro\"");
  }

  @Test
  void funnelCountsOrderedStepsWithinTheWindow() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    String c = insertContact(ws, "c", "{}");
    // a converts fully: 1 h then 2 h
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(ws, a, "Trial Started", "2026-03-01T11:00:00Z", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T13:00:00Z", "{}");
    // b does step 2 before step 1 (not ordered), then pays too late
    insertTrackEvent(ws, b, "Trial Started", "2026-03-01T09:00:00Z", "{}");
    insertTrackEvent(ws, b, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(ws, b, "Trial Started", "2026-03-01T13:00:00Z", "{}");
    insertTrackEvent(ws, b, "Paid", "2026-03-20T10:00:00Z", "{}");
    // c only signs up
    insertTrackEvent(ws, c, "Signed Up", "2026-03-02T10:00:00Z", "{}");

    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z",
             "window": "14d",
             "steps": [{"event": "Signed Up"}, {"event": "Trial Started"}, {"event": "Paid"}]}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode steps = r.body().path("steps");
    assertThat(steps.findValuesAsString("event"))
        .containsExactly("Signed Up", "Trial Started", "Paid");
    assertThat(steps.path(0).path("count").asLong()).isEqualTo(3);
    assertThat(steps.path(1).path("count").asLong()).isEqualTo(2);
    assertThat(steps.path(2).path("count").asLong()).isEqualTo(1);
    assertThat(steps.path(1).path("conversion_rate").asDouble()).isCloseTo(2 / 3.0, within());
    assertThat(steps.path(0).path("median_seconds_to_convert").isNull()).isTrue();
    assertThat(steps.path(1).path("median_seconds_to_convert").asDouble()).isEqualTo(7200.0);
    assertThat(steps.path(2).path("median_seconds_to_convert").asDouble()).isEqualTo(7200.0);
    assertThat(r.body().path("window").asString()).isEqualTo("14d");
  }

  /**
   * A person tracked by user id from two devices, never identified (no contact): one viewer who
   * bought, not two viewers of whom none bought. Until 2026-12-07 an event without a contact
   * counted by its anonymous id first (a black-box review).
   */
  @Test
  void aSignedInPersonOnTwoDevicesIsOnePerson() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String[][] events = {
      {"Viewed", "laptop", "2026-03-01T10:00:00Z"},
      {"Viewed", "phone", "2026-03-01T11:00:00Z"},
      {"Purchased", null, "2026-03-01T12:00:00Z"}
    };
    for (String[] e : events) {
      String id = io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.EVENT);
      jdbc.update(
          "insert into events (workspace_id, id, message_id, type, event, user_id, anonymous_id,"
              + " properties, context, timestamp, received_at) values (?, ?, ?, 'track', ?, 'U',"
              + " ?, '{}'::jsonb, '{}'::jsonb, ?::timestamptz, now())",
          ws,
          id,
          "m-" + id,
          e[0],
          e[1],
          e[2]);
    }
    Response trend =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "interval": "day", "series": [{"event": "Viewed", "math": "unique_contacts"}]}
            """);
    assertThat(trend.status()).as(trend.raw()).isEqualTo(200);
    assertThat(values(trend.body().path("series").path(0))).containsExactly(1L);
    Response funnel =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "window": "1d", "steps": [{"event": "Viewed"}, {"event": "Purchased"}]}
            """);
    assertThat(funnel.status()).as(funnel.raw()).isEqualTo(200);
    JsonNode steps = funnel.body().path("steps");
    assertThat(List.of(steps.path(0).path("count").asLong(), steps.path(1).path("count").asLong()))
        .containsExactly(1L, 1L);
  }

  @Test
  void funnelBreakdownGroupsActorsByTheirFirstStepsValue() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    String c = insertContact(ws, "c", "{}");
    String d = insertContact(ws, "d", "{}");
    // a (pro at its first sign-up; its second says free) converts fully in 1 h and 3 h
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00Z", "{\"plan\": \"pro\"}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:30:00Z", "{\"plan\": \"free\"}");
    insertTrackEvent(ws, a, "Trial Started", "2026-03-01T11:00:00Z", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T14:00:00Z", "{}");
    // b (pro) starts a trial after 2 h, never pays
    insertTrackEvent(ws, b, "Signed Up", "2026-03-02T10:00:00Z", "{\"plan\": \"pro\"}");
    insertTrackEvent(ws, b, "Trial Started", "2026-03-02T12:00:00Z", "{}");
    // c (free) starts a trial at the very time of its sign-up: not after it, so not converted
    insertTrackEvent(ws, c, "Signed Up", "2026-03-03T10:00:00Z", "{\"plan\": \"free\"}");
    insertTrackEvent(ws, c, "Trial Started", "2026-03-03T10:00:00Z", "{}");
    // d (team) only signs up
    insertTrackEvent(ws, d, "Signed Up", "2026-03-04T10:00:00Z", "{\"plan\": \"team\"}");

    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z",
             "window": "14d",
             "steps": [{"event": "Signed Up"}, {"event": "Trial Started"}, {"event": "Paid"}],
             "breakdown": {"property": "properties.plan", "limit": 1}}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode steps = r.body().path("steps");
    assertThat(steps.findValues("count").stream().map(JsonNode::asLong))
        .containsExactly(4L, 2L, 1L);
    assertThat(steps.path(1).path("median_seconds_to_convert").asDouble()).isEqualTo(5400.0);
    assertThat(steps.path(2).path("median_seconds_to_convert").asDouble()).isEqualTo(10800.0);
    JsonNode groups = r.body().path("breakdowns");
    assertThat(groups.size()).as(r.raw()).isEqualTo(2);
    assertThat(groups.path(0).path("breakdown_value").asString()).isEqualTo("pro");
    assertThat(groups.path(0).path("steps").findValues("count").stream().map(JsonNode::asLong))
        .containsExactly(2L, 2L, 1L);
    assertThat(groups.path(0).path("steps").path(1).path("median_seconds_to_convert").asDouble())
        .isEqualTo(5400.0);
    assertThat(groups.path(1).path("breakdown_value").asString()).isEqualTo("$other");
    assertThat(groups.path(1).path("steps").findValues("count").stream().map(JsonNode::asLong))
        .containsExactly(2L, 0L, 0L);
  }

  @Test
  void retentionBuildsACohortTable() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(ws, a, "Used", "2026-03-01T12:00:00Z", "{}");
    insertTrackEvent(ws, a, "Used", "2026-03-03T12:00:00Z", "{}");
    insertTrackEvent(ws, b, "Signed Up", "2026-03-02T10:00:00Z", "{}");
    insertTrackEvent(ws, b, "Used", "2026-03-03T09:00:00Z", "{}");

    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "retention", "from": "2026-03-01T00:00:00Z", "to": "2026-03-03T00:00:00Z",
             "timezone": "UTC", "start_event": "Signed Up", "return_event": "Used",
             "interval": "day", "periods": 3}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode cohorts = r.body().path("cohorts");
    assertThat(cohorts.size()).isEqualTo(2);
    assertThat(cohorts.path(0).path("start").asString()).isEqualTo("2026-03-01T00:00:00.000Z");
    assertThat(cohorts.path(0).path("size").asLong()).isEqualTo(1);
    assertThat(cohorts.path(0).path("returned").toString()).isEqualTo("[1,0,1]");
    assertThat(cohorts.path(1).path("returned").toString()).isEqualTo("[0,1,0]");
  }

  @Test
  void countsListEventNamesAndPropertyKeys() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String now = Instant.now().minusSeconds(60).toString();
    insertTrackEvent(ws, null, "A", now, "{\"x\": 1, \"y\": 2}");
    insertTrackEvent(ws, null, "A", now, "{\"x\": 1}");
    insertTrackEvent(ws, null, "B", now, "{}");
    Response r = post(Q, t.key(), "{\"kind\": \"counts\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("events").toString())
        .isEqualTo("[{\"name\":\"A\",\"count\":2},{\"name\":\"B\",\"count\":1}]");
    assertThat(r.body().path("properties").findValuesAsString("name"))
        .containsExactly("properties.x", "properties.y");
  }

  /**
   * A range with digits below the millisecond counts what the range it states (to the millisecond,
   * as every response shows a time) counts: the same events as that range sent in milliseconds.
   */
  @Test
  void aRangeCountsToTheMillisecondItStates() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    insertTrackEvent(ws, null, "A", "2026-04-30T23:59:59.9996Z", "{}");
    insertTrackEvent(ws, null, "A", "2026-05-01T00:00:00.000Z", "{}");
    Response precise =
        post(
            Q,
            t.key(),
            "{\"kind\": \"counts\", \"from\": \"2026-04-30T23:59:59.9995Z\", \"to\":"
                + " \"2026-05-01T00:00:00.0001Z\"}");
    Response millis =
        post(
            Q,
            t.key(),
            "{\"kind\": \"counts\", \"from\": \"2026-04-30T23:59:59.999Z\", \"to\":"
                + " \"2026-05-01T00:00:00.000Z\"}");
    assertThat(precise.status()).as(precise.raw()).isEqualTo(200);
    assertThat(precise.body().path("from").asString()).isEqualTo("2026-04-30T23:59:59.999Z");
    assertThat(precise.body().path("to").asString()).isEqualTo("2026-05-01T00:00:00.000Z");
    assertThat(precise.body().path("events").toString())
        .isEqualTo("[{\"name\":\"A\",\"count\":1}]")
        .isEqualTo(millis.body().path("events").toString());
    assertInvalid(
        t,
        "{\"kind\": \"counts\", \"from\": \"2026-05-01T00:00:00.0001Z\", \"to\":"
            + " \"2026-05-01T00:00:00.0009Z\"}",
        "to",
        "invalid_range");
  }

  /** The median time to convert is between the events' times as the events API lists them. */
  @Test
  void aFunnelsMedianTimeIsInTheEventsMilliseconds() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00.000400Z", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T10:00:00.020501Z", "{}");
    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "window": "1h", "steps": [{"event": "Signed Up"}, {"event": "Paid"}]}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("steps").path(1).path("median_seconds_to_convert").asDouble())
        .as("0.020101 with the microseconds stored")
        .isEqualTo(0.02);
  }

  @Test
  void anotherWorkspacesEventsNeverCount() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String c = insertContact(theirs.workspaceId(), "a", "{\"plan\": \"pro\"}");
    insertTrackEvent(theirs.workspaceId(), c, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(theirs.workspaceId(), c, "Paid", "2026-03-01T11:00:00Z", "{}");
    String range = "\"from\": \"2026-03-01T00:00:00Z\", \"to\": \"2026-03-02T00:00:00Z\"";
    Response trends =
        post(
            Q,
            mine.key(),
            "{\"kind\": \"trends\", "
                + range
                + ", \"series\": [{\"event\": \"Signed Up\"}],"
                + " \"breakdown\": {\"trait\": \"traits.plan\"}}");
    assertThat(trends.body().path("series").size()).as(trends.raw()).isZero();
    Response funnel =
        post(
            Q,
            mine.key(),
            "{\"kind\": \"funnel\", "
                + range
                + ", \"steps\": [{\"event\": \"Signed Up\"},"
                + " {\"event\": \"Paid\"}]}");
    assertThat(funnel.body().path("steps").path(0).path("count").asLong()).isZero();
    Response retention =
        post(
            Q,
            mine.key(),
            "{\"kind\": \"retention\", "
                + range
                + ", \"start_event\": \"Signed Up\","
                + " \"return_event\": \"Paid\"}");
    assertThat(retention.body().path("cohorts").path(0).path("size").asLong()).isZero();
    Response counts = post(Q, mine.key(), "{\"kind\": \"counts\", " + range + "}");
    assertThat(counts.body().path("events").size()).isZero();
  }

  @Test
  void theWorkspaceTimeZoneIsTheDefault() {
    Tenant t = newTenant();
    jdbc.update("update workspaces set timezone = 'Asia/Tokyo' where id = ?", t.workspaceId());
    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "series": [{"event": "X"}]}
            """);
    assertThat(r.body().path("timezone").asString()).isEqualTo("Asia/Tokyo");
    // Tokyo midnight is 15:00 UTC the day before.
    assertThat(r.body().path("from").asString()).isEqualTo("2026-02-28T15:00:00.000Z");
    assertThat(r.body().path("series").path(0).path("points").size()).isEqualTo(2);
  }

  @Test
  void invalidQueriesNameTheField() {
    Tenant t = newTenant();
    assertInvalid(t, "{}", "kind", "required");
    assertInvalid(t, "{\"kind\": \"pie\"}", "kind", "invalid_value");
    assertInvalid(t, "{\"kind\": \"trends\"}", "series", "required");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": ["
            + "{\"event\": \"a\"},".repeat(10)
            + "{\"event\": \"a\"}]}",
        "series",
        "too_many");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"\"}]}",
        "series[0].event",
        "required");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"math\": \"median\"}]}",
        "series[0].math",
        "invalid_value");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"math\": \"sum\"}]}",
        "series[0].property",
        "required");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"math\": \"sum\","
            + " \"property\": \"traits.x\"}]}",
        "series[0].property",
        "invalid_path");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"where\": [{\"field\":"
            + " \"properties.x\", \"op\": \"like\", \"value\": 1}]}]}",
        "series[0].where[0].op",
        "unknown_op");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"where\": [{\"field\":"
            + " \"properties.x\", \"op\": \"in\", \"value\": 1}]}]}",
        "series[0].where[0].value",
        null);
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\", \"wehre\": []}]}",
        "series[0].wehre",
        "unknown_field");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"from\": \"2025-01-01T00:00:00Z\", \"to\":"
            + " \"2026-03-01T00:00:00Z\", \"series\": [{\"event\": \"a\"}]}",
        "from",
        "too_many_buckets");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"interval\": \"minute\", \"series\": [{\"event\": \"a\"}]}",
        "interval",
        "invalid_value");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"timezone\": \"Mars/Olympus\", \"series\": [{\"event\": \"a\"}]}",
        "timezone",
        "invalid_timezone");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"from\": \"2026-03-02T00:00:00Z\", \"to\":"
            + " \"2026-03-01T00:00:00Z\", \"series\": [{\"event\": \"a\"}]}",
        "to",
        "invalid_range");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\"}], \"breakdown\": {}}",
        "breakdown",
        "invalid_value");
    assertInvalid(
        t,
        "{\"kind\": \"trends\", \"series\": [{\"event\": \"a\"}], \"steps\": []}",
        "steps",
        "not_allowed");
    assertInvalid(
        t, "{\"kind\": \"funnel\", \"steps\": [{\"event\": \"a\"}]}", "steps", "invalid_value");
    assertInvalid(
        t,
        "{\"kind\": \"funnel\", \"window\": \"2 weeks\", \"steps\": [{\"event\": \"a\"},"
            + " {\"event\": \"b\"}]}",
        "window",
        "invalid_value");
    assertInvalid(
        t,
        "{\"kind\": \"retention\", \"start_event\": \"a\", \"return_event\": \"b\", \"periods\": 53}",
        "periods",
        "out_of_range");
    assertInvalid(
        t,
        "{\"kind\": \"retention\", \"start_event\": \"a\", \"return_event\": \"b\","
            + " \"interval\": \"hour\"}",
        "interval",
        "invalid_value");
    assertInvalid(
        t, "{\"kind\": \"retention\", \"start_event\": \"a\"}", "return_event", "required");
    assertInvalid(t, "{\"kind\": \"counts\", \"periods\": 3}", "periods", "not_allowed");
    assertInvalid(t, "{\"kind\": \"counts\", \"from\": \"last week\"}", "from", null);
  }

  @Test
  void dayBucketsFollowTheLocalCalendarAcrossDaylightSavingChanges() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    // Berlin springs forward on 2026-03-29 (a 23 h day) and falls back on 2026-10-25 (25 h).
    insertTrackEvent(ws, null, "X", "2026-03-28T23:00:00Z", "{}"); // 29th 00:00 CET: first instant
    insertTrackEvent(
        ws, null, "X", "2026-03-29T21:59:59.999Z", "{}"); // 29th 23:59:59.999 CEST: last
    insertTrackEvent(ws, null, "X", "2026-03-29T22:00:00Z", "{}"); // 30th 00:00 CEST
    Response spring =
        trend(t, "Europe/Berlin", "day", "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z");
    assertThat(times(spring))
        .containsExactly(
            "2026-03-27T23:00:00.000Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z");
    assertThat(values(spring.body().path("series").path(0))).containsExactly(0L, 2L, 1L);
    assertThat(spring.body().path("to").asString()).isEqualTo("2026-03-30T22:00:00.000Z");

    insertTrackEvent(
        ws, null, "X", "2026-10-25T22:59:59Z", "{}"); // 25th 23:59:59 CET, 25 h after midnight
    Response autumn =
        trend(t, "Europe/Berlin", "day", "2026-10-25T00:00:00Z", "2026-10-25T12:00:00Z");
    assertThat(times(autumn)).containsExactly("2026-10-24T22:00:00.000Z");
    assertThat(autumn.body().path("to").asString()).isEqualTo("2026-10-25T23:00:00.000Z");
    assertThat(values(autumn.body().path("series").path(0))).containsExactly(1L);

    // New York: 2026-03-08 has 23 h, 2026-11-01 has 25 h.
    Response ny =
        trend(t, "America/New_York", "day", "2026-03-08T12:00:00Z", "2026-03-09T12:00:00Z");
    assertThat(times(ny)).containsExactly("2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z");
    Response nyAutumn =
        trend(t, "America/New_York", "day", "2026-11-01T12:00:00Z", "2026-11-02T12:00:00Z");
    assertThat(times(nyAutumn))
        .containsExactly("2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z");
  }

  @Test
  void hourBucketsKeepTheRepeatedHourApartAndSkipTheMissingOne() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    // New York falls back at 2026-11-01 02:00 EDT: 01:00-02:00 local happens twice.
    insertTrackEvent(ws, null, "X", "2026-11-01T05:30:00Z", "{}"); // 01:30 EDT
    insertTrackEvent(ws, null, "X", "2026-11-01T06:30:00Z", "{}"); // 01:30 EST
    Response fall =
        trend(t, "America/New_York", "hour", "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z");
    assertThat(times(fall))
        .containsExactly(
            "2026-11-01T04:00:00.000Z",
            "2026-11-01T05:00:00.000Z",
            "2026-11-01T06:00:00.000Z",
            "2026-11-01T07:00:00.000Z");
    assertThat(values(fall.body().path("series").path(0))).containsExactly(0L, 1L, 1L, 0L);
    // Berlin springs forward at 2026-03-29 02:00 CET: 01:00 CET is followed by 03:00 CEST.
    Response spring =
        trend(t, "Europe/Berlin", "hour", "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z");
    assertThat(times(spring))
        .containsExactly("2026-03-29T00:00:00.000Z", "2026-03-29T01:00:00.000Z");
    // India is UTC+05:30: hour buckets start at half past the UTC hour.
    Response india =
        trend(t, "Asia/Kolkata", "hour", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z");
    assertThat(times(india))
        .containsExactly("2026-03-28T23:30:00.000Z", "2026-03-29T00:30:00.000Z");
  }

  private Response trend(Tenant t, String zone, String interval, String from, String to) {
    Response r =
        post(
            Q,
            t.key(),
            "{\"kind\": \"trends\", \"timezone\": \""
                + zone
                + "\", \"interval\": \""
                + interval
                + "\", \"from\": \""
                + from
                + "\", \"to\": \""
                + to
                + "\", \"series\": [{\"event\": \"X\"}]}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r;
  }

  private static List<String> times(Response r) {
    return r.body().path("series").path(0).path("points").findValuesAsString("t");
  }

  /**
   * A segment reference that finds no segment of the caller's workspace (unknown, or another
   * workspace's) is 422 unknown_segment on filter, as docs/analytics.md says; the operation
   * documents that 422 (DocumentedAnswers fails this class otherwise: it did not until 2026-12-07).
   */
  @Test
  void aFilterNamingAnUnknownOrAnotherWorkspacesSegmentIs422UnknownSegment() {
    Tenant t = newTenant();
    Tenant other = newTenant();
    Response theirs =
        post(
            "/v1/segments",
            other.key(),
            """
            {"name": "Theirs", "filter": {"field": "traits.plan", "op": "eq", "value": "pro"}}
            """);
    assertThat(theirs.status()).as(theirs.raw()).isEqualTo(201);
    String theirId = theirs.body().path("id").asString();
    for (String id : List.of("seg_00000000000000000000000", theirId)) {
      Response r =
          post(
              Q,
              t.key(),
              """
              {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
               "series": [{"event": "X"}], "filter": {"segment": "%s"}}
              """
                  .formatted(id));
      assertThat(r.status()).as(r.raw()).isEqualTo(422);
      assertThat(r.firstDetail().path("field").asString()).as(r.raw()).isEqualTo("filter");
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("unknown_segment");
    }
  }

  private void assertInvalid(Tenant t, String body, String field, String reason) {
    Response r = post(Q, t.key(), body);
    assertThat(r.status()).as(body + " → " + r.raw()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_error");
    assertThat(r.body().path("error").path("details").findValuesAsString("field"))
        .as(r.raw())
        .contains(field);
    if (reason != null) {
      assertThat(r.body().path("error").path("details").findValuesAsString("reason"))
          .as(r.raw())
          .contains(reason);
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
