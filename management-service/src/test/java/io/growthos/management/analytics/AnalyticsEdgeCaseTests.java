package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
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
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"plan\": \"pro\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T11:00:00Z", "{\"plan\": null}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T12:00:00Z", "{}");
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

  /**
   * An event name of 200 emoji is 200 characters to the Ingest API, which stores it, and was 400
   * UTF-16 units to analytics, which refused it as longer than 255: one rule now
   * (EventNames.MAX_CHARS, code points).
   */
  @Test
  void anEventNameTheIngestApiStoresCanBeQueriedWhateverItsCharacters() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String rockets = "\uD83D\uDE80".repeat(200);
    insertTrackEvent(ws, a, rockets, "2026-03-01T10:00:00Z", "{}");
    JsonNode trend =
        ok(
            t,
            "{\"kind\": \"trends\", \"from\": \"2026-03-01T00:00:00Z\","
                + " \"to\": \"2026-03-02T00:00:00Z\", \"timezone\": \"UTC\","
                + " \"series\": [{\"event\": \""
                + rockets
                + "\"}]}");
    assertThat(values(trend.path("series").path(0))).containsExactly("1");
    Response tooLong =
        post(
            Q,
            t.key(),
            "{\"kind\": \"trends\", \"from\": \"2026-03-01T00:00:00Z\","
                + " \"to\": \"2026-03-02T00:00:00Z\", \"series\": [{\"event\": \""
                + "x".repeat(256)
                + "\"}]}");
    assertThat(tooLong.status()).as(tooLong.raw()).isEqualTo(400);
    assertThat(tooLong.firstDetail().path("reason").asString()).isEqualTo("too_long");
  }

  @Test
  void aFunnelStepExactlyAWindowAfterTheEntryCountsAndOneMillisecondLaterDoesNot() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T11:00:00Z", "{}");
    insertTrackEvent(ws, b, "Signed Up", "2026-03-01T10:00:00Z", "{}");
    insertTrackEvent(ws, b, "Paid", "2026-03-01T11:00:00.001Z", "{}");
    JsonNode r =
        ok(
            t,
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "window": "1h", "steps": [{"event": "Signed Up"}, {"event": "Paid"}]}
            """);
    assertThat(r.path("steps").path(1).path("count").asLong()).isEqualTo(1);
    assertThat(r.path("steps").path(1).path("median_seconds_to_convert").asDouble())
        .isEqualTo(3600.0);
  }

  @Test
  void percentilesOfOneAndTwoValuesAndNumericMathOverValuesThatAreNotNumbers() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T10:00:00Z", "{\"amount\": 7}");
    insertTrackEvent(ws, a, "Paid", "2026-03-02T10:00:00Z", "{\"amount\": 1}");
    insertTrackEvent(ws, a, "Paid", "2026-03-02T11:00:00Z", "{\"amount\": \"2\"}");
    insertTrackEvent(ws, a, "Paid", "2026-03-02T12:00:00Z", "{\"amount\": \"n/a\"}");
    insertTrackEvent(ws, a, "Paid", "2026-03-03T10:00:00Z", "{\"amount\": true}");
    insertTrackEvent(ws, a, "Paid", "2026-03-03T11:00:00Z", "{\"amount\": null}");
    insertTrackEvent(ws, a, "Paid", "2026-03-03T12:00:00Z", "{\"amount\": {\"v\": 3}}");
    JsonNode r =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-04T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Paid", "math": "p50", "property": "properties.amount"},
                        {"event": "Paid", "math": "p90", "property": "properties.amount"},
                        {"event": "Paid", "math": "p99", "property": "properties.amount"},
                        {"event": "Paid", "math": "avg", "property": "properties.amount"},
                        {"event": "Paid", "math": "sum", "property": "properties.amount"},
                        {"event": "Paid", "math": "min", "property": "properties.amount"}]}
            """);
    JsonNode s = r.path("series");
    assertThat(values(s.path(0))).containsExactly("7", "1.5", "0");
    assertThat(values(s.path(1))).containsExactly("7", "1.9", "0");
    assertThat(values(s.path(2))).containsExactly("7", "1.99", "0");
    assertThat(values(s.path(3))).containsExactly("7", "1.5", "0");
    assertThat(values(s.path(4))).containsExactly("7", "3", "0");
    assertThat(values(s.path(5))).containsExactly("7", "1", "0");
  }

  /**
   * Results are exact (SPEC §7): a percentile is interpolated in decimals like a sum or an average.
   * PostgreSQL's percentile_cont works in double precision, so the median of 0.1 and 0.2 was
   * 0.15000000000000002 and the median of one amount was another number.
   */
  @Test
  void percentilesAreExactDecimalsWithoutFloatingPointNoise() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    for (String amount : List.of("1", "2", "3", "10")) {
      insertTrackEvent(ws, a, "Paid", "2026-03-01T10:00:00Z", "{\"amount\": " + amount + "}");
    }
    insertTrackEvent(ws, a, "Paid", "2026-03-02T10:00:00Z", "{\"amount\": 0.1}");
    insertTrackEvent(ws, a, "Paid", "2026-03-02T11:00:00Z", "{\"amount\": \"0.2\"}");
    insertTrackEvent(ws, a, "Paid", "2026-03-03T10:00:00Z", "{\"amount\": 12345678901234567.89}");
    Response r =
        post(
            Q,
            t.key(),
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-04T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Paid", "math": "p50", "property": "properties.amount"},
                        {"event": "Paid", "math": "p90", "property": "properties.amount"},
                        {"event": "Paid", "math": "p99", "property": "properties.amount"}]}
            """);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode s =
        tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build()
            .readTree(r.raw())
            .path("series");
    assertThat(values(s.path(0))).containsExactly("2.5", "0.15", "12345678901234567.89");
    assertThat(values(s.path(1))).containsExactly("7.9", "0.19", "12345678901234567.89");
    assertThat(values(s.path(2))).containsExactly("9.79", "0.199", "12345678901234567.89");
  }

  /**
   * {@code $other} is the series' math over the events of every value past the limit, as one group:
   * an actor seen with two of those values is one unique contact there, and the average is the
   * average of those events (docs/analytics.md said the rest were "summed": 2 and 0.3 here).
   */
  @Test
  void dollarOtherIsTheSeriesMathOverTheEventsOfTheRestNotASumOfTheirResults() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T10:00:00Z", "{\"plan\": \"p1\", \"amount\": 0.1}");
    insertTrackEvent(ws, a, "Paid", "2026-03-01T11:00:00Z", "{\"plan\": \"p2\", \"amount\": 0.2}");
    insertTrackEvent(ws, b, "Paid", "2026-03-01T12:00:00Z", "{\"plan\": \"p3\", \"amount\": 5}");
    insertTrackEvent(ws, b, "Paid", "2026-03-01T13:00:00Z", "{\"plan\": \"p3\", \"amount\": 7}");
    JsonNode r =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Paid", "math": "unique_contacts"},
                        {"event": "Paid", "math": "avg", "property": "properties.amount"}],
             "breakdown": {"property": "properties.plan", "limit": 1}}
            """);
    List<String> got = new ArrayList<>();
    r.path("series")
        .forEach(
            s ->
                got.add(
                    s.path("math").asString()
                        + " "
                        + s.path("breakdown_value").asString()
                        + " "
                        + values(s)));
    assertThat(got)
        .containsExactly(
            "unique_contacts p3 [1]",
            "unique_contacts $other [1]",
            "avg p3 [6]",
            "avg $other [0.15]");
  }

  /**
   * Without {@code to} the range ends now, so a {@code from} in the future is what is wrong: the
   * 400 names {@code from}, the field the client sent, not {@code to}, which it did not.
   */
  @Test
  void aFromAfterNowWithoutToIsA400NamingFrom() {
    Tenant t = newTenant();
    for (String body :
        List.of(
            "{\"kind\": \"counts\", \"from\": \"2999-01-01T00:00:00Z\"}",
            "{\"kind\": \"trends\", \"from\": \"2999-01-01T00:00:00Z\","
                + " \"series\": [{\"event\": \"a\"}]}")) {
      Response r = post(Q, t.key(), body);
      assertThat(r.status()).as(r.raw()).isEqualTo(400);
      assertThat(r.body().path("error").path("details").findValuesAsString("field"))
          .as(r.raw())
          .containsExactly("from");
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("invalid_range");
    }
  }

  /**
   * The default range (the 30 days before {@code to}) stops at the first instant of year 0001, so
   * every time of the response stays in the API's one timestamp range (a {@code to} early in
   * January of year 1 gave {@code "from": "0000-12-06…"}, or a 400 on a {@code from} the client did
   * not send).
   */
  @Test
  void theDefaultRangeStartsNoEarlierThanYearOne() {
    Tenant t = newTenant();
    for (String body :
        List.of(
            "{\"kind\": \"counts\", \"to\": \"0001-01-05T00:00:00Z\"}",
            "{\"kind\": \"funnel\", \"to\": \"0001-01-05T00:00:00Z\","
                + " \"steps\": [{\"event\": \"a\"}, {\"event\": \"b\"}]}",
            "{\"kind\": \"trends\", \"to\": \"0001-01-05T00:00:00Z\", \"timezone\": \"UTC\","
                + " \"series\": [{\"event\": \"a\"}]}")) {
      Response r = post(Q, t.key(), body);
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      assertThat(r.body().path("from").asString()).as(body).isEqualTo("0001-01-01T00:00:00.000Z");
    }
  }

  /**
   * A funnel's median time between steps is interpolated in decimals as well: a day and 0.123 s,
   * and a day, an hour and 0.456 s, have the median 88200.2895 s (double precision said
   * 88200.28950000001), with and without a breakdown.
   */
  @Test
  void aFunnelsMedianTimeToConvertHasNoFloatingPointNoise() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    String b = insertContact(ws, "b", "{}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T10:00:00Z", "{\"plan\": \"x\"}");
    insertTrackEvent(ws, a, "Paid", "2026-03-02T10:00:00.123Z", "{}");
    insertTrackEvent(ws, b, "Signed Up", "2026-03-01T10:00:00Z", "{\"plan\": \"x\"}");
    insertTrackEvent(ws, b, "Paid", "2026-03-02T11:00:00.456Z", "{}");
    for (String breakdown : List.of("", ", \"breakdown\": {\"property\": \"properties.plan\"}")) {
      JsonNode r =
          ok(
              t,
              "{\"kind\": \"funnel\", \"from\": \"2026-03-01T00:00:00Z\","
                  + " \"to\": \"2026-03-02T00:00:00Z\","
                  + " \"steps\": [{\"event\": \"Signed Up\"}, {\"event\": \"Paid\"}]"
                  + breakdown
                  + "}");
      assertThat(r.path("steps").path(1).path("median_seconds_to_convert").asDouble())
          .as(breakdown)
          .isEqualTo(88200.2895);
      if (!breakdown.isEmpty()) {
        assertThat(
                r.path("breakdowns")
                    .path(0)
                    .path("steps")
                    .path(1)
                    .path("median_seconds_to_convert")
                    .asDouble())
            .isEqualTo(88200.2895);
      }
    }
  }

  @Test
  void breakdownValuesAreTheirTextSoOneAndQuotedOneShareAGroupAndObjectsHaveNone() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": 1}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": \"1\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": 1.0}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": true}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": \"true\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": {\"x\": 1}}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": null}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{}");
    JsonNode r =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed"}],
             "breakdown": {"property": "properties.v", "limit": 3}}
            """);
    JsonNode s = r.path("series");
    assertThat(s.size()).as(r.toString()).isEqualTo(4);
    assertThat(s.path(0).path("breakdown_value").isNull()).isTrue();
    assertThat(values(s.path(0))).containsExactly("3");
    assertThat(s.path(1).path("breakdown_value").asString()).isEqualTo("1");
    assertThat(values(s.path(1))).containsExactly("2");
    assertThat(s.path(2).path("breakdown_value").asString()).isEqualTo("true");
    assertThat(values(s.path(2))).containsExactly("2");
    assertThat(s.path(3).path("breakdown_value").asString()).isEqualTo("$other");
    assertThat(values(s.path(3))).containsExactly("1");
  }

  @Test
  void aRealValueSpelledDollarOtherIsToldApartFromTheValuesPastTheLimit() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T10:00:00Z", "{\"v\": \"$other\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T11:00:00Z", "{\"v\": \"$other\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T12:00:00Z", "{\"v\": \"x\"}");
    insertTrackEvent(ws, a, "Viewed", "2026-03-01T13:00:00Z", "{\"v\": \"y\"}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T09:00:00Z", "{\"v\": \"$other\"}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T09:00:00Z", "{\"v\": \"$other\"}");
    insertTrackEvent(ws, a, "Signed Up", "2026-03-01T09:30:00Z", "{\"v\": \"z\"}");
    JsonNode trend =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed"}],
             "breakdown": {"property": "properties.v", "limit": 1}}
            """);
    JsonNode s = trend.path("series");
    assertThat(s.size()).as(trend.toString()).isEqualTo(2);
    assertThat(s.path(0).path("breakdown_value").asString()).isEqualTo("$other");
    assertThat(s.path(0).path("other").isBoolean()).as(trend.toString()).isTrue();
    assertThat(s.path(0).path("other").booleanValue()).isFalse();
    assertThat(values(s.path(0))).containsExactly("2");
    assertThat(s.path(1).path("breakdown_value").asString()).isEqualTo("$other");
    assertThat(s.path(1).path("other").booleanValue()).isTrue();
    assertThat(values(s.path(1))).containsExactly("2");
    JsonNode plain =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Viewed"}]}
            """);
    assertThat(plain.path("series").path(0).path("other").isBoolean()).isTrue();
    assertThat(plain.path("series").path(0).path("other").booleanValue()).isFalse();
    JsonNode funnel =
        ok(
            t,
            """
            {"kind": "funnel", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "steps": [{"event": "Signed Up"}, {"event": "Viewed"}],
             "breakdown": {"property": "properties.v", "limit": 1}}
            """);
    JsonNode b = funnel.path("breakdowns");
    assertThat(b.size()).as(funnel.toString()).isEqualTo(1);
    assertThat(b.path(0).path("breakdown_value").asString()).isEqualTo("$other");
    assertThat(b.path(0).path("other").isBoolean()).as(funnel.toString()).isTrue();
    assertThat(b.path(0).path("other").booleanValue()).isFalse();
  }

  @Test
  void retentionPeriodsAfterNowAreZeroEvenForEventsStampedInTheFuture() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    Instant now = Instant.now();
    java.time.LocalDate today = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    Instant yesterday = today.minusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    insertTrackEvent(ws, a, "Signed Up", yesterday.plusSeconds(3600).toString(), "{}");
    // A device clock a few days fast, without sentAt to correct it: stored as sent.
    insertTrackEvent(ws, a, "Used", now.plus(java.time.Duration.ofDays(3)).toString(), "{}");
    JsonNode r =
        ok(
            t,
            """
            {"kind": "retention", "from": "%s", "to": "%s", "timezone": "UTC",
             "start_event": "Signed Up", "return_event": "Used", "periods": 8}
            """
                .formatted(yesterday, yesterday.plusSeconds(86400)));
    assertThat(r.path("cohorts").path(0).path("size").asLong()).isEqualTo(1);
    assertThat(r.path("cohorts").path(0).path("returned").toString())
        .isEqualTo("[0,0,0,0,0,0,0,0]");
  }

  @Test
  void eachBrokenDownResultNamesTheSeriesOfTheRequestItBelongsTo() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    insertTrackEvent(
        ws, a, "Paid", "2026-03-01T10:00:00Z", "{\"plan\": \"pro\", \"currency\": \"USD\"}");
    insertTrackEvent(
        ws, a, "Paid", "2026-03-01T11:00:00Z", "{\"plan\": \"free\", \"currency\": \"USD\"}");
    // Two series of the same event and math, told apart only by their where; the first has no
    // events, so without an index its results could not be told from the second's.
    JsonNode r =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC",
             "series": [{"event": "Paid", "where": [{"field": "properties.currency", "op": "eq",
                                                     "value": "EUR"}]},
                        {"event": "Paid", "where": [{"field": "properties.currency", "op": "eq",
                                                     "value": "USD"}]},
                        {"event": "Paid"}],
             "breakdown": {"property": "properties.plan"}}
            """);
    JsonNode s = r.path("series");
    assertThat(s.size()).as(r.toString()).isEqualTo(4);
    List<Integer> index = new ArrayList<>();
    s.forEach(x -> index.add(x.path("series_index").isInt() ? x.path("series_index").asInt() : -1));
    assertThat(index).as(r.toString()).containsExactly(1, 1, 2, 2);
    JsonNode plain =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
             "timezone": "UTC", "series": [{"event": "Paid"}, {"event": "Paid"}]}
            """);
    assertThat(plain.path("series").findValuesAsString("series_index")).containsExactly("0", "1");
  }

  @Test
  void hourBucketsStartAtLocalHourStartsAcrossLordHowesHalfHourChange() {
    Tenant t = newTenant();
    String ws = t.workspaceId();
    String a = insertContact(ws, "a", "{}");
    // 2026-04-05 02:00 (+11:00) on Lord Howe Island is 01:30 (+10:30): from then on a local hour
    // starts at half past the UTC hour, and local 01:00-02:00 lasts 90 minutes.
    insertTrackEvent(ws, a, "Viewed", "2026-04-04T15:10:00Z", "{}"); // 01:40 +10:30
    insertTrackEvent(ws, a, "Viewed", "2026-04-04T16:10:00Z", "{}"); // 02:40 +10:30
    JsonNode r =
        ok(
            t,
            """
            {"kind": "trends", "from": "2026-04-04T13:00:00Z", "to": "2026-04-04T18:00:00Z",
             "timezone": "Australia/Lord_Howe", "interval": "hour",
             "series": [{"event": "Viewed"}]}
            """);
    JsonNode s = r.path("series").path(0);
    List<String> starts = new ArrayList<>();
    s.path("points").forEach(p -> starts.add(p.path("t").asString()));
    assertThat(starts)
        .as(r.toString())
        .containsExactly(
            "2026-04-04T13:00:00.000Z",
            "2026-04-04T14:00:00.000Z",
            "2026-04-04T15:30:00.000Z",
            "2026-04-04T16:30:00.000Z",
            "2026-04-04T17:30:00.000Z");
    assertThat(values(s)).containsExactly("0", "1", "1", "0", "0");
    assertThat(r.path("to").asString()).isEqualTo("2026-04-04T18:30:00.000Z");
  }
}
