package io.growthos.core.campaigns;

import io.growthos.model.errors.ErrorDetail;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field checks campaign settings validators share ({@link CampaignSettings}, {@link
 * SurveySettings}): each collects every problem, named by its JSON path, instead of stopping at the
 * first, and a field that fails its check falls back to its default so later checks still run.
 */
abstract class SettingsValidation {

  final List<ErrorDetail> problems = new ArrayList<>();

  /** {@code node} as an object; null when missing or JSON null; a problem when another type. */
  ObjectNode object(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problem(path, "invalid_type", "'" + path + "' is an object.");
      return null;
    }
    return (ObjectNode) node;
  }

  /** A problem for every field of {@code in} not among {@code names}. */
  void known(ObjectNode in, String path, String... names) {
    if (in == null) {
      return;
    }
    Set<String> allowed = Set.of(names);
    for (String name : in.propertyNames()) {
      if (!allowed.contains(name)) {
        problem(path + "." + name, "unknown_field", "Unknown field '" + name + "'.");
      }
    }
  }

  int integer(ObjectNode in, String path, String name, int min, int max, int dflt) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!isIntegerIn(v, min, max)) {
      problem(
          path + "." + name,
          "out_of_range",
          "'" + name + "' is an integer from " + min + " to " + max + ".");
      return dflt;
    }
    return v.intValue();
  }

  /**
   * Whether {@code v} is a JSON number whose value is an integer from {@code min} to {@code max}.
   * Any integer may arrive, however large: Jackson 3's {@code longValue()} and {@code intValue()}
   * throw for one that does not fit (it was a 500), so the range is checked before the value is
   * read. JSON does not tell {@code 10}, {@code 10.0} and {@code 1e1} apart (RFC 8259 §6: a number
   * is its value), so all three are 10; until 2026-12-07 the last two were refused as {@code
   * out_of_range} although in range.
   */
  static boolean isIntegerIn(JsonNode v, long min, long max) {
    if (v == null || !v.isNumber()) {
      return false;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() && v.longValue() >= min && v.longValue() <= max;
    }
    if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
      return false; // 1e400 read as a double: an integer far out of any range
    }
    BigDecimal d = v.decimalValue();
    return (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0)
        && d.compareTo(BigDecimal.valueOf(min)) >= 0
        && d.compareTo(BigDecimal.valueOf(max)) <= 0;
  }

  boolean bool(ObjectNode in, String path, String name, boolean dflt) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problem(path + "." + name, "invalid_type", "'" + name + "' is true or false.");
      return dflt;
    }
    return v.booleanValue();
  }

  void problem(String field, String reason, String message) {
    problems.add(ErrorDetail.of(field, reason, message));
  }
}
