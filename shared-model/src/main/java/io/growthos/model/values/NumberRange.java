package io.growthos.model.values;

import io.growthos.model.errors.ErrorDetail;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one bound on JSON numbers both services accept (event properties and traits at ingest,
 * contact traits and filter values at management): at most {@value #MAX_CHARS} characters when
 * written out in full, as PostgreSQL's {@code jsonb} writes it back (sign, digits and point, no
 * exponent: {@code 1e3} is {@code 1000}). That is the longest number Jackson reads by default
 * ({@link StreamReadConstraints#DEFAULT_MAX_NUM_LEN}), so every reader of what was stored can read
 * it. Until 2026-12-06 the bound was 1,000 digits before and 1,000 after the point: numbers of up
 * to 2,002 characters were stored, an identify with one in its traits was a 500, and the Management
 * API's event and contact lists were a 500 for every page that held one. The checks here look at a
 * number's precision and scale only, so they never expand it ({@code 1e999999999} would be a
 * gigabyte of digits). A number outside the bound is 400 {@code out_of_range} naming the field.
 *
 * <p>What was stored before is still read: readers of stored documents take numbers as long as
 * PostgreSQL's {@code numeric} holds ({@link #STORED_READS}).
 */
public final class NumberRange {

  /** Characters of a number written out in full: sign, digits and point. */
  public static final int MAX_CHARS = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

  /**
   * Read constraints for documents read back from {@code jsonb}: numbers as long as PostgreSQL's
   * {@code numeric} holds (131,072 digits before the point, 16,383 after), so that a number stored
   * under an older bound never makes a read of it fail; and nested as deep as {@link
   * JsonNesting#MAX_STORED_DEPTH}, so that a document stored before bodies were held to {@link
   * JsonNesting#MAX_DEPTH} does not either.
   */
  public static final StreamReadConstraints STORED_READS =
      StreamReadConstraints.builder()
          .maxNumberLength(131_072 + 16_383 + 2)
          .maxNestingDepth(JsonNesting.MAX_STORED_DEPTH)
          .build();

  /**
   * The mapper that reads documents back from {@code jsonb} ({@link #STORED_READS}) and writes them
   * again ({@link JsonNesting#ANSWER_WRITES}: a contact's traits merged by a PATCH are written back
   * whatever depth they were stored with).
   */
  public static final JsonMapper STORED_DOCUMENTS =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(STORED_READS)
                  .streamWriteConstraints(JsonNesting.ANSWER_WRITES)
                  .build())
          .build();

  private NumberRange() {}

  /** True when {@code d} written out in full has at most {@link #MAX_CHARS} characters. */
  public static boolean fits(BigDecimal d) {
    // precision - scale is the number of digits before the point (negative for 0.00x), computed
    // in long: a scale near Integer.MIN_VALUE must not overflow into a small number.
    long scale = d.scale();
    long before = (long) d.precision() - scale;
    if (scale > MAX_CHARS || before > MAX_CHARS) {
      return false;
    }
    long chars = (d.signum() < 0 ? 1 : 0) + Math.max(before, 1) + (scale > 0 ? scale + 1 : 0);
    return chars <= MAX_CHARS;
  }

  /**
   * True when {@code number} fits: a JSON number node within {@link #MAX_CHARS}, or a finite double
   * (a mapper that reads floats as doubles turns {@code 1e999} into infinity). Nodes that are not
   * numbers fit.
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
            + "' is a number longer than "
            + MAX_CHARS
            + " characters written out in full (sign, digits and point).");
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
