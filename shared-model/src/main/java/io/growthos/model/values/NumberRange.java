package io.growthos.model.values;

import io.growthos.model.errors.ErrorDetail;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The one bound on JSON numbers both services accept (event properties and traits at ingest,
 * contact traits and filter values at management): at most {@value #MAX_DIGITS} digits before and
 * after the point. PostgreSQL's {@code numeric} and {@code jsonb} refuse more than 131,072 before
 * (a 500 otherwise), and a 13-byte {@code 1e999999999} would expand to a gigabyte of digits as
 * plain text; the checks here look at a number's precision and scale only, so they never expand it.
 * A number outside the bound is 400 {@code out_of_range} naming the field.
 */
public final class NumberRange {

  /** Digits before, and digits after, the decimal point. */
  public static final int MAX_DIGITS = 1000;

  private NumberRange() {}

  /** True when {@code d} has at most {@link #MAX_DIGITS} digits before and after the point. */
  public static boolean fits(BigDecimal d) {
    // precision - scale is the number of digits before the point (negative for 0.00x), computed
    // in long: a scale near Integer.MIN_VALUE must not overflow into a small number.
    return d.scale() <= MAX_DIGITS && (long) d.precision() - d.scale() <= MAX_DIGITS;
  }

  /**
   * True when {@code number} fits: a JSON number node within {@link #MAX_DIGITS}, or a finite
   * double (a mapper that reads floats as doubles turns {@code 1e999} into infinity). Nodes that
   * are not numbers fit.
   */
  public static boolean fits(JsonNode number) {
    if (number == null || !number.isNumber()) {
      return true;
    }
    if (number.isDouble() || number.isFloat()) {
      return Double.isFinite(number.doubleValue());
    }
    return fits(number.decimalValue());
  }

  /** As {@link #fits(JsonNode)} for a value bound from JSON into Java (maps, lists, numbers). */
  public static boolean fits(Object number) {
    if (number instanceof BigDecimal d) {
      return fits(d);
    }
    if (number instanceof BigInteger i) {
      return fits(new BigDecimal(i));
    }
    if (number instanceof Double d) {
      return Double.isFinite(d);
    }
    if (number instanceof Float f) {
      return Float.isFinite(f);
    }
    return true;
  }

  /** The detail naming {@code field} as a number out of the bound. */
  public static ErrorDetail outOfRange(String field) {
    return ErrorDetail.of(
        field,
        "out_of_range",
        "Field '"
            + field
            + "' is a number with more than "
            + MAX_DIGITS
            + " digits before or after the point.");
  }

  /**
   * Adds a detail to {@code problems} for every number in {@code value} (a JSON document bound to
   * maps, lists and scalars) that does not fit, naming its path below {@code path} ({@code
   * traits.a.b[2]}).
   */
  public static void check(Object value, String path, List<ErrorDetail> problems) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> check(v, path + "." + k, problems));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        check(list.get(i), path + "[" + i + "]", problems);
      }
    } else if (!fits(value)) {
      problems.add(outOfRange(path));
    }
  }
}
