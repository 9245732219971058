package io.growthos.model.values;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * The one rule for a timestamp a client gives the Management API, in request bodies, query
 * parameters and filter values: an RFC 3339 {@code date-time} with its offset, read strictly.
 * Ingest's event timestamps follow the SDKs' wider rule instead (ingest's {@code Timestamps}).
 */
public final class Rfc3339 {

  private Rfc3339() {}

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

  /**
   * RFC 3339's {@code date-time} (§5.6): seconds required, a fraction has digits, the offset is
   * {@code Z} or {@code ±HH:MM}, upper-case {@code T} and {@code Z}, no leap second. Java's ISO
   * reader is wider ({@code T00:00Z} without seconds, a {@code .} without digits, an offset {@code
   * +00}), which the API took until 2026-12-07 (query parameters and bodies) and 2026-12-08 (filter
   * values) though its messages and docs say RFC 3339. A year beyond four digits keeps ISO's signed
   * form, so that it reaches the range check (400 {@code out_of_range}, {@link TimestampRange}).
   */
  private static final Pattern SHAPE =
      Pattern.compile(
          "(?:\\d{4}|[+-]\\d{4,9})-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2})");

  /**
   * The instant {@code text} names ({@code 24:00} is not a time, February 30 no date).
   *
   * @throws DateTimeParseException when {@code text} is not such a timestamp
   */
  public static Instant parse(String text) {
    if (!SHAPE.matcher(text).matches()) {
      throw new DateTimeParseException("not an RFC 3339 date-time", text, 0);
    }
    return OffsetDateTime.parse(text, FORMAT).toInstant();
  }
}
