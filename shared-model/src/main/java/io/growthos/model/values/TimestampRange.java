package io.growthos.model.values;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one range of timestamps a client may send anywhere (query parameters such as {@code
 * created_after}, body fields such as {@code starts_at} or analytics {@code from}, filter values):
 * years 0001 to 9999 UTC, {@value #RANGE}. {@code OffsetDateTime.parse} accepts years up to
 * ±999,999,999, and PostgreSQL refuses what it cannot store (4713 BC to 294276 AD) with an error
 * that would be a 500; an RFC 3339 timestamp has a four-digit year, so every instant of this range
 * leaves as RFC 3339 again. A timestamp outside it is 400 {@code out_of_range} naming the field.
 * Ingest's event timestamps keep to the same range.
 */
public final class TimestampRange {

  /** The first instant accepted. */
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  /** The last instant accepted, to the microsecond PostgreSQL keeps. */
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** The range in words, for messages and docs. */
  public static final String RANGE = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

  private TimestampRange() {}

  /**
   * Now, to the microsecond PostgreSQL keeps: {@code Instant.now()} has nanoseconds here, which
   * PostgreSQL rounds, so a write's answer could show 12:00:00.606 for what every later read shows
   * as 12:00:00.607. Entities stamp their times with this.
   */
  public static Instant now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /** True when {@code t} lies in the range. */
  public static boolean contains(Instant t) {
    return !t.isBefore(MIN) && !t.isAfter(MAX);
  }

  /** {@code t} moved into the range: for instants computed from a client's offset ("-999999w"). */
  public static Instant clamp(Instant t) {
    return t.isBefore(MIN) ? MIN : t.isAfter(MAX) ? MAX : t;
  }

  /** Now, offset by {@code offset} and {@link #clamp clamped}. */
  public static Instant fromNow(Clock clock, Duration offset) {
    return clamp(clock.instant().plus(offset));
  }

  /** The detail naming {@code field} as out of the range. */
  public static ErrorDetail outOfRange(String field) {
    return outOfRange("Field", field);
  }

  private static ErrorDetail outOfRange(String noun, String name) {
    return ErrorDetail.of(
        name,
        "out_of_range",
        noun + " '" + name + "' must be a timestamp from " + RANGE + " (years 0001 to 9999).");
  }

  /**
   * {@code t} when it is null or in the range.
   *
   * @throws ApiException 400 {@code validation_error}, reason {@code out_of_range}, naming {@code
   *     field}
   */
  public static Instant check(Instant t, String field) {
    if (t != null && !contains(t)) {
      throw ApiException.invalid(List.of(outOfRange(field)));
    }
    return t;
  }

  /**
   * A pair of exclusive bounds given as query parameters ({@code after}/{@code before}), each
   * {@link #checkParameter checked}: 400 {@code invalid_range} naming {@code beforeName} when both
   * are given and {@code before} is not after {@code after}, as analytics' {@code from}/{@code to}
   * and a filter's {@code within} answer (until 2026-12-08 such a list was an empty 200).
   */
  public static void checkParameters(
      Instant after, String afterName, Instant before, String beforeName) {
    checkParameter(after, afterName);
    checkParameter(before, beforeName);
    if (after != null && before != null && !before.isAfter(after)) {
      throw ApiException.invalid(
          beforeName,
          "invalid_range",
          "Parameter '" + beforeName + "' must be after '" + afterName + "'.");
    }
  }

  /**
   * {@link #check}, for a query parameter: its message says "Parameter", as every other query
   * parameter's does.
   */
  public static Instant checkParameter(Instant t, String parameter) {
    if (t != null && !contains(t)) {
      throw ApiException.invalid(List.of(outOfRange("Parameter", parameter)));
    }
    return t;
  }
}
