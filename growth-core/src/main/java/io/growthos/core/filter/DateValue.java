package io.growthos.core.filter;

import io.growthos.model.values.Rfc3339;
import io.growthos.model.values.TimestampRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date in a filter: an RFC 3339 instant ({@code 2026-01-31T12:00:00Z}; a bare {@code 2026-01-31}
 * is midnight UTC) or an offset from now ({@code "-7d"}, {@code "-12h"}, {@code "-2w"}, {@code
 * "+1d"}), resolved when the filter is compiled, so a saved segment keeps moving with time.
 */
public sealed interface DateValue {

  /** The instant this date stands for at {@code clock}'s now. */
  Instant resolve(Clock clock);

  record Absolute(Instant instant) implements DateValue {
    public Absolute {
      Objects.requireNonNull(instant);
    }

    @Override
    public Instant resolve(Clock clock) {
      return instant;
    }
  }

  /**
   * An offset from now. It resolves into {@link TimestampRange}: "-999999w" (19,000 years ago) is
   * before year 1 and would fail in PostgreSQL every time the filter runs, so it stands for the
   * range's first instant, which compares the same with every date stored in the range.
   */
  record Relative(Duration offset) implements DateValue {
    public Relative {
      Objects.requireNonNull(offset);
    }

    @Override
    public Instant resolve(Clock clock) {
      return TimestampRange.fromNow(clock, offset);
    }
  }

  /** {@code 7d}, {@code -7d}, {@code +12h}, {@code 2w}: a sign, a whole number and h, d or w. */
  Pattern DURATION = Pattern.compile("([-+]?)([0-9]{1,6})([hdw])");

  /** Parses an RFC 3339 date or a relative offset; empty when it is neither. */
  static Optional<DateValue> parse(String text) {
    return parse(text, false);
  }

  /**
   * As {@link #parse(String)}; {@code stored}: a date of a filter saved before 2026-12-08, read by
   * Java's wider ISO rule as it was then ({@link FilterParser#parseStored}).
   */
  static Optional<DateValue> parse(String text, boolean stored) {
    Matcher m = DURATION.matcher(text);
    if (m.matches() && !m.group(1).isEmpty()) {
      Duration d = unit(Long.parseLong(m.group(2)), m.group(3));
      return Optional.of(new Relative(m.group(1).equals("-") ? d.negated() : d));
    }
    return (stored ? parseStoredInstant(text) : parseInstant(text)).map(Absolute::new);
  }

  /** A duration {@code 30d}, {@code 12h}, {@code 2w} (no sign); empty when it is not one. */
  static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || !m.group(1).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(unit(Long.parseLong(m.group(2)), m.group(3)));
  }

  private static Duration unit(long n, String unit) {
    return switch (unit) {
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** As {@link #parseInstant}, with Java's wider ISO reader, as filters were saved until then. */
  private static Optional<Instant> parseStoredInstant(String text) {
    Optional<Instant> strict = parseInstant(text);
    if (strict.isPresent()) {
      return strict;
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * RFC 3339 with an offset, read by the Management API's one rule ({@link Rfc3339}: {@code
   * T00:00Z} and {@code 00.Z} were taken here until 2026-12-08), or a bare date (midnight UTC).
   */
  static Optional<Instant> parseInstant(String text) {
    try {
      if (text.length() == 10) {
        return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      return Optional.of(Rfc3339.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
