package io.growthos.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class FilterSqlTests {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final FilterSql sql = new FilterSql(Clock.fixed(NOW, ZoneOffset.UTC));
  static final JsonMapper json = JsonMapper.builder().build();
  static final String WS = "ws_filter_sql";
  static final String OTHER = "ws_filter_sql_other";

  static Filter parse(String text) {
    return FilterParser.parse(json.readTree(text.replace('\'', '"')), "filter");
  }

  @BeforeAll
  static void data() {
    FilterDatabase.createWorkspace(WS);
    FilterDatabase.createWorkspace(OTHER);
    var jdbc = FilterDatabase.jdbc();
    jdbc.update(
        "insert into contacts (workspace_id, id, email, traits) values"
            + " (?, 'c1', 'Ann@Example.com', ?::jsonb), (?, 'c2', null, ?::jsonb)",
        WS,
        "{\"x'); drop table contacts;--\": \"evil\", \"plan\": \"'; select 1;--\", \"n\": \"42\"}",
        WS,
        "{\"plan\": \"pro\", \"n\": 42}");
    jdbc.update(
        "insert into contacts (workspace_id, id, traits) values (?, 'c1', '{\"plan\": \"pro\"}')",
        OTHER);
    // events of the other workspace for a contact with the same id must not count
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, contact_id, timestamp,"
            + " received_at) values (?, 'evt_1', 'm1', 'track', 'buy', 'c1', now(), now())",
        OTHER);
  }

  List<String> select(String filter, Map<String, String> segments) {
    SegmentResolver resolver =
        id -> Optional.ofNullable(segments.get(id)).map(FilterSqlTests::parse);
    SqlFragment f = sql.compile(parse(filter), WS, resolver);
    return FilterDatabase.jdbc()
        .queryForList(
            "select c.id from contacts c where " + f.sql() + " order by c.id",
            String.class,
            f.paramArray());
  }

  static Filter leaf(String field, String op, String value) {
    return FilterParser.parse(
        json.createObjectNode().put("field", field).put("op", op).put("value", value), "filter");
  }

  List<String> select(Filter filter) {
    SqlFragment f = sql.compile(filter, WS, SegmentResolver.NONE);
    return FilterDatabase.jdbc()
        .queryForList(
            "select c.id from contacts c where " + f.sql() + " order by c.id",
            String.class,
            f.paramArray());
  }

  @Test
  void valuesAndPathsAreBindParametersNeverSqlText() {
    String evil = "x'); drop table contacts;--";
    SqlFragment f = sql.compile(leaf("traits." + evil, "eq", evil), WS, SegmentResolver.NONE);
    assertThat(f.sql()).doesNotContain("drop").doesNotContain("x')");
    assertThat(f.params()).contains(evil);
  }

  @Test
  void injectionAttemptsInValuesAndTraitPathsStayData() {
    assertThat(select(leaf("traits.x'); drop table contacts;--", "eq", "evil")))
        .containsExactly("c1");
    assertThat(select(leaf("traits.plan", "eq", "'; select 1;--"))).containsExactly("c1");
    assertThat(select(leaf("traits.plan", "contains", "%"))).isEmpty();
    assertThat(select(leaf("traits.plan", "starts_with", "_"))).isEmpty();
    assertThat(FilterDatabase.jdbc().queryForObject("select count(*) from contacts", Long.class))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void numericOpsReadNumbersAndNumericStringsAlike() {
    assertThat(select("{'field':'traits.n','op':'eq','value':42}", Map.of()))
        .containsExactly("c1", "c2");
    assertThat(select("{'field':'traits.n','op':'gte','value':41.5}", Map.of()))
        .containsExactly("c1", "c2");
    assertThat(select("{'field':'traits.n','op':'eq','value':'42'}", Map.of()))
        .containsExactly("c1", "c2");
  }

  @Test
  void textEqualityNeverMatchesTheJsonTextOfAnObjectOrArray() {
    String ws = "ws_filter_sql_json_text";
    FilterDatabase.createWorkspace(ws);
    FilterDatabase.jdbc()
        .update(
            "insert into contacts (workspace_id, id, traits) values (?, 'j1', ?::jsonb),"
                + " (?, 'j2', ?::jsonb)",
            ws,
            "{\"tags\": [\"pro\"], \"plan\": {\"a\": 1}}",
            ws,
            "{\"tags\": \"[\\\"pro\\\"]\", \"plan\": \"{\\\"a\\\": 1}\"}");
    // j1 holds an array and an object whose JSON text equals the value; j2 holds strings.
    java.util.function.Function<String, List<String>> ids =
        filter -> {
          SqlFragment f = sql.compile(parse(filter), ws, SegmentResolver.NONE);
          return FilterDatabase.jdbc()
              .queryForList(
                  "select c.id from contacts c where " + f.sql() + " order by c.id",
                  String.class,
                  f.paramArray());
        };
    String array = "[\\\"pro\\\"]";
    String object = "{\\\"a\\\": 1}";
    assertThat(ids.apply("{'field':'traits.tags','op':'eq','value':'" + array + "'}"))
        .containsExactly("j2");
    assertThat(ids.apply("{'field':'traits.plan','op':'eq','value':'" + object + "'}"))
        .containsExactly("j2");
    assertThat(ids.apply("{'field':'traits.tags','op':'neq','value':'" + array + "'}"))
        .containsExactly("j1");
    assertThat(ids.apply("{'field':'traits.plan','op':'in','value':['" + object + "', 'x']}"))
        .containsExactly("j2");
    assertThat(ids.apply("{'field':'traits.plan','op':'not_in','value':['" + object + "']}"))
        .containsExactly("j1");
  }

  @Test
  void anEmailFilterMatchesTheStoredAddressWhateverLettersItHas() {
    String ws = "ws_filter_sql_unicode";
    FilterDatabase.createWorkspace(ws);
    FilterDatabase.jdbc()
        .update(
            "insert into contacts (workspace_id, id, email) values (?, 'greek', 'ΟΔΟΣ@x.com'),"
                + " (?, 'turkish', 'İnci@örnek.com'), (?, 'dotted', 'i̇nci@örnek.com')",
            ws,
            ws,
            ws);
    Map<String, List<String>> cases =
        Map.of(
            "{'field':'email','op':'eq','value':'ΟΔΟΣ@x.com'}", List.of("greek"),
            "{'field':'email','op':'in','value':['οδοσ@x.com']}", List.of("greek"),
            "{'field':'email','op':'ends_with','value':'ΟΣ@X.COM'}", List.of("greek"),
            "{'field':'email','op':'eq','value':'İnci@örnek.com'}", List.of("turkish"));
    cases.forEach(
        (filter, expected) -> {
          SqlFragment f = sql.compile(parse(filter), ws, id -> Optional.empty());
          assertThat(
                  FilterDatabase.jdbc()
                      .queryForList(
                          "select c.id from contacts c where c.workspace_id = ? and "
                              + f.sql()
                              + " order by c.id",
                          String.class,
                          java.util.stream.Stream.concat(
                                  java.util.stream.Stream.of(ws), Arrays.stream(f.paramArray()))
                              .toArray()))
              .as(filter)
              .containsExactlyElementsOf(expected);
        });
  }

  @Test
  void emailComparesLowerCased() {
    assertThat(select("{'field':'email','op':'eq','value':'ANN@example.COM'}", Map.of()))
        .containsExactly("c1");
    assertThat(select("{'field':'email','op':'neq','value':'ann@example.com'}", Map.of()))
        .containsExactly("c2");
  }

  @Test
  void anotherWorkspacesEventsNeverCount() {
    assertThat(select("{'performed':'buy'}", Map.of())).isEmpty();
    assertThat(select("{'performed':'buy','count':{'eq':0}}", Map.of()))
        .containsExactly("c1", "c2");
  }

  @Test
  void segmentReferencesAreInlined() {
    assertThat(
            select(
                "{'not':{'segment':'seg_b'}}",
                Map.of(
                    "seg_a", "{'field':'traits.plan','op':'eq','value':'pro'}",
                    "seg_b", "{'all':[{'segment':'seg_a'}]}")))
        .containsExactly("c1");
  }

  @Test
  void segmentCycleIs422() {
    assertThatThrownBy(
            () ->
                select(
                    "{'segment':'seg_a'}",
                    Map.of(
                        "seg_a", "{'segment':'seg_b'}", "seg_b", "{'any':[{'segment':'seg_a'}]}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.getMessage()).contains("seg_a -> seg_b -> seg_a");
            });
  }

  @Test
  void unknownSegmentIs422() {
    assertThatThrownBy(() -> select("{'segment':'seg_nope'}", Map.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
  }

  /** "In the last hour" ends now: an event stamped ahead of the clock has not happened yet. */
  @Test
  void aDurationWindowEndsNowSoAnEventStampedAheadIsNotInIt() {
    FilterDatabase.jdbc()
        .update(
            "insert into events (workspace_id, id, message_id, type, event, contact_id, timestamp,"
                + " received_at) values (?, 'evt_ahead', 'm_ahead', 'track', 'visit', 'c2', ?, ?),"
                + " (?, 'evt_recent', 'm_recent', 'track', 'visit', 'c1', ?, ?)",
            WS,
            OffsetDateTime.parse("2026-03-01T13:00:00Z"),
            OffsetDateTime.parse("2026-03-01T12:00:00Z"),
            WS,
            OffsetDateTime.parse("2026-03-01T11:30:00Z"),
            OffsetDateTime.parse("2026-03-01T11:30:00Z"));
    assertThat(select("{'performed':'visit','within':'1h'}", Map.of())).containsExactly("c1");
    assertThat(select("{'performed':'visit','within':'1h','count':{'eq':0}}", Map.of()))
        .containsExactly("c2");
    // An explicit window still reaches as far ahead as it says.
    assertThat(select("{'performed':'visit','within':{'from':'-1h'}}", Map.of()))
        .containsExactly("c1", "c2");
  }

  @Test
  void relativeDatesResolveAgainstTheClock() {
    SqlFragment f =
        sql.compile(
            parse("{'field':'created_at','op':'gt','value':'-7d'}"), WS, SegmentResolver.NONE);
    assertThat(f.params()).contains(OffsetDateTime.parse("2026-02-22T12:00:00Z"));
  }

  static final JsonMapper decimals =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  static ErrorDetail refusal(JsonMapper mapper, String filter) {
    try {
      FilterParser.parse(mapper.readTree(filter.replace('\'', '"')), "filter");
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.details()).hasSize(1);
      return e.details().get(0);
    }
    throw new AssertionError("parsed without error: " + filter);
  }

  List<String> selectDecimals(String filter) {
    Filter parsed = FilterParser.parse(decimals.readTree(filter.replace('\'', '"')), "filter");
    SqlFragment f = sql.compile(parsed, WS, SegmentResolver.NONE);
    return FilterDatabase.jdbc()
        .queryForList(
            "select c.id from contacts c where " + f.sql() + " order by c.id",
            String.class,
            f.paramArray());
  }

  @Test
  void datesOutsideYears1To9999AreRefusedWhenParsedSoNoSavedFilterFailsWhenItRuns() {
    for (String date :
        List.of(
            "+999999999-12-31T23:59:59Z",
            "-290000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "0000-12-31T23:59:59Z",
            "0000-12-31")) {
      for (String[] at :
          List.of(
              new String[] {"{'field':'created_at','op':'gt','value':'D'}", "filter.value"},
              new String[] {"{'field':'traits.d','op':'lte','value':'D'}", "filter.value"},
              new String[] {"{'performed':'buy','within':{'from':'D'}}", "filter.within.from"},
              new String[] {
                "{'performed':'buy','where':[{'field':'properties.d','op':'gt','value':'D'}]}",
                "filter.where[0].value"
              })) {
        ErrorDetail d = refusal(json, at[0].replace("D", date));
        assertThat(d.field()).as(date + " in " + at[0]).isEqualTo(at[1]);
        assertThat(d.reason()).isEqualTo("out_of_range");
      }
    }
    // The ends of the range and relative dates of any size run in PostgreSQL (a relative date
    // 19,000 years back resolves to the range's first instant).
    for (String date :
        List.of(
            "9999-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00Z",
            "0001-01-01",
            "-999999w",
            "+999999w",
            "-999999d")) {
      assertThat(select("{'field':'traits.d','op':'lt','value':'" + date + "'}", Map.of()))
          .isEmpty();
      assertThat(select("{'field':'created_at','op':'gte','value':'" + date + "'}", Map.of()))
          .as(date)
          .hasSizeBetween(0, 2);
      assertThat(select("{'performed':'buy','within':{'from':'" + date + "'}}", Map.of()))
          .isEmpty();
    }
  }

  @Test
  void numbersBeyondAThousandDigitsAreRefusedBeforeTheyAreSpelledOut() {
    for (String n : List.of("1e999999999", "-1e999999999", "1e-999999999", "1e1000", "1e-1001")) {
      for (String[] at :
          List.of(
              new String[] {"{'field':'traits.n','op':'eq','value':N}", "filter.value"},
              new String[] {"{'field':'traits.n','op':'gt','value':N}", "filter.value"},
              new String[] {"{'field':'traits.n','op':'in','value':[1,N]}", "filter.value[1]"},
              new String[] {
                "{'performed':'buy','where':[{'field':'properties.n','op':'eq','value':N}]}",
                "filter.where[0].value"
              })) {
        ErrorDetail d = refusal(decimals, at[0].replace("N", n));
        assertThat(d.field()).as(n + " in " + at[0]).isEqualTo(at[1]);
        assertThat(d.reason()).isEqualTo("out_of_range");
      }
    }
    // A mapper reading floats as doubles makes 1e999999 infinite: refused as well.
    assertThat(refusal(json, "{'field':'traits.n','op':'eq','value':1e999999}").reason())
        .isEqualTo("out_of_range");
    // Numbers of a thousand characters written out in full run.
    assertThat(selectDecimals("{'field':'traits.n','op':'lt','value':1e999}"))
        .containsExactly("c1", "c2");
    assertThat(selectDecimals("{'field':'traits.n','op':'gt','value':1e-998}"))
        .containsExactly("c1", "c2");
    assertThat(selectDecimals("{'field':'traits.n','op':'in','value':[42.0000, -1e998]}"))
        .containsExactly("c1", "c2");
  }

  @Test
  void segmentReferencesCountTowardsTheConditionAndDepthLimitsOnceInlined() {
    String fifty =
        "{'all':["
            + String.join(
                ",", java.util.Collections.nCopies(50, "{'field':'traits.plan','op':'exists'}"))
            + "]}";
    assertThat(select("{'segment':'seg_big'}", Map.of("seg_big", fifty)))
        .containsExactly("c1", "c2");
    Map<String, String> fanOut = new java.util.HashMap<>();
    fanOut.put("seg_big", fifty);
    fanOut.put(
        "seg_fan",
        "{'any':["
            + String.join(",", java.util.Collections.nCopies(50, "{'segment':'seg_big'}"))
            + "]}");
    for (String filter :
        List.of(
            "{'any':[{'segment':'seg_big'},{'segment':'seg_big'}]}",
            "{'all':[{'field':'traits.plan','op':'exists'},{'segment':'seg_big'}]}",
            "{'any':[{'segment':'seg_fan'},{'segment':'seg_fan'}]}")) {
      assertThatThrownBy(() -> select(filter, fanOut))
          .as(filter)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.details())
                    .extracting(ErrorDetail::field, ErrorDetail::reason)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("filter", "too_many_conditions"));
              });
    }
    // Six levels alone; seven once referred to from under a 'not'.
    String six = "{'field':'traits.plan','op':'exists'}";
    for (int i = 0; i < 5; i++) {
      six = "{'all':[" + six + "]}";
    }
    assertThat(select("{'segment':'seg_six'}", Map.of("seg_six", six))).containsExactly("c1", "c2");
    String deep = six;
    assertThatThrownBy(() -> select("{'not':{'segment':'seg_six'}}", Map.of("seg_six", deep)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.details().get(0).reason()).isEqualTo("too_deep"));
  }

  /**
   * PostgreSQL 15 and 16 (README: the services run on 15 to 17) refuse to start a subtransaction in
   * a parallel operation, and a PL/pgSQL block with an EXCEPTION clause starts one on every call: a
   * PARALLEL SAFE function with one failed every query PostgreSQL ran in parallel workers ("cannot
   * start subtransactions during a parallel operation"), so a segment or analytics query comparing
   * a trait or property with a date was a 500 once its table was big enough. 17 allows it, which is
   * why only the catalog can show it here.
   */
  @Test
  void noFunctionOfTheFiltersStartsASubtransactionSoTheyRunInParallelWorkersOnPostgreSql15And16() {
    List<String> unsafe =
        FilterDatabase.jdbc()
            .queryForList(
                "select p.proname from pg_proc p join pg_language l on l.oid = p.prolang"
                    + " where p.proname like 'growthos\\_%' and p.proparallel = 's'"
                    + " and l.lanname = 'plpgsql' and p.prosrc ~* '\\mexception\\M' order by 1",
                String.class);
    assertThat(unsafe).as("PARALLEL SAFE functions with an EXCEPTION block").isEmpty();
  }

  /**
   * A JSON string is a date for gt/gte/lt/lte exactly when the documented rule (and the reference
   * evaluator of the property tests) says so: {@code YYYY-MM-DD}, or RFC 3339 with seconds and an
   * offset, a real calendar day, hours 00-23, minutes and seconds 00-59, offsets up to 18:00, years
   * from 0001. PostgreSQL's own input is looser (24:00:00 is the next midnight, second 60 the next
   * minute) and narrower (offsets past 15:59 are an error).
   */
  @Test
  void aJsonStringReadsAsADateExactlyWhenTheDocumentedRuleSaysItIsOne() {
    for (String text :
        List.of(
            "2024-02-29",
            "2000-02-29",
            "2023-02-29",
            "2100-02-29",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "2024-02-29T12:00:00+05:45",
            "2024-01-01t10:00:00z",
            "2024-01-01T10:00:00.5-03:30",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:59:60Z",
            "2024-01-01T10:60:00Z",
            "2024-01-01T10:00:00+18:00",
            "2024-01-01T10:00:00-18:00",
            "2024-01-01T10:00:00+18:01",
            "2024-01-01T10:00:00+05:60",
            "2024-04-30T00:00:00-00:00",
            "9999-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00+01:00",
            "2024-01-01T10:00Z",
            "2024-01-01 10:00:00Z",
            "tomorrow")) {
      Long read =
          FilterDatabase.jdbc()
              .queryForObject(
                  "select (extract(epoch from growthos_jsonb_timestamptz(to_jsonb(?::text)))"
                      + " * 1000000)::bigint",
                  Long.class,
                  text);
      Instant expected = FilterEvaluator.timestamp(json.getNodeFactory().stringNode(text));
      assertThat(read)
          .as(text)
          .isEqualTo(
              expected == null
                  ? null
                  : expected.getEpochSecond() * 1_000_000 + expected.getNano() / 1000);
    }
  }
}
