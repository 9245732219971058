package io.growthos.management.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bucket boundaries on a time zone's calendar, computed here rather than in SQL so that daylight
 * saving is handled once and exactly: a day bucket runs from one local midnight to the next (23 or
 * 25 hours on a change day), a week from Monday 00:00 to Monday 00:00, a month from the first to
 * the first; hour buckets are consecutive hours of the instant time line aligned to local hour
 * starts, so the repeated hour of an autumn change is two buckets and the skipped spring hour none
 * (see {@link #hourStart} for changes of half an hour). SQL assigns events to buckets with {@code
 * width_bucket(timestamp, bounds)}.
 */
final class Buckets {

  /** Bucket widths. */
  enum Interval {
    HOUR,
    DAY,
    WEEK,
    MONTH;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private Buckets() {}

  /** The start of the bucket that contains {@code instant}. */
  static ZonedDateTime floor(Instant instant, ZoneId zone, Interval interval) {
    ZonedDateTime t = instant.atZone(zone);
    return switch (interval) {
      case HOUR -> hourStart(instant, zone);
      case DAY -> t.toLocalDate().atStartOfDay(zone);
      case WEEK ->
          t.toLocalDate()
              .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
              .atStartOfDay(zone);
      case MONTH -> LocalDate.of(t.getYear(), t.getMonth(), 1).atStartOfDay(zone);
    };
  }

  /** The start of the bucket after the one starting at {@code start}. */
  static ZonedDateTime next(ZonedDateTime start, Interval interval) {
    ZoneId zone = start.getZone();
    return switch (interval) {
      case HOUR -> nextHourStart(start);
      case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(zone);
      case WEEK -> start.toLocalDate().plusWeeks(1).atStartOfDay(zone);
      case MONTH -> start.toLocalDate().plusMonths(1).atStartOfDay(zone);
    };
  }

  /**
   * The last instant at or before {@code t} at which the local clock shows a whole hour. In a
   * repeated hour (an autumn change) that is the start of the repetition {@code t} is in, so the
   * two are distinct buckets; a skipped hour has none. Where a change moves the clock by half an
   * hour (Australia/Lord_Howe) the local hour holding it lasts 90 minutes, and hours keep starting
   * at local whole hours after it (adding an hour of real time to the previous start, as this did
   * before, put every later bucket of the query at half past the local hour).
   */
  static ZonedDateTime hourStart(Instant t, ZoneId zone) {
    LocalDateTime hour = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.HOURS);
    // At most a few hours back: the local hour of t itself may have been skipped.
    for (int i = 0; i < 4; i++, hour = hour.minusHours(1)) {
      Instant best = null;
      for (ZoneOffset offset : zone.getRules().getValidOffsets(hour)) {
        Instant s = hour.toInstant(offset);
        if (!s.isAfter(t) && (best == null || s.isAfter(best))) {
          best = s;
        }
      }
      if (best != null) {
        return best.atZone(zone);
      }
    }
    throw new IllegalStateException("no local hour start before " + t + " in " + zone);
  }

  /**
   * The next local hour start after {@code start}: walks the time line in quarter hours (no hour
   * bucket is shorter than half an hour) until the hour start at or before it is a later one.
   */
  private static ZonedDateTime nextHourStart(ZonedDateTime start) {
    Instant u = start.toInstant();
    while (true) {
      u = u.plus(Duration.ofMinutes(15));
      ZonedDateTime s = hourStart(u, start.getZone());
      if (s.toInstant().isAfter(start.toInstant())) {
        return s;
      }
    }
  }

  /**
   * Boundaries of the buckets that cover {@code [from, to)}: the first is the start of the bucket
   * holding {@code from}, the last the end of the bucket holding the last instant before {@code
   * to}. {@code n} buckets have {@code n + 1} boundaries. Stops early (returning more than {@code
   * max + 1}) once there are more than {@code max} buckets.
   */
  static List<Instant> covering(Instant from, Instant to, ZoneId zone, Interval interval, int max) {
    List<Instant> bounds = new ArrayList<>();
    ZonedDateTime t = floor(from, zone, interval);
    bounds.add(t.toInstant());
    while (t.toInstant().isBefore(to)) {
      t = next(t, interval);
      bounds.add(t.toInstant());
      if (bounds.size() - 1 > max) {
        break;
      }
    }
    return bounds;
  }

  /**
   * {@code count + 1} boundaries of {@code count} buckets starting at the one holding {@code from}.
   */
  static List<Instant> starting(Instant from, ZoneId zone, Interval interval, int count) {
    List<Instant> bounds = new ArrayList<>(count + 1);
    ZonedDateTime t = floor(from, zone, interval);
    bounds.add(t.toInstant());
    for (int i = 0; i < count; i++) {
      t = next(t, interval);
      bounds.add(t.toInstant());
    }
    return bounds;
  }
}
