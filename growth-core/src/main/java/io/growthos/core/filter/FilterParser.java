package io.growthos.core.filter;

import io.growthos.model.errors.ApiError;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import io.growthos.model.values.NumberRange;
import io.growthos.model.values.TimestampRange;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON filter tree of SPEC §7 into a {@link Filter}, checking every rule the grammar has:
 * node shapes, known ops and field roots, value types per op and field, dates that are dates, and
 * the limits (depth {@value #MAX_DEPTH}, {@value #MAX_LEAVES} leaves, lists of {@value #MAX_LIST}).
 * It reports the problems it finds (the first {@value ApiError#MAX_DETAILS} and how many more),
 * each with the JSON path of the offending part ({@code filter.all[2].op}), as one {@code 400
 * validation_error}.
 *
 * <p>Every value it accepts can be compiled and run: absolute dates lie in {@link TimestampRange}
 * (PostgreSQL refuses what it cannot store, and a saved segment with such a date failed every time
 * it ran) and numbers in {@link NumberRange}, both refused as {@code out_of_range}. The limits hold
 * for the filter as written; {@link FilterSql} checks them again with referenced segments inlined.
 */
public final class FilterParser {

  /** Nesting levels: the root node is level 1. */
  public static final int MAX_DEPTH = 6;

  /** Conditions in one filter, counting each {@code where} condition of a behaviour leaf. */
  public static final int MAX_LEAVES = 50;

  /** Values in one {@code in}/{@code not_in} list. */
  public static final int MAX_LIST = 1000;

  /** Longest trait or property path, in segments. */
  public static final int MAX_PATH = 10;

  private static final Set<String> LEAF_KEYS = Set.of("field", "op", "value");
  private static final Set<String> PERFORMED_KEYS = Set.of("performed", "count", "within", "where");
  private static final Map<String, FieldRef.Kind> COLUMNS =
      Map.of(
          "email", FieldRef.Kind.EMAIL,
          "user_id", FieldRef.Kind.USER_ID,
          "created_at", FieldRef.Kind.CREATED_AT,
          "first_seen_at", FieldRef.Kind.FIRST_SEEN_AT,
          "last_seen_at", FieldRef.Kind.LAST_SEEN_AT);

  private final List<ErrorDetail> errors = new ArrayList<>();
  private long omitted;
  private int leaves;

  /** Whether dates are read by Java's wider ISO rule, as filters were saved until 2026-12-08. */
  private final boolean storedDates;

  private FilterParser(boolean storedDates) {
    this.storedDates = storedDates;
  }

  /**
   * Parses a filter a request gives.
   *
   * @param json the filter node
   * @param path the JSON path of {@code json} in the request, used in error details ({@code
   *     filter})
   * @throws ApiException 400 {@code validation_error} listing every problem found
   */
  public static Filter parse(JsonNode json, String path) {
    return parse(json, path, false);
  }

  /**
   * Parses a filter as stored (a segment's, a campaign's audience): as {@link #parse}, except that
   * a date saved before the Management API read filter dates as strict RFC 3339 (2026-12-08: {@code
   * 2026-06-01T00:00Z}, {@code …00.Z}, lower-case {@code t}/{@code z}, offset {@code +00}) still
   * means what it meant, so that no saved segment or audience stops running.
   */
  public static Filter parseStored(JsonNode json, String path) {
    return parse(json, path, true);
  }

  private static Filter parse(JsonNode json, String path, boolean storedDates) {
    FilterParser parser = new FilterParser(storedDates);
    Filter filter = parser.node(json, path, 1);
    if (parser.leaves > MAX_LEAVES) {
      parser.error(
          path,
          "too_many_conditions",
          "A filter may have at most "
              + MAX_LEAVES
              + " conditions; this one has "
              + parser.leaves
              + ".");
    }
    parser.throwIfErrors();
    return filter;
  }

  /**
   * Parses a list of event property conditions ({@code [{"field": "properties.plan", "op": "eq",
   * "value": "pro"}]}), as in a behaviour leaf's {@code where}; for other features that filter
   * events (analytics series and funnel steps). A null or missing node is an empty list.
   */
  public static List<Filter.FieldCondition> parsePropertyConditions(JsonNode json, String path) {
    return parsePropertyConditions(json, path, false);
  }

  /**
   * As {@link #parsePropertyConditions(JsonNode, String)}, for conditions as stored (a referral
   * program's qualifying event, a social proof feed's source): dates saved before 2026-12-08 in
   * Java's wider ISO form still mean what they meant ({@link #parseStored}).
   */
  public static List<Filter.FieldCondition> parseStoredPropertyConditions(
      JsonNode json, String path) {
    return parsePropertyConditions(json, path, true);
  }

  private static List<Filter.FieldCondition> parsePropertyConditions(
      JsonNode json, String path, boolean storedDates) {
    FilterParser parser = new FilterParser(storedDates);
    List<Filter.FieldCondition> where = parser.where(json, path);
    if (parser.leaves > MAX_LEAVES) {
      parser.error(path, "too_many_conditions", "At most " + MAX_LEAVES + " conditions.");
    }
    parser.throwIfErrors();
    return where;
  }

  private void throwIfErrors() {
    if (errors.isEmpty()) {
      return;
    }
    if (omitted == 0) {
      throw ApiException.invalid(errors);
    }
    // Only the first problems are kept (a 400 KB filter can hold 200,000): the response lists no
    // more anyway (ApiError), and the others would only take memory.
    List<ErrorDetail> details = new ArrayList<>(errors);
    details.add(ApiError.omitted(omitted));
    throw new ApiException(
        ErrorCode.VALIDATION_ERROR,
        "The filter has " + (errors.size() + omitted) + " problems; see details.",
        details);
  }

  private void error(String field, String reason, String message) {
    if (errors.size() < ApiError.MAX_DETAILS) {
      errors.add(ErrorDetail.of(field, reason, message));
    } else {
      omitted++;
    }
  }

  // A placeholder for parts that failed; never returned because errors are thrown first.
  private static final Filter INVALID = new Filter.All(List.of());

  private Filter node(JsonNode json, String path, int depth) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      error(path, "required", "A filter node is required here.");
      return INVALID;
    }
    if (!json.isObject()) {
      error(path, "invalid_type", "A filter node must be a JSON object.");
      return INVALID;
    }
    if (depth > MAX_DEPTH) {
      error(path, "too_deep", "Filters may nest at most " + MAX_DEPTH + " levels deep.");
      return INVALID;
    }
    if (json.has("all") || json.has("any")) {
      String key = json.has("all") ? "all" : "any";
      onlyKeys(json, path, Set.of(key));
      JsonNode list = json.get(key);
      if (!list.isArray()) {
        error(path + "." + key, "invalid_type", "'" + key + "' must be an array of filters.");
        return INVALID;
      }
      if (list.size() > MAX_LEAVES) {
        // Checked before walking it: each child is at least one condition or an empty list.
        error(
            path,
            "too_many_conditions",
            "'"
                + key
                + "' holds at most "
                + MAX_LEAVES
                + " filters; this one has "
                + list.size()
                + ".");
        return INVALID;
      }
      List<Filter> children = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        children.add(node(list.get(i), path + "." + key + "[" + i + "]", depth + 1));
      }
      return key.equals("all") ? new Filter.All(children) : new Filter.Any(children);
    }
    if (json.has("not")) {
      onlyKeys(json, path, Set.of("not"));
      return new Filter.Not(node(json.get("not"), path + ".not", depth + 1));
    }
    if (json.has("performed")) {
      onlyKeys(json, path, PERFORMED_KEYS);
      return performed(json, path);
    }
    if (json.has("segment")) {
      onlyKeys(json, path, Set.of("segment"));
      leaves++;
      return new Filter.SegmentRef(id(json.get("segment"), path + ".segment", "segment"));
    }
    if (json.has("group")) {
      onlyKeys(json, path, Set.of("group"));
      leaves++;
      return new Filter.GroupRef(id(json.get("group"), path + ".group", "group"));
    }
    if (json.has("field") || json.has("op")) {
      onlyKeys(json, path, LEAF_KEYS);
      return condition(json, path, false);
    }
    error(
        path,
        "unknown_node",
        "A filter node has one of the keys all, any, not, field, performed, segment or group.");
    return INVALID;
  }

  private void onlyKeys(JsonNode json, String path, Set<String> allowed) {
    for (String name : json.propertyNames()) {
      if (!allowed.contains(name)) {
        error(
            path + "." + name,
            "unknown_field",
            "Unknown key '"
                + name
                + "' here; allowed: "
                + String.join(", ", sorted(allowed))
                + ".");
      }
    }
  }

  private static List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }

  private String id(JsonNode node, String path, String what) {
    if (node == null || !node.isString() || node.stringValue().isBlank()) {
      error(path, "invalid_type", "'" + what + "' must be a non-empty string id.");
      return "";
    }
    if (node.stringValue().length() > 255) {
      error(path, "too_long", "'" + what + "' is at most 255 characters.");
    }
    return node.stringValue();
  }

  private Filter.Performed performed(JsonNode json, String path) {
    leaves++;
    String event = "";
    JsonNode name = json.get("performed");
    if (!name.isString() || name.stringValue().isEmpty()) {
      error(path + ".performed", "invalid_type", "'performed' must be an event name.");
    } else if (!EventNames.fits(name.stringValue())) {
      error(
          path + ".performed",
          "too_long",
          "An event name is at most " + EventNames.MAX_CHARS + " characters.");
    } else {
      event = name.stringValue();
    }
    Filter.Count count = Filter.Count.AT_LEAST_ONCE;
    if (json.has("count")) {
      count = count(json.get("count"), path + ".count");
    }
    Filter.Window within = null;
    if (json.has("within")) {
      within = window(json.get("within"), path + ".within");
    }
    List<Filter.FieldCondition> where = where(json.get("where"), path + ".where");
    return new Filter.Performed(event, count, within, where);
  }

  private Filter.Count count(JsonNode json, String path) {
    if (!json.isObject() || json.size() != 1) {
      error(path, "invalid_type", "'count' is an object with one op, e.g. {\"gte\": 3}.");
      return Filter.Count.AT_LEAST_ONCE;
    }
    String name = json.propertyNames().iterator().next();
    Optional<Op> op = Op.fromJson(name).filter(Op::countable);
    JsonNode n = json.get(name);
    if (op.isEmpty()) {
      error(path + "." + name, "unknown_op", "A count takes eq, neq, gt, gte, lt or lte.");
      return Filter.Count.AT_LEAST_ONCE;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      error(path + "." + name, "invalid_value", "A count is a whole number of 0 or more.");
      return Filter.Count.AT_LEAST_ONCE;
    }
    if (n.longValue() > 1_000_000) {
      error(path + "." + name, "invalid_value", "A count is at most 1000000.");
      return Filter.Count.AT_LEAST_ONCE;
    }
    return new Filter.Count(op.get(), n.longValue());
  }

  private Filter.Window window(JsonNode json, String path) {
    if (json.isString()) {
      Optional<Duration> d = DateValue.parseDuration(json.stringValue());
      if (d.isEmpty()) {
        error(path, "invalid_value", "'within' is a duration such as \"30d\", \"12h\" or \"2w\".");
        return null;
      }
      if (d.get().isZero()) {
        // As analytics' "window": a window of no time matches nothing.
        error(path, "invalid_value", "'within' is at least 1h (\"30d\", \"12h\", \"2w\").");
        return null;
      }
      // Back from now, up to now: an event stamped ahead (a fast device clock) has not happened in
      // the last 30 days. Until 2026-12-08 the window had no end (black-box review U).
      return new Filter.Window(
          new DateValue.Relative(d.get().negated()), new DateValue.Relative(Duration.ZERO));
    }
    if (json.isObject()) {
      onlyKeys(json, path, Set.of("from", "to"));
      DateValue from = json.has("from") ? date(json.get("from"), path + ".from") : null;
      DateValue to = json.has("to") ? date(json.get("to"), path + ".to") : null;
      if (from == null && to == null && errors.isEmpty()) {
        error(path, "required", "'within' needs 'from', 'to' or both.");
      }
      if (from != null && to != null && !before(from, to)) {
        // As analytics' from/to: 'from' is inclusive, 'to' exclusive, so they cannot meet.
        error(path + ".to", "invalid_range", "'to' must be after 'from'.");
      }
      return new Filter.Window(from, to);
    }
    error(path, "invalid_type", "'within' is a duration (\"30d\") or {\"from\": …, \"to\": …}.");
    return null;
  }

  /**
   * Whether {@code from} comes before {@code to} whenever the filter runs: two dates of one kind
   * always compare the same. An absolute and a relative date compare differently as time passes
   * (the window of {"from": "2026-01-01", "to": "-1d"} only grows), so they are taken as given.
   */
  private static boolean before(DateValue from, DateValue to) {
    if (from instanceof DateValue.Absolute a && to instanceof DateValue.Absolute b) {
      return a.instant().isBefore(b.instant());
    }
    if (from instanceof DateValue.Relative a && to instanceof DateValue.Relative b) {
      return a.offset().compareTo(b.offset()) < 0;
    }
    return true;
  }

  private DateValue date(JsonNode json, String path) {
    if (json.isNumber()) {
      error(path, "type_mismatch", "A date cannot be compared with a number.");
      return null;
    }
    if (!json.isString()) {
      error(path, "invalid_type", "A date is an RFC 3339 string or relative such as \"-7d\".");
      return null;
    }
    Optional<DateValue> d = DateValue.parse(json.stringValue(), storedDates);
    if (d.isEmpty()) {
      error(path, "invalid_value", "A date is an RFC 3339 string or relative such as \"-7d\".");
      return null;
    }
    return inRange(d.get(), path);
  }

  /**
   * {@code d}, or null with an error when it is an absolute date outside {@link TimestampRange}.
   */
  private DateValue inRange(DateValue d, String path) {
    if (d instanceof DateValue.Absolute a && !TimestampRange.contains(a.instant())) {
      errors(TimestampRange.outOfRange(path));
      return null;
    }
    return d;
  }

  private void errors(ErrorDetail detail) {
    error(detail.field(), detail.reason(), detail.message());
  }

  private List<Filter.FieldCondition> where(JsonNode json, String path) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return List.of();
    }
    if (!json.isArray()) {
      error(path, "invalid_type", "'where' is an array of property conditions.");
      return List.of();
    }
    if (json.size() > MAX_LEAVES) {
      error(path, "too_many_conditions", "'where' holds at most " + MAX_LEAVES + " conditions.");
      return List.of();
    }
    List<Filter.FieldCondition> conditions = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode c = json.get(i);
      if (!c.isObject()) {
        error(p, "invalid_type", "A property condition is an object {field, op, value}.");
        continue;
      }
      onlyKeys(c, p, LEAF_KEYS);
      conditions.add(condition(c, p, true));
    }
    return conditions;
  }

  private Filter.FieldCondition condition(JsonNode json, String path, boolean property) {
    leaves++;
    FieldRef field = field(json.get("field"), path + ".field", property);
    JsonNode opNode = json.get("op");
    Op op = null;
    if (opNode == null || opNode.isNull()) {
      error(path + ".op", "required", "'op' is required.");
    } else if (!opNode.isString() || Op.fromJson(opNode.stringValue()).isEmpty()) {
      error(
          path + ".op",
          "unknown_op",
          "Unknown op; use eq, neq, gt, gte, lt, lte, in, not_in, contains, starts_with,"
              + " ends_with, exists or not_exists.");
    } else {
      op = Op.fromJson(opNode.stringValue()).get();
    }
    if (field == null || op == null) {
      return new Filter.FieldCondition(
          new FieldRef("", FieldRef.Kind.TRAIT, List.of()), Op.EXISTS, null);
    }
    Value value = value(field, op, json.get("value"), path + ".value");
    return new Filter.FieldCondition(field, op, value);
  }

  private FieldRef field(JsonNode json, String path, boolean property) {
    if (json == null || json.isNull()) {
      error(path, "required", "'field' is required.");
      return null;
    }
    if (!json.isString()) {
      error(path, "invalid_type", "'field' is a string such as \"email\" or \"traits.plan\".");
      return null;
    }
    String name = json.stringValue();
    String root = property ? "properties" : "traits";
    if (!property && COLUMNS.containsKey(name)) {
      return new FieldRef(name, COLUMNS.get(name), List.of());
    }
    if (name.startsWith(root + ".")) {
      List<String> segments = List.of(name.substring(root.length() + 1).split("\\.", -1));
      if (segments.stream().anyMatch(String::isEmpty)) {
        error(path, "invalid_value", "A " + root + " path has no empty segments.");
        return null;
      }
      if (segments.size() > MAX_PATH) {
        error(path, "invalid_value", "A " + root + " path has at most " + MAX_PATH + " segments.");
        return null;
      }
      if (name.length() > 255) {
        error(path, "too_long", "A field is at most 255 characters.");
        return null;
      }
      return new FieldRef(name, property ? FieldRef.Kind.PROPERTY : FieldRef.Kind.TRAIT, segments);
    }
    error(
        path,
        "unknown_field",
        property
            ? "A property condition's field is \"properties.<path>\"."
            : "Unknown field; use email, user_id, created_at, first_seen_at, last_seen_at or"
                + " traits.<path>.");
    return null;
  }

  private Value value(FieldRef field, Op op, JsonNode json, String path) {
    boolean absent = json == null || json.isMissingNode();
    if (op.unary()) {
      if (!absent) {
        error(path, "unknown_field", "'" + op.json() + "' takes no value.");
      }
      return null;
    }
    if (absent || json.isNull()) {
      error(
          path, "required", "'" + op.json() + "' needs a value (use exists/not_exists for null).");
      return null;
    }
    FieldRef.Type type = field.kind().type();
    if (type == FieldRef.Type.DATE) {
      if (op.list() || op.textMatch()) {
        error(
            path.replace(".value", ".op"),
            "unknown_op",
            "A date field takes eq, neq, gt, gte, lt, lte, exists or not_exists.");
        return null;
      }
      DateValue d = date(json, path);
      return d == null ? null : new Value.Date(d);
    }
    if (op.list()) {
      if (!json.isArray() || json.isEmpty()) {
        error(path, "invalid_type", "'" + op.json() + "' takes a non-empty array.");
        return null;
      }
      if (json.size() > MAX_LIST) {
        error(path, "too_long", "A list has at most " + MAX_LIST + " values.");
        return null;
      }
      List<Value> values = new ArrayList<>();
      for (int i = 0; i < json.size(); i++) {
        Value v = scalar(field, json.get(i), path + "[" + i + "]");
        if (v != null) {
          values.add(v);
        }
      }
      return new Value.ListOf(values);
    }
    if (op.textMatch()) {
      if (!json.isString()) {
        error(path, "invalid_type", "'" + op.json() + "' takes a string.");
        return null;
      }
      return new Value.Text(json.stringValue());
    }
    if (op.ordering()) {
      if (type == FieldRef.Type.TEXT) {
        error(
            path.replace(".value", ".op"),
            "unknown_op",
            "'"
                + field.name()
                + "' takes eq, neq, in, not_in, contains, starts_with, ends_with,"
                + " exists or not_exists.");
        return null;
      }
      if (json.isNumber()) {
        BigDecimal n = number(json, path);
        return n == null ? null : new Value.Number(n);
      }
      if (json.isString()) {
        Optional<DateValue> d = DateValue.parse(json.stringValue(), storedDates);
        if (d.isPresent()) {
          DateValue date = inRange(d.get(), path);
          return date == null ? null : new Value.Date(date);
        }
      }
      error(path, "invalid_type", "'" + op.json() + "' takes a number or a date.");
      return null;
    }
    return scalar(field, json, path);
  }

  private Value scalar(FieldRef field, JsonNode json, String path) {
    if (field.kind().type() == FieldRef.Type.TEXT) {
      if (!json.isString()) {
        error(path, "invalid_type", "'" + field.name() + "' is compared with strings.");
        return null;
      }
      return new Value.Text(json.stringValue());
    }
    if (json.isString()) {
      return new Value.Text(json.stringValue());
    }
    if (json.isNumber()) {
      BigDecimal n = number(json, path);
      return n == null ? null : new Value.Number(n);
    }
    if (json.isBoolean()) {
      return new Value.Bool(json.booleanValue());
    }
    error(path, "invalid_type", "A value is a string, a number or a boolean.");
    return null;
  }

  /**
   * The number, or null with an error when it is outside {@link NumberRange}; checked on its
   * precision and scale before anything spells it out ({@code 1e999999999} is 13 bytes).
   */
  private BigDecimal number(JsonNode json, String path) {
    if (!NumberRange.fits(json)) {
      errors(NumberRange.outOfRange(path));
      return null;
    }
    if (json.isDouble() || json.isFloat()) {
      return BigDecimal.valueOf(json.doubleValue());
    }
    return json.decimalValue();
  }
}
