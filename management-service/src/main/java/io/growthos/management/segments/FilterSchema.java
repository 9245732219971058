package io.growthos.management.segments;

import io.growthos.core.filter.FilterParser;
import io.growthos.core.filter.Op;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The filter grammar (SPEC §7) as OpenAPI schemas: {@code Filter} is a {@code oneOf} of the node
 * shapes, recursive through {@code all}, {@code any} and {@code not}. Written out here because the
 * tree is read as JSON by {@link FilterParser}, not bound to classes; every other feature taking a
 * filter refers to {@code #/components/schemas/Filter}.
 */
@Configuration(proxyBeanMethods = false)
@SuppressWarnings({"rawtypes", "unchecked"}) // swagger-models' fluent setters return raw Schema
class FilterSchema {

  static final String REF = "#/components/schemas/";

  @Bean
  OpenApiCustomizer filterSchemas() {
    return openApi -> {
      var components = openApi.getComponents();
      components.addSchemas(
          "Filter",
          new Schema<Object>()
              .description(
                  "A filter over contacts: a tree of all/any/not nodes with condition leaves."
                      + " At most "
                      + FilterParser.MAX_DEPTH
                      + " levels deep and "
                      + FilterParser.MAX_LEAVES
                      + " conditions; errors name the JSON path (filter.all[2].op). See"
                      + " docs/analytics.md.")
              .oneOf(
                  List.of(
                      ref("FilterAll"),
                      ref("FilterAny"),
                      ref("FilterNot"),
                      ref("FilterCondition"),
                      ref("FilterPerformed"),
                      ref("FilterSegment"),
                      ref("FilterGroup"))));
      components.addSchemas(
          "FilterAll",
          object(
              "Every child holds (an empty list: every contact)",
              Map.of("all", array(ref("Filter"))),
              "all"));
      components.addSchemas(
          "FilterAny",
          object(
              "At least one child holds (an empty list: no contact)",
              Map.of("any", array(ref("Filter"))),
              "any"));
      components.addSchemas(
          "FilterNot", object("The child does not hold", Map.of("not", ref("Filter")), "not"));
      components.addSchemas(
          "FilterCondition",
          object(
              "A contact field or trait compared with a value. Strings compare case-sensitively"
                  + " except email. A number reads the trait as a number (42 and \"42\" alike); a"
                  + " string compares with the trait's text; gt/gte/lt/lte take a number or a"
                  + " date (RFC 3339 or relative \"-7d\").",
              Map.of(
                  "field",
                  string(
                      "email, user_id, created_at, first_seen_at, last_seen_at or traits.<path>"),
                  "op",
                  opSchema(),
                  "value",
                  new Schema<Object>()
                      .description(
                          "A string, number or boolean; an array of up to "
                              + FilterParser.MAX_LIST
                              + " for in/not_in; absent for exists/not_exists")),
              "field",
              "op"));
      components.addSchemas(
          "FilterPropertyCondition",
          object(
              "An event property compared with a value, as in FilterCondition",
              Map.of(
                  "field", string("properties.<path>"),
                  "op", opSchema(),
                  "value", new Schema<Object>().description("As in FilterCondition")),
              "field",
              "op"));
      components.addSchemas(
          "FilterPerformed",
          object(
              "Behaviour: the contact performed the event a number of times (default at least"
                  + " once; {\"eq\": 0} means did not), within a time range, counting events"
                  + " whose properties match every where condition",
              Map.of(
                  "performed",
                  string("The event name"),
                  "count",
                  object(
                          "One of eq, neq, gt, gte, lt, lte with a whole number, e.g. {\"gte\": 3}",
                          Map.of(),
                          new String[0])
                      .additionalProperties(integer()),
                  "within",
                  new Schema<Object>()
                      .description(
                          "A duration back from now (\"30d\", \"12h\", \"2w\") or {from, to} with"
                              + " RFC 3339 or relative dates (from inclusive, to exclusive)")
                      .oneOf(
                          List.of(
                              string("A duration such as 30d"),
                              object(
                                  "A time range",
                                  Map.of("from", string("date"), "to", string("date")),
                                  new String[0]))),
                  "where",
                  array(ref("FilterPropertyCondition"))),
              "performed"));
      components.addSchemas(
          "FilterSegment",
          object(
              "Membership of another segment of the workspace (inlined; cycles are 422)",
              Map.of("segment", string("A segment id, seg_…")),
              "segment"));
      components.addSchemas(
          "FilterGroup",
          object(
              "Membership of a group, by the group id sent in group calls (or its grp_ id)",
              Map.of("group", string("A group id")),
              "group"));
    };
  }

  private static Schema<Object> ref(String name) {
    return new Schema<Object>().$ref(REF + name);
  }

  private static Schema<Object> typed(String type) {
    Schema<Object> s = new Schema<>();
    s.type(type);
    s.types(Set.of(type));
    return s;
  }

  private static Schema<Object> string(String description) {
    return typed("string").description(description);
  }

  private static Schema<Object> integer() {
    return typed("integer").minimum(java.math.BigDecimal.ZERO);
  }

  private static Schema<Object> array(Schema<Object> items) {
    Schema<Object> s = typed("array");
    s.setItems(items);
    return s;
  }

  private static Schema<Object> object(
      String description, Map<String, Schema<Object>> properties, String... required) {
    Schema<Object> s = typed("object").description(description);
    s.setProperties((Map<String, Schema>) (Map) new java.util.TreeMap<>(properties));
    if (required.length > 0) {
      s.setRequired(List.of(required));
    }
    s.setAdditionalProperties(Boolean.FALSE);
    return s;
  }

  private static Schema<Object> opSchema() {
    Schema<Object> s = string("The comparison");
    s.setEnum(Arrays.stream(Op.values()).map(op -> (Object) op.json()).toList());
    return s;
  }
}
