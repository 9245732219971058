package io.growthos.ingest.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * ISO-8601 timestamps as SDKs send them: with an offset or {@code Z} (JavaScript's {@code
 * toISOString}, Python's {@code isoformat}), without one (taken as UTC), or a bare date (midnight
 * UTC). Years are limited to 1-9999, which PostgreSQL stores and every client can render.
 */
final class Timestamps {

  private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Timestamps() {}

  /** The instant, or {@code null} when the text is not a timestamp in range. */
  static Instant parse(String text) {
    if (text.length() > 64) {
      return null;
    }
    Instant instant = null;
    try {
      TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text.trim());
      if (t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
        instant = OffsetDateTime.from(t).toInstant();
      } else {
        instant = LocalDateTime.from(t).toInstant(ZoneOffset.UTC);
      }
    } catch (java.time.DateTimeException e) {
      try {
        instant = LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    return inRange(instant) ? instant : null;
  }

  static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN) && !instant.isAfter(MAX);
  }
}
