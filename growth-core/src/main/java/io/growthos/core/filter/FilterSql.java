package io.growthos.core.filter;

import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Compiles a {@link Filter} into one boolean SQL predicate over {@code contacts c} (columns of
 * migration V2). Every value and every trait or property path is a bind parameter; the SQL text
 * depends only on the shape of the tree. Relative dates are resolved against the {@link Clock}
 * given at construction.
 *
 * <p>Each leaf is two-valued (never SQL NULL), so {@code not} means exactly "the opposite": a
 * contact without the trait matches {@code not {traits.plan eq "pro"}} and {@code traits.plan neq
 * "pro"}.
 *
 * <p>How JSON values (traits, event properties) compare, by the type of the value in the filter:
 *
 * <ul>
 *   <li>a <b>number</b> reads the JSON value as a number: a JSON number, or a JSON string that
 *       spells a decimal number ({@code "42"}, {@code "-1.5"}), so {@code 42} and {@code "42"} both
 *       equal {@code 42} and order numerically; anything else never compares;
 *   <li>a <b>string</b> or <b>boolean</b> ({@code eq}, {@code neq}, {@code in}, {@code not_in})
 *       compares with the JSON value's text: a string as it is, a number or boolean in its JSON
 *       spelling, so {@code "42"} equals both {@code "42"} and {@code 42} and {@code true} equals
 *       {@code true} and {@code "true"}; objects, arrays and null never equal;
 *   <li>a <b>date</b> (with {@code gt}, {@code gte}, {@code lt}, {@code lte}) reads the JSON value
 *       as a date: a string in RFC 3339 with seconds and an offset (up to 18:00) or a bare {@code
 *       YYYY-MM-DD} (midnight UTC), a real calendar day of a year from 0001, hours 00-23;
 *   <li>{@code contains} matches a substring of a JSON string or an element (string) of a JSON
 *       array; {@code starts_with}/{@code ends_with} match JSON strings only;
 *   <li>{@code exists} is true when the path holds a value other than JSON null.
 * </ul>
 *
 * <p>The helper functions {@code growthos_jsonb_numeric}, {@code growthos_jsonb_text} and {@code
 * growthos_jsonb_timestamptz} (migration V10; the date reading rewritten by V59 without the
 * subtransaction PostgreSQL 15 and 16 refuse in parallel workers) implement these readings in SQL.
 */
public final class FilterSql {

  /**
   * Segment references inlined when one filter is compiled, counting those of the segments it
   * refers to. Neither of the other limits bounds them: a bare {@code {"segment": …}} root keeps
   * its reference's level and is no condition, so a chain of such segments recursed once per link
   * (a chain of 8,000 overflowed the stack: 500 on {@code …/count}, on every contact's {@code
   * /v1/contacts/{id}/segments} and on analytics), and segments of 50 references to a segment of
   * {@code {"all": []}} inlined 50 to the power of their levels (over 300 million at depth 6).
   */
  public static final int MAX_REFERENCES = FilterParser.MAX_LEAVES;

  private final Clock clock;

  public FilterSql(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * The predicate for {@code filter} in {@code workspaceId}: {@code c.workspace_id = ? and (…)}.
   * Errors name the field {@code filter}.
   *
   * @throws ApiException 422 when a referenced segment does not exist or segments refer to each
   *     other in a cycle; 400 when the filter with its referenced segments inlined breaks the
   *     limits of {@link FilterParser}
   */
  public SqlFragment compile(Filter filter, String workspaceId, SegmentResolver segments) {
    return compile(filter, workspaceId, segments, "filter");
  }

  /**
   * As {@link #compile(Filter, String, SegmentResolver)}, naming {@code field} in errors.
   *
   * <p>The limits of {@link FilterParser} ({@value FilterParser#MAX_LEAVES} conditions, depth
   * {@value FilterParser#MAX_DEPTH}) hold for the filter as it runs, with every {@code {"segment":
   * …}} replaced by that segment's filter (its root takes the reference's level). The parser checks
   * each saved filter alone, so without this a filter referring 50 times to a segment that refers
   * 50 times to another ran 125,000 conditions (and PostgreSQL refused its parameters). A
   * referenced segment may grow after the filter that refers to it was saved, so this is checked
   * whenever a filter is compiled; the compiler stops at the first condition over the limit, before
   * the SQL grows. References inlined are bounded too ({@value #MAX_REFERENCES}, reason {@code
   * too_many_references}).
   */
  public SqlFragment compile(
      Filter filter, String workspaceId, SegmentResolver segments, String field) {
    Builder b = new Builder(segments, field);
    b.sql.append("(c.workspace_id = ? and ");
    b.params.add(workspaceId);
    b.filter(filter, 1);
    b.sql.append(')');
    return new SqlFragment(b.sql.toString(), b.params);
  }

  /**
   * A predicate over one event row aliased {@code eventAlias} for property conditions (a behaviour
   * leaf's {@code where}); {@code true} when the list is empty.
   */
  public SqlFragment compileWhere(List<Filter.FieldCondition> where, String eventAlias) {
    if (!eventAlias.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("alias");
    }
    Builder b = new Builder(SegmentResolver.NONE, "where");
    b.sql.append("(true");
    for (Filter.FieldCondition condition : where) {
      b.sql.append(" and ");
      b.condition(condition, eventAlias + ".properties");
    }
    b.sql.append(')');
    return new SqlFragment(b.sql.toString(), b.params);
  }

  private final class Builder {
    final StringBuilder sql = new StringBuilder();
    final List<Object> params = new ArrayList<>();
    final SegmentResolver segments;
    final Deque<String> inlining = new ArrayDeque<>();
    final String field;
    int leaves;
    int references;

    Builder(SegmentResolver segments, String field) {
      this.segments = segments;
      this.field = field;
    }

    /** {@code filter} at nesting level {@code depth} (the root is 1), segments inlined. */
    void filter(Filter filter, int depth) {
      if (depth > FilterParser.MAX_DEPTH) {
        throw limit(
            "too_deep",
            "Filters may nest at most "
                + FilterParser.MAX_DEPTH
                + " levels deep, counting the levels of the segments they refer to.");
      }
      if (filter instanceof Filter.FieldCondition || filter instanceof Filter.GroupRef) {
        count(1);
      } else if (filter instanceof Filter.Performed performed) {
        count(1 + performed.where().size());
      }
      if (filter instanceof Filter.All all) {
        junction(all.filters(), " and ", "true", depth);
      } else if (filter instanceof Filter.Any any) {
        junction(any.filters(), " or ", "false", depth);
      } else if (filter instanceof Filter.Not not) {
        sql.append("(not ");
        filter(not.filter(), depth + 1);
        sql.append(')');
      } else if (filter instanceof Filter.FieldCondition condition) {
        condition(condition, "c.traits");
      } else if (filter instanceof Filter.Performed performed) {
        performed(performed);
      } else if (filter instanceof Filter.SegmentRef ref) {
        segment(ref, depth);
      } else if (filter instanceof Filter.GroupRef group) {
        sql.append(
            "exists (select 1 from group_memberships gm join groups g"
                + " on g.workspace_id = gm.workspace_id and g.id = gm.group_id"
                + " where gm.workspace_id = c.workspace_id and gm.contact_id = c.id"
                + " and (g.group_id = ? or g.id = ?))");
        params.add(group.groupId());
        params.add(group.groupId());
      } else {
        throw new IllegalStateException("unknown filter node " + filter);
      }
    }

    void count(int conditions) {
      leaves += conditions;
      if (leaves > FilterParser.MAX_LEAVES) {
        throw limit(
            "too_many_conditions",
            "A filter may have at most "
                + FilterParser.MAX_LEAVES
                + " conditions, counting those of the segments it refers to; this one has more.");
      }
    }

    ApiException limit(String reason, String message) {
      return ApiException.invalid(field, reason, message);
    }

    void junction(List<Filter> children, String op, String empty, int depth) {
      if (children.isEmpty()) {
        sql.append(empty);
        return;
      }
      sql.append('(');
      for (int i = 0; i < children.size(); i++) {
        if (i > 0) {
          sql.append(op);
        }
        filter(children.get(i), depth + 1);
      }
      sql.append(')');
    }

    /** Inlines the referenced segment's filter; its root takes the reference's level. */
    void segment(Filter.SegmentRef ref, int depth) {
      String id = ref.segmentId();
      if (inlining.contains(id)) {
        List<String> chain = new ArrayList<>(inlining);
        java.util.Collections.reverse(chain);
        chain.add(id);
        throw new ApiException(
            ErrorCode.UNPROCESSABLE,
            "Segments may not refer to themselves: " + String.join(" -> ", chain) + ".",
            List.of(ErrorDetail.of(field, "segment_cycle", String.join(" -> ", chain))));
      }
      references++;
      if (references > MAX_REFERENCES) {
        throw limit(
            "too_many_references",
            "A filter may refer to segments at most "
                + MAX_REFERENCES
                + " times, counting the references of the segments it refers to; this one refers"
                + " more often.");
      }
      Filter inlined =
          segments
              .resolve(id)
              .orElseThrow(
                  () ->
                      new ApiException(
                          ErrorCode.UNPROCESSABLE,
                          "The filter refers to segment '" + id + "', which does not exist.",
                          List.of(
                              ErrorDetail.of(field, "unknown_segment", "No such segment: " + id))));
      inlining.push(id);
      filter(inlined, depth);
      inlining.pop();
    }

    void performed(Filter.Performed p) {
      Filter.Count count = p.count();
      boolean exists =
          count.op() == Op.GTE && count.n() == 1 || count.op() == Op.GT && count.n() == 0;
      boolean notExists =
          count.op() == Op.EQ && count.n() == 0
              || count.op() == Op.LT && count.n() == 1
              || count.op() == Op.LTE && count.n() == 0;
      if (count.op() == Op.GTE && count.n() == 0) {
        sql.append("true");
        return;
      }
      if (exists || notExists) {
        sql.append(notExists ? "(not exists (" : "exists (");
        eventRows(p);
        sql.append(notExists ? "))" : ")");
        return;
      }
      // A counted leaf counts at most threshold + 1 rows: enough to decide, bounded work.
      long limit =
          switch (count.op()) {
            case GTE, LT -> count.n();
            default -> count.n() + 1;
          };
      sql.append("((select count(*) from (");
      eventRows(p);
      sql.append(" limit ?) e_n) ").append(sqlOp(count.op())).append(" ?)");
      params.add(limit);
      params.add(count.n());
    }

    void eventRows(Filter.Performed p) {
      sql.append(
          "select 1 from events e where e.workspace_id = c.workspace_id and e.contact_id = c.id"
              + " and e.event = ?");
      params.add(p.event());
      if (p.within() != null) {
        if (p.within().from() != null) {
          sql.append(" and e.timestamp >= ?");
          params.add(time(p.within().from().resolve(clock)));
        }
        if (p.within().to() != null) {
          sql.append(" and e.timestamp < ?");
          params.add(time(p.within().to().resolve(clock)));
        }
      }
      for (Filter.FieldCondition condition : p.where()) {
        sql.append(" and ");
        condition(condition, "e.properties");
      }
    }

    /** {@code json} is the jsonb column that traits/properties paths read. */
    void condition(Filter.FieldCondition c, String json) {
      switch (c.field().kind()) {
        case EMAIL -> textColumn("lower(c.email)", "lower(?)", c, ContactEmail::lookup);
        case USER_ID -> textColumn("c.user_id", "?", c, UnaryOperator.identity());
        case CREATED_AT -> dateColumn("c.created_at", c);
        case FIRST_SEEN_AT -> dateColumn("c.first_seen_at", c);
        case LAST_SEEN_AT -> dateColumn("c.last_seen_at", c);
        case TRAIT, PROPERTY -> jsonValue(json, c);
      }
    }

    /**
     * A text column against the condition's value. {@code value} is how a parameter enters the
     * comparison: {@code lower(?)} for the email, so that both sides are lower-cased by the same
     * rules (PostgreSQL's, as every email lookup of the API does; Java's differ on a few letters,
     * such as a word-final Σ). {@code stored} turns a value into the form the column stores (for
     * the email, {@link ContactEmail#lookup}: NFC, without surrounding spaces).
     */
    void textColumn(
        String column, String value, Filter.FieldCondition c, UnaryOperator<String> stored) {
      String list =
          value.equals("?")
              ? "?::text[]"
              : "array(select " + value.replace("?", "v") + " from unnest(?::text[]) v)";
      switch (c.op()) {
        case EXISTS -> sql.append('(').append(column).append(" is not null)");
        case NOT_EXISTS -> sql.append('(').append(column).append(" is null)");
        case EQ -> {
          sql.append("coalesce(").append(column).append(" = ").append(value).append(", false)");
          params.add(stored.apply(text(c.value())));
        }
        case NEQ -> {
          sql.append("(not coalesce(")
              .append(column)
              .append(" = ")
              .append(value)
              .append(", false))");
          params.add(stored.apply(text(c.value())));
        }
        case IN, NOT_IN -> {
          sql.append(c.op() == Op.IN ? "coalesce(" : "(not coalesce(");
          sql.append(column).append(" = any(").append(list).append("), false)");
          sql.append(c.op() == Op.IN ? "" : ")");
          params.add(
              Arrays.stream(texts(((Value.ListOf) c.value()).values()))
                  .map(stored)
                  .toArray(String[]::new));
        }
        case CONTAINS, STARTS_WITH, ENDS_WITH ->
            textMatch(column, value, c.op(), stored.apply(text(c.value())));
        default -> throw new IllegalStateException("op " + c.op() + " on a text column");
      }
    }

    void textMatch(String expr, Op op, String value) {
      textMatch(expr, "?", op, value);
    }

    void textMatch(String expr, String param, Op op, String value) {
      switch (op) {
        case CONTAINS ->
            sql.append("coalesce(strpos(")
                .append(expr)
                .append(", ")
                .append(param)
                .append(") > 0, false)");
        case STARTS_WITH ->
            sql.append("coalesce(starts_with(")
                .append(expr)
                .append(", ")
                .append(param)
                .append("), false)");
        default -> {
          sql.append("coalesce(right(")
              .append(expr)
              .append(", char_length(")
              .append(param)
              .append("::text)) = ")
              .append(param)
              .append(", false)");
          params.add(value);
        }
      }
      params.add(value);
    }

    void dateColumn(String column, Filter.FieldCondition c) {
      switch (c.op()) {
        case EXISTS -> sql.append('(').append(column).append(" is not null)");
        case NOT_EXISTS -> sql.append('(').append(column).append(" is null)");
        case NEQ -> {
          sql.append("(not coalesce(").append(column).append(" = ?, false))");
          params.add(time(((Value.Date) c.value()).value().resolve(clock)));
        }
        default -> {
          sql.append("coalesce(")
              .append(column)
              .append(' ')
              .append(sqlOp(c.op()))
              .append(" ?, false)");
          params.add(time(((Value.Date) c.value()).value().resolve(clock)));
        }
      }
    }

    /**
     * {@code growthos_jsonb_text(column #> path) <comparison>}, written so that the path is read
     * once per row for rows that do not match: {@code column #>> path} is the text of a string,
     * number or boolean (and the JSON text of an object or array, which the type test after it
     * rules out, evaluated only for rows whose text compared true). The function form reads the
     * path twice or three times per row (once for its type, once for its text): 1.6 against 4.3
     * times a plain count of the contacts it scans, a million contacts on a loaded machine.
     */
    void scalarText(String column, String comparison, String[] path, Object value) {
      sql.append("((")
          .append(column)
          .append(" #>> ?::text[])")
          .append(comparison)
          .append(" and jsonb_typeof(")
          .append(column)
          .append(" #> ?::text[]) in ('string', 'number', 'boolean'))");
      params.add(path);
      params.add(value);
      params.add(path);
    }

    void jsonValue(String column, Filter.FieldCondition c) {
      String at = "(" + column + " #> ?::text[])";
      String[] path = c.field().path().toArray(String[]::new);
      switch (c.op()) {
        case EXISTS, NOT_EXISTS -> {
          sql.append(c.op() == Op.EXISTS ? "" : "(not ");
          sql.append("coalesce(jsonb_typeof(").append(at).append(") <> 'null', false)");
          sql.append(c.op() == Op.EXISTS ? "" : ")");
          params.add(path);
        }
        case CONTAINS -> {
          sql.append("coalesce(case jsonb_typeof(")
              .append(at)
              .append(") when 'string' then strpos(")
              .append(at)
              .append(" #>> '{}', ?) > 0 when 'array' then ")
              .append(at)
              .append(" @> jsonb_build_array(?::text) else false end, false)");
          String value = text(c.value());
          params.add(path);
          params.add(path);
          params.add(value);
          params.add(path);
          params.add(value);
        }
        case STARTS_WITH, ENDS_WITH -> {
          sql.append("(coalesce(jsonb_typeof(").append(at).append(") = 'string', false) and ");
          params.add(path);
          params.add(path);
          textMatch(at + " #>> '{}'", c.op(), text(c.value()));
          sql.append(')');
        }
        case IN, NOT_IN -> {
          List<Value> values = ((Value.ListOf) c.value()).values();
          List<Value> numbers = values.stream().filter(v -> v instanceof Value.Number).toList();
          List<Value> others = values.stream().filter(v -> !(v instanceof Value.Number)).toList();
          sql.append(c.op() == Op.IN ? "(" : "(not (");
          boolean first = true;
          if (!numbers.isEmpty()) {
            sql.append("coalesce(growthos_jsonb_numeric(")
                .append(at)
                .append(") = any(?::numeric[]), false)");
            params.add(path);
            params.add(
                numbers.stream()
                    .map(v -> ((Value.Number) v).value().toPlainString())
                    .toArray(String[]::new));
            first = false;
          }
          if (!others.isEmpty()) {
            sql.append(first ? "" : " or ");
            sql.append("coalesce(");
            scalarText(column, " = any(?::text[])", path, texts(others));
            sql.append(", false)");
          }
          sql.append(c.op() == Op.IN ? ")" : "))");
        }
        default -> {
          // eq, neq, gt, gte, lt, lte with a number, a text, a boolean or a date
          boolean negate = c.op() == Op.NEQ;
          String op = sqlOp(negate ? Op.EQ : c.op());
          sql.append(negate ? "(not coalesce(" : "coalesce(");
          if (c.value() instanceof Value.Number n) {
            sql.append("growthos_jsonb_numeric(").append(at).append(") ").append(op);
            sql.append(" ?::numeric");
            params.add(path);
            params.add(n.value().toPlainString());
          } else if (c.value() instanceof Value.Date d) {
            sql.append("growthos_jsonb_timestamptz(").append(at).append(") ").append(op);
            sql.append(" ?");
            params.add(path);
            params.add(time(d.value().resolve(clock)));
          } else if (c.op() == Op.EQ || c.op() == Op.NEQ) {
            scalarText(column, " = ?", path, text(c.value()));
          } else {
            sql.append("growthos_jsonb_text(").append(at).append(") ").append(op).append(" ?");
            params.add(path);
            params.add(text(c.value()));
          }
          sql.append(negate ? ", false))" : ", false)");
        }
      }
    }
  }

  private static String sqlOp(Op op) {
    return switch (op) {
      case EQ -> "=";
      case NEQ -> "<>";
      case GT -> ">";
      case GTE -> ">=";
      case LT -> "<";
      case LTE -> "<=";
      default -> throw new IllegalArgumentException(op.name());
    };
  }

  private static String text(Value value) {
    if (value instanceof Value.Text t) {
      return t.value();
    }
    if (value instanceof Value.Bool b) {
      return Boolean.toString(b.value());
    }
    if (value instanceof Value.Number n) {
      return n.value().toPlainString();
    }
    throw new IllegalArgumentException("not a scalar: " + value);
  }

  private static String[] texts(List<Value> values) {
    return values.stream().map(FilterSql::text).toArray(String[]::new);
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
