package io.growthos.management.analytics;

import io.growthos.management.analytics.Query.Condition;
import io.growthos.management.analytics.Query.JsonPath;
import java.math.BigDecimal;
import java.util.List;

/**
 * Compiles the property conditions of a series or step ({@code where}) into a predicate over events
 * aliased {@code e}.
 *
 * <p>Rules: a string value compares with the property's text (a number property {@code 42} and a
 * string {@code "42"} are both the text "42"); a number value compares numerically with a number
 * property or a string that reads as a number; a boolean only equals a JSON boolean. {@code neq}
 * and {@code not_in} also match events without the property; every other op needs it. {@code
 * exists} means present and not JSON null.
 */
final class EventConditions {

  private static final String NUMBER = "'^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$'";

  private EventConditions() {}

  /** The jsonb at {@code path} of the event ({@code e.properties #> '{a,b}'}). */
  static Sql json(String alias, JsonPath path) {
    return new Sql().append("(" + alias + "." + path.root() + " #> ?)", textArray(path));
  }

  /** The text of the value at {@code path}, null when absent. */
  static Sql text(String alias, JsonPath path) {
    return new Sql().append("(" + alias + "." + path.root() + " #>> ?)", textArray(path));
  }

  /** The value at {@code path} as numeric when it is a number or a numeric string, else null. */
  static Sql number(String alias, JsonPath path) {
    return new Sql()
        .append("(case when jsonb_typeof(")
        .append(json(alias, path))
        .append(") = 'number' then (")
        .append(text(alias, path))
        .append(")::numeric when jsonb_typeof(")
        .append(json(alias, path))
        .append(") = 'string' and ")
        .append(text(alias, path))
        .append(" ~ " + NUMBER + " then (")
        .append(text(alias, path))
        .append(")::numeric end)");
  }

  /** {@code and <condition>} for each condition, or nothing. */
  static Sql all(List<Condition> conditions) {
    Sql sql = new Sql();
    for (Condition c : conditions) {
      sql.append(" and ").append(compile(c));
    }
    return sql;
  }

  static Sql compile(Condition c) {
    Object v = c.value();
    JsonPath p = c.field();
    return switch (c.op()) {
      case "eq" -> eq(p, v);
      case "neq" -> new Sql().append("not coalesce(").append(eq(p, v)).append(", false)");
      case "in" -> in(p, v);
      case "not_in" -> new Sql().append("not coalesce(").append(in(p, v)).append(", false)");
      case "gt", "gte", "lt", "lte" -> {
        String op =
            switch (c.op()) {
              case "gt" -> ">";
              case "gte" -> ">=";
              case "lt" -> "<";
              default -> "<=";
            };
        yield v instanceof BigDecimal
            ? new Sql().append("(").append(number("e", p)).append(" " + op + " ?)", v)
            : new Sql().append("(").append(text("e", p)).append(" " + op + " ? collate \"C\")", v);
      }
      case "contains" -> new Sql().append("(strpos(").append(text("e", p)).append(", ?) > 0)", v);
      case "starts_with" -> new Sql().append("starts_with(").append(text("e", p)).append(", ?)", v);
      case "ends_with" ->
          new Sql().append("(right(").append(text("e", p)).append(", length(?)) = ?)", v, v);
      case "exists" ->
          new Sql()
              .append("coalesce(jsonb_typeof(")
              .append(json("e", p))
              .append(") <> 'null', false)");
      case "not_exists" ->
          new Sql()
              .append("not coalesce(jsonb_typeof(")
              .append(json("e", p))
              .append(") <> 'null', false)");
      default -> throw new IllegalArgumentException(c.op());
    };
  }

  private static Sql eq(JsonPath p, Object v) {
    if (v instanceof BigDecimal) {
      return new Sql().append("(").append(number("e", p)).append(" = ?)", v);
    }
    if (v instanceof Boolean) {
      return new Sql().append("(").append(json("e", p)).append(" = to_jsonb(?::boolean))", v);
    }
    return new Sql()
        .append("(jsonb_typeof(")
        .append(json("e", p))
        .append(") in ('string', 'number', 'boolean') and ")
        .append(text("e", p))
        .append(" = ?)", v);
  }

  private static Sql in(JsonPath p, Object v) {
    List<?> list = (List<?>) v;
    if (!list.isEmpty() && list.get(0) instanceof BigDecimal) {
      return new Sql()
          .append("(")
          .append(number("e", p))
          .append(
              " = any(?))",
              new Sql.NumericArray(list.stream().map(BigDecimal.class::cast).toList()));
    }
    return new Sql()
        .append("(")
        .append(text("e", p))
        .append(" = any(?))", new Sql.TextArray(list.stream().map(String.class::cast).toList()));
  }

  static Sql.TextArray textArray(JsonPath path) {
    return new Sql.TextArray(path.keys());
  }
}
