package io.growthos.ingest.events;

import io.growthos.model.values.TimestampRange;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * ISO-8601 timestamps as SDKs send them: with an offset or {@code Z} (JavaScript's {@code
 * toISOString}, Python's {@code isoformat}), without one (taken as UTC), or a bare date (midnight
 * UTC). Years are limited to 1-9999, which PostgreSQL stores and every client can render: {@link
 * TimestampRange}, the range the Management API applies to every timestamp it takes.
 *
 * <p>The rule is {@link DateTimeFormatter#ISO_DATE_TIME}'s, then {@link LocalDate#parse}'s. The
 * shape nearly every SDK sends, {@code 2024-05-01T12:00:00.123Z} or with a {@code ±HH:MM} offset,
 * is read by hand first: the formatter cost a third of an event's parsing in {@code bench/run
 * batch}'s profile. Any text the hand-written reader does not recognise, or whose fields are out of
 * range, goes to the formatter, so the two never disagree ({@code TimestampsTests} compares them on
 * generated text).
 */
final class Timestamps {

  private Timestamps() {}

  /**
   * The instant, cut to the microsecond PostgreSQL keeps, or {@code null} when the text is not a
   * timestamp in range. Cut, not rounded: PostgreSQL rounds the digits past the sixth, so .NET's
   * {@code "o"} format ({@code 2026-12-31T23:59:59.9999996Z}, seven digits) was stored as the next
   * year until 2026-12-08 (black-box review U).
   */
  static Instant parse(String text) {
    if (text.length() > 64) {
      return null;
    }
    Instant instant = common(text);
    if (instant == null) {
      instant = withFormatter(text);
    }
    if (instant == null) {
      return null;
    }
    instant = instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return inRange(instant) ? instant : null;
  }

  static boolean inRange(Instant instant) {
    return TimestampRange.contains(instant);
  }

  /** The formatter's reading of {@code text} (any range), or {@code null}. */
  static Instant withFormatter(String text) {
    try {
      TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text.trim());
      if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
        return OffsetDateTime.from(t).toInstant();
      }
      return LocalDateTime.from(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      try {
        return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} followed by {@code Z}, {@code ±HH:MM} or nothing (UTC),
   * with every field in range; {@code null} for any other text, which the formatter then reads.
   */
  static Instant common(String s) {
    int n = s.length();
    if (n < 19
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
        nanos = nanos * 10 + (s.charAt(i) - '0');
        i++;
      }
      int count = i - start;
      if (count == 0 || (i < n && isDigit(s.charAt(i)))) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds = 0;
    if (i < n) {
      char c = s.charAt(i);
      if (c == 'Z' && i + 1 == n) {
        offsetSeconds = 0;
      } else if ((c == '+' || c == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
        int oh = digits(s, i + 1, 2);
        int om = digits(s, i + 4, 2);
        if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om != 0)) {
          return null;
        }
        offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      } else {
        return null;
      }
    }
    if (year == 0 || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The non-negative number in {@code s[from, from + count)}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
