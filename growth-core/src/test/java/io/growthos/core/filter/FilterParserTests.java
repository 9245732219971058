package io.growthos.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FilterParserTests {

  static final JsonMapper json = JsonMapper.builder().build();

  static JsonNode read(String text) {
    return json.readTree(text.replace('\'', '"'));
  }

  static List<ErrorDetail> errors(String text) {
    try {
      FilterParser.parse(read(text), "filter");
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code().code()).isEqualTo("validation_error");
      return e.details();
    }
    throw new AssertionError("parsed without error: " + text);
  }

  static Stream<Arguments> malformed() {
    String leaf = "{'field':'traits.plan','op':'eq','value':'pro'}";
    String deep = leaf;
    for (int i = 0; i < 6; i++) {
      deep = "{'not':" + deep + "}";
    }
    StringBuilder many = new StringBuilder("{'any':[");
    for (int i = 0; i < 51; i++) {
      many.append(i == 0 ? "" : ",").append(leaf);
    }
    many.append("]}");
    StringBuilder longList = new StringBuilder("[");
    for (int i = 0; i < 1001; i++) {
      longList.append(i == 0 ? "" : ",").append(i);
    }
    longList.append(']');
    return Stream.of(
        Arguments.of("[]", "filter", "invalid_type"),
        Arguments.of("'pro'", "filter", "invalid_type"),
        Arguments.of("{}", "filter", "unknown_node"),
        Arguments.of("{'every':[]}", "filter", "unknown_node"),
        Arguments.of("{'all':{}}", "filter.all", "invalid_type"),
        Arguments.of("{'all':[], 'any':[]}", "filter.any", "unknown_field"),
        Arguments.of("{'all':[1]}", "filter.all[0]", "invalid_type"),
        Arguments.of("{'all':[null]}", "filter.all[0]", "required"),
        Arguments.of("{'not':null}", "filter.not", "required"),
        Arguments.of("{'not':[]}", "filter.not", "invalid_type"),
        Arguments.of(
            "{'all':[" + leaf + "," + leaf + ",{'field':'traits.plan','op':'like','value':'x'}]}",
            "filter.all[2].op",
            "unknown_op"),
        Arguments.of("{'field':'traits.plan','value':'x'}", "filter.op", "required"),
        Arguments.of("{'op':'eq','value':'x'}", "filter.field", "required"),
        Arguments.of("{'field':'name','op':'eq','value':'x'}", "filter.field", "unknown_field"),
        Arguments.of(
            "{'field':'properties.x','op':'eq','value':'x'}", "filter.field", "unknown_field"),
        Arguments.of("{'field':'traits.','op':'eq','value':'x'}", "filter.field", "invalid_value"),
        Arguments.of(
            "{'field':'traits.a..b','op':'eq','value':'x'}", "filter.field", "invalid_value"),
        Arguments.of("{'field':7,'op':'eq','value':'x'}", "filter.field", "invalid_type"),
        Arguments.of("{'field':'traits.plan','op':'eq'}", "filter.value", "required"),
        Arguments.of("{'field':'traits.plan','op':'eq','value':null}", "filter.value", "required"),
        Arguments.of(
            "{'field':'traits.plan','op':'eq','value':{}}", "filter.value", "invalid_type"),
        Arguments.of(
            "{'field':'traits.plan','op':'eq','value':'x','extra':1}",
            "filter.extra",
            "unknown_field"),
        Arguments.of(
            "{'field':'traits.plan','op':'exists','value':'x'}", "filter.value", "unknown_field"),
        Arguments.of(
            "{'field':'traits.n','op':'gt','value':'abc'}", "filter.value", "invalid_type"),
        Arguments.of("{'field':'traits.n','op':'gt','value':true}", "filter.value", "invalid_type"),
        Arguments.of(
            "{'field':'traits.n','op':'contains','value':3}", "filter.value", "invalid_type"),
        Arguments.of("{'field':'traits.n','op':'in','value':'a'}", "filter.value", "invalid_type"),
        Arguments.of("{'field':'traits.n','op':'in','value':[]}", "filter.value", "invalid_type"),
        Arguments.of(
            "{'field':'traits.n','op':'in','value':['a',{}]}", "filter.value[1]", "invalid_type"),
        Arguments.of(
            "{'field':'traits.n','op':'in','value':" + longList + "}", "filter.value", "too_long"),
        Arguments.of("{'field':'created_at','op':'gt','value':5}", "filter.value", "type_mismatch"),
        Arguments.of(
            "{'field':'created_at','op':'eq','value':'yesterday'}",
            "filter.value",
            "invalid_value"),
        Arguments.of(
            "{'field':'created_at','op':'in','value':['2026-01-01']}", "filter.op", "unknown_op"),
        Arguments.of("{'field':'email','op':'gt','value':'a'}", "filter.op", "unknown_op"),
        Arguments.of("{'field':'email','op':'eq','value':5}", "filter.value", "invalid_type"),
        Arguments.of(
            "{'field':'user_id','op':'in','value':['a',5]}", "filter.value[1]", "invalid_type"),
        Arguments.of("{'performed':''}", "filter.performed", "invalid_type"),
        Arguments.of("{'performed':5}", "filter.performed", "invalid_type"),
        Arguments.of("{'performed':'x','count':3}", "filter.count", "invalid_type"),
        Arguments.of("{'performed':'x','count':{'gte':1,'lte':3}}", "filter.count", "invalid_type"),
        Arguments.of("{'performed':'x','count':{'about':1}}", "filter.count.about", "unknown_op"),
        Arguments.of("{'performed':'x','count':{'gte':-1}}", "filter.count.gte", "invalid_value"),
        Arguments.of("{'performed':'x','count':{'gte':1.5}}", "filter.count.gte", "invalid_value"),
        Arguments.of(
            "{'performed':'x','count':{'gt':1000001}}", "filter.count.gt", "invalid_value"),
        Arguments.of("{'performed':'x','within':'30 days'}", "filter.within", "invalid_value"),
        Arguments.of("{'performed':'x','within':'-30d'}", "filter.within", "invalid_value"),
        Arguments.of("{'performed':'x','within':30}", "filter.within", "invalid_type"),
        Arguments.of("{'performed':'x','within':{}}", "filter.within", "required"),
        Arguments.of("{'performed':'x','within':'0d'}", "filter.within", "invalid_value"),
        Arguments.of(
            "{'performed':'x','within':{'from':'-1d','to':'-2d'}}",
            "filter.within.to",
            "invalid_range"),
        Arguments.of(
            "{'performed':'x','within':{'from':'-1d','to':'-1d'}}",
            "filter.within.to",
            "invalid_range"),
        Arguments.of(
            "{'performed':'x','within':{'from':'2026-02-01','to':'2026-01-01T00:00:00Z'}}",
            "filter.within.to",
            "invalid_range"),
        Arguments.of(
            "{'performed':'x','within':{'from':'nope'}}", "filter.within.from", "invalid_value"),
        // RFC 3339 as the Management API reads it everywhere (Rfc3339): taken here until
        // 2026-12-08, though no trait holding the same text was ever read as a date.
        Arguments.of(
            "{'performed':'x','within':{'from':'2026-06-01T00:00Z'}}",
            "filter.within.from",
            "invalid_value"),
        Arguments.of(
            "{'field':'created_at','op':'gt','value':'2026-06-01T00:00:00.Z'}",
            "filter.value",
            "invalid_value"),
        Arguments.of(
            "{'field':'created_at','op':'gt','value':'2026-06-01t00:00:00z'}",
            "filter.value",
            "invalid_value"),
        Arguments.of(
            "{'field':'created_at','op':'gt','value':'2026-06-01T00:00:00+00'}",
            "filter.value",
            "invalid_value"),
        Arguments.of(
            "{'performed':'x','within':{'from':12}}", "filter.within.from", "type_mismatch"),
        Arguments.of(
            "{'performed':'x','within':{'since':'-1d'}}", "filter.within.since", "unknown_field"),
        Arguments.of("{'performed':'x','where':{}}", "filter.where", "invalid_type"),
        Arguments.of("{'performed':'x','where':[5]}", "filter.where[0]", "invalid_type"),
        Arguments.of(
            "{'performed':'x','where':[{'field':'traits.a','op':'eq','value':1}]}",
            "filter.where[0].field",
            "unknown_field"),
        Arguments.of(
            "{'performed':'x','where':[{'field':'properties.a','op':'near','value':1}]}",
            "filter.where[0].op",
            "unknown_op"),
        Arguments.of("{'performed':'x','often':true}", "filter.often", "unknown_field"),
        Arguments.of("{'segment':''}", "filter.segment", "invalid_type"),
        Arguments.of("{'segment':5}", "filter.segment", "invalid_type"),
        Arguments.of("{'segment':'seg_1','x':1}", "filter.x", "unknown_field"),
        Arguments.of("{'group':null}", "filter.group", "invalid_type"),
        Arguments.of(deep, "filter.not.not.not.not.not.not", "too_deep"),
        Arguments.of(many.toString(), "filter", "too_many_conditions"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("malformed")
  void rejectsMalformedFilterAtItsPath(String filter, String path, String reason) {
    assertThat(errors(filter))
        .extracting(ErrorDetail::field, ErrorDetail::reason)
        .contains(org.assertj.core.groups.Tuple.tuple(path, reason));
  }

  @Test
  void reportsEveryErrorNotOnlyTheFirst() {
    List<ErrorDetail> errors =
        errors(
            "{'all':[{'field':'nope','op':'eq','value':1},"
                + "{'field':'traits.a','op':'like','value':1},"
                + "{'performed':'x','count':{'gte':-2}}]}");
    assertThat(errors)
        .extracting(ErrorDetail::field)
        .containsExactly("filter.all[0].field", "filter.all[1].op", "filter.all[2].count.gte");
  }

  @Test
  void depthSixIsAllowed() {
    String deep = "{'field':'traits.plan','op':'exists'}";
    for (int i = 0; i < 5; i++) {
      deep = "{'not':" + deep + "}";
    }
    assertThat(FilterParser.parse(read(deep), "filter")).isInstanceOf(Filter.Not.class);
  }

  @Test
  void parsesEveryNodeShape() {
    Filter f =
        FilterParser.parse(
            read(
                "{'all':[{'field':'email','op':'eq','value':'Ann@Example.COM'},"
                    + "{'any':[{'segment':'seg_1'},{'group':'acme'}]},"
                    + "{'not':{'field':'traits.age','op':'gte','value':18}},"
                    + "{'field':'traits.since','op':'lt','value':'-7d'},"
                    + "{'performed':'signup','count':{'eq':0},'within':'30d',"
                    + "'where':[{'field':'properties.plan','op':'in','value':['a',1,true]}]}]}"),
            "filter");
    Filter.All all = (Filter.All) f;
    assertThat(all.filters().get(0))
        .isEqualTo(
            new Filter.FieldCondition(
                new FieldRef("email", FieldRef.Kind.EMAIL, List.of()),
                Op.EQ,
                new Value.Text("Ann@Example.COM")));
    assertThat(all.filters().get(1))
        .isEqualTo(
            new Filter.Any(List.of(new Filter.SegmentRef("seg_1"), new Filter.GroupRef("acme"))));
    assertThat(all.filters().get(2))
        .isEqualTo(
            new Filter.Not(
                new Filter.FieldCondition(
                    new FieldRef("traits.age", FieldRef.Kind.TRAIT, List.of("age")),
                    Op.GTE,
                    new Value.Number(new BigDecimal("18")))));
    assertThat(((Filter.FieldCondition) all.filters().get(3)).value())
        .isEqualTo(new Value.Date(new DateValue.Relative(Duration.ofDays(-7))));
    Filter.Performed p = (Filter.Performed) all.filters().get(4);
    assertThat(p.count()).isEqualTo(new Filter.Count(Op.EQ, 0));
    assertThat(p.within())
        .isEqualTo(
            new Filter.Window(
                new DateValue.Relative(Duration.ofDays(-30)),
                new DateValue.Relative(Duration.ZERO)));
    assertThat(p.where().get(0).value())
        .isEqualTo(
            new Value.ListOf(
                List.of(
                    new Value.Text("a"), new Value.Number(BigDecimal.ONE), new Value.Bool(true))));
  }

  /**
   * A filter saved before its dates were read as strict RFC 3339 keeps running: the stored reading
   * takes the wider form it was saved with, a request's does not.
   */
  @Test
  void aDateSavedInJavasWiderFormStillRunsFromStorageButARequestMayNotGiveIt() {
    JsonNode saved = read("{'field':'created_at','op':'gt','value':'2026-06-01T00:00Z'}");
    Filter.FieldCondition stored =
        (Filter.FieldCondition) FilterParser.parseStored(saved, "filter");
    assertThat(stored.value())
        .isEqualTo(
            new Value.Date(
                new DateValue.Absolute(java.time.Instant.parse("2026-06-01T00:00:00Z"))));
    assertThatThrownBy(() -> FilterParser.parse(saved, "filter")).isInstanceOf(ApiException.class);
    // So do a campaign's stored property conditions (qualifying event, social proof source).
    JsonNode where =
        read("[{'field':'properties.paid_at','op':'gte','value':'2026-06-01T00:00Z'}]");
    assertThat(FilterParser.parseStoredPropertyConditions(where, "where")).hasSize(1);
    assertThatThrownBy(() -> FilterParser.parsePropertyConditions(where, "where"))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void countDefaultsToAtLeastOnce() {
    Filter.Performed p = (Filter.Performed) FilterParser.parse(read("{'performed':'x'}"), "f");
    assertThat(p.count()).isEqualTo(Filter.Count.AT_LEAST_ONCE);
    assertThat(p.within()).isNull();
    assertThat(p.where()).isEmpty();
  }

  @Test
  void aWindowFromBeforeToIsTakenAndOneMixingAnAbsoluteAndARelativeDateIsTakenAsGiven() {
    Filter.Performed relative =
        (Filter.Performed)
            FilterParser.parse(
                read("{'performed':'x','within':{'from':'-2d','to':'-1d'}}"), "filter");
    assertThat(relative.within())
        .isEqualTo(
            new Filter.Window(
                new DateValue.Relative(Duration.ofDays(-2)),
                new DateValue.Relative(Duration.ofDays(-1))));
    // Whether 2026-01-01 comes before "a day ago" depends on when the filter runs.
    Filter.Performed mixed =
        (Filter.Performed)
            FilterParser.parse(
                read("{'performed':'x','within':{'from':'-1d','to':'2026-01-01'}}"), "filter");
    assertThat(mixed.within().to()).isInstanceOf(DateValue.Absolute.class);
  }

  @Test
  void pathPrefixIsTheCallersName() {
    assertThatThrownBy(() -> FilterParser.parse(read("{'not':{}}"), "body.filter"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.details().get(0).field()).isEqualTo("body.filter.not"));
  }
}
