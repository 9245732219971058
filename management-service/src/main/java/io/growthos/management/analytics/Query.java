package io.growthos.management.analytics;

import io.growthos.core.filter.Filter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** A validated analytics query: what {@link QueryParser} makes of a request. */
sealed interface Query {

  /** Time range and calendar shared by every kind. */
  record Range(Instant from, Instant to, ZoneId zone) {}

  /** How numbers of a trend series are computed. */
  enum Math {
    COUNT,
    UNIQUE_CONTACTS,
    SUM,
    AVG,
    MIN,
    MAX,
    P50,
    P90,
    P99;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean numeric() {
      return this != COUNT && this != UNIQUE_CONTACTS;
    }
  }

  /** A path into a jsonb document ({@code properties} or {@code traits}), as its keys. */
  record JsonPath(String root, List<String> keys) {
    String wire() {
      return root + "." + String.join(".", keys);
    }
  }

  record Series(String event, Math math, JsonPath property, List<Filter.FieldCondition> where) {}

  record Step(String event, List<Filter.FieldCondition> where) {}

  /** Split by an event property ({@code root} properties) or a contact trait (traits). */
  record Breakdown(JsonPath path, int limit) {
    boolean byTrait() {
      return path.root().equals("traits");
    }
  }

  /** {@code filter}: the contact filter, null for none. */
  record Trends(
      Range range,
      Buckets.Interval interval,
      List<Series> series,
      Breakdown breakdown,
      Filter filter)
      implements Query {}

  record Funnel(
      Range range,
      List<Step> steps,
      Duration window,
      String windowText,
      Breakdown breakdown,
      Filter filter)
      implements Query {}

  record Retention(
      Range range,
      Buckets.Interval interval,
      String startEvent,
      String returnEvent,
      int periods,
      Filter filter)
      implements Query {}

  record Counts(Range range) implements Query {}
}
