package io.growthos.management.analytics;

import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import io.growthos.management.analytics.AnalyticsQueryRequest.BreakdownRequest;
import io.growthos.management.analytics.AnalyticsQueryRequest.ConditionRequest;
import io.growthos.management.analytics.AnalyticsQueryRequest.SeriesRequest;
import io.growthos.management.analytics.AnalyticsQueryRequest.StepRequest;
import io.growthos.management.analytics.Query.Breakdown;
import io.growthos.management.analytics.Query.JsonPath;
import io.growthos.management.analytics.Query.Range;
import io.growthos.management.settings.SettingsService;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import io.growthos.model.values.TimestampRange;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a request into a {@link Query}, collecting every problem as a 400 detail that names the
 * field by its JSON path ({@code series[1].property}). Limits: 10 series, 366 buckets, 2–10 funnel
 * steps, a window of at most 365 days, 52 retention periods, {@value
 * io.growthos.core.filter.FilterParser#MAX_LEAVES} conditions per series or step, 1,000 values in
 * an {@code in} list, breakdown limit 1–50.
 */
final class QueryParser {

  static final int MAX_SERIES = 10;
  static final int MAX_BUCKETS = 366;
  static final int MAX_PERIODS = 52;
  static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  static final Duration MAX_WINDOW = Duration.ofDays(365);

  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,5})([mhdw])");
  private static final Pattern KEY = Pattern.compile("[^.]{1,200}");

  private final List<ErrorDetail> errors = new ArrayList<>();
  private final AnalyticsQueryRequest r;
  private final Supplier<String> workspaceZone;
  private final Instant now;
  private final JsonMapper json;

  private QueryParser(
      AnalyticsQueryRequest r, Supplier<String> workspaceZone, Instant now, JsonMapper json) {
    this.r = r;
    this.workspaceZone = workspaceZone;
    this.now = now;
    this.json = json;
  }

  /** The query, or a 400 listing every invalid field. */
  static Query parse(
      AnalyticsQueryRequest request, Supplier<String> workspaceZone, Instant now, JsonMapper json) {
    QueryParser p = new QueryParser(request, workspaceZone, now, json);
    Query q = p.query();
    if (!p.errors.isEmpty() || q == null) {
      throw ApiException.invalid(p.errors);
    }
    return q;
  }

  private void error(String field, String reason, String message) {
    errors.add(ErrorDetail.of(field, reason, message));
  }

  private Query query() {
    if (r.kind() == null) {
      error("kind", "required", "Field 'kind' is required: trends, funnel, retention or counts.");
      return null;
    }
    switch (r.kind()) {
      case "trends" -> {
        notAllowed(
            "trends",
            Map.of(
                "steps", r.steps() != null,
                "window", r.window() != null,
                "start_event", r.startEvent() != null,
                "return_event", r.returnEvent() != null,
                "periods", r.periods() != null));
        return trends();
      }
      case "funnel" -> {
        notAllowed(
            "funnel",
            Map.of(
                "series", r.series() != null,
                "interval", r.interval() != null,
                "start_event", r.startEvent() != null,
                "return_event", r.returnEvent() != null,
                "periods", r.periods() != null));
        return funnel();
      }
      case "retention" -> {
        notAllowed(
            "retention",
            Map.of(
                "series", r.series() != null,
                "steps", r.steps() != null,
                "window", r.window() != null,
                "breakdown", r.breakdown() != null));
        return retention();
      }
      case "counts" -> {
        notAllowed(
            "counts",
            Map.of(
                "series", r.series() != null,
                "steps", r.steps() != null,
                "window", r.window() != null,
                "interval", r.interval() != null,
                "breakdown", r.breakdown() != null,
                "filter", r.filter() != null,
                "start_event", r.startEvent() != null,
                "return_event", r.returnEvent() != null,
                "periods", r.periods() != null));
        Range range = range();
        return range == null ? null : new Query.Counts(range);
      }
      default -> {
        error(
            "kind",
            "invalid_value",
            "Field 'kind' must be one of: trends, funnel, retention, counts.");
        return null;
      }
    }
  }

  private void notAllowed(String kind, Map<String, Boolean> present) {
    present.entrySet().stream()
        .filter(Map.Entry::getValue)
        .map(Map.Entry::getKey)
        .sorted()
        .forEach(
            f ->
                error(
                    f,
                    "not_allowed",
                    "Field '" + f + "' does not apply to a query of kind '" + kind + "'."));
  }

  private Range range() {
    boolean outOfRange = false;
    if (r.from() != null && !TimestampRange.contains(r.from())) {
      errors.add(TimestampRange.outOfRange("from"));
      outOfRange = true;
    }
    if (r.to() != null && !TimestampRange.contains(r.to())) {
      errors.add(TimestampRange.outOfRange("to"));
      outOfRange = true;
    }
    if (outOfRange) {
      return null;
    }
    // To the millisecond, as every timestamp a response shows (SPEC §2): the range counted is
    // the range the result states. Until 2026-12-07 digits below the millisecond were counted
    // and not shown, so two results stating one range could count different events.
    Instant to = (r.to() == null ? now : r.to()).truncatedTo(ChronoUnit.MILLIS);
    // The default range stops at year 0001, the first instant a response may show.
    Instant from =
        r.from() == null
            ? TimestampRange.clamp(to.minus(DEFAULT_RANGE))
            : r.from().truncatedTo(ChronoUnit.MILLIS);
    if (!from.isBefore(to)) {
      if (r.to() == null) {
        // The client sent 'from' only: it is the field to change.
        error(
            "from",
            "invalid_range",
            "Field 'from' must be before 'to', which is now when it is not given.");
      } else {
        error("to", "invalid_range", "Field 'to' must be after 'from'.");
      }
    }
    String zone;
    try {
      zone = SettingsService.checkZone(r.timezone() == null ? workspaceZone.get() : r.timezone());
    } catch (ApiException e) {
      errors.addAll(e.details());
      return null;
    }
    return new Range(from, to, ZoneId.of(zone));
  }

  private Buckets.Interval interval(Buckets.Interval dflt, Set<Buckets.Interval> allowed) {
    if (r.interval() == null) {
      return dflt;
    }
    for (Buckets.Interval i : allowed) {
      if (i.wireName().equals(r.interval())) {
        return i;
      }
    }
    error(
        "interval",
        "invalid_value",
        "Field 'interval' must be one of: "
            + String.join(
                ", ",
                Arrays.stream(Buckets.Interval.values())
                    .filter(allowed::contains)
                    .map(Buckets.Interval::wireName)
                    .toList())
            + ".");
    return null;
  }

  /** Checks the bucket count; the covered range itself is computed again where it is used. */
  private void checkBuckets(Range range, Buckets.Interval interval, int extra) {
    if (range == null || interval == null || !range.from().isBefore(range.to())) {
      return;
    }
    List<Instant> bounds =
        Buckets.covering(range.from(), range.to(), range.zone(), interval, MAX_BUCKETS);
    if (bounds.size() - 1 + extra <= MAX_BUCKETS) {
      // Every bucket the response shows lies in the range of timestamps, so that it leaves as RFC
      // 3339 (a week bucket holding 9999-12-31 would end in year 10000).
      ZonedDateTime last = bounds.get(bounds.size() - 1).atZone(range.zone());
      for (int i = 0; i < extra; i++) {
        last = Buckets.next(last, interval);
      }
      if (!TimestampRange.contains(bounds.get(0))) {
        error(
            "from",
            "out_of_range",
            "The first bucket of interval '"
                + interval.wireName()
                + "' would start before "
                + TimestampRange.MIN
                + "; move 'from' later.");
      }
      if (!TimestampRange.contains(last.toInstant())) {
        error(
            "to",
            "out_of_range",
            "The last bucket of interval '"
                + interval.wireName()
                + "' would end after "
                + TimestampRange.MAX
                + "; move 'to' earlier or use a shorter interval.");
      }
    } else {
      error(
          "from",
          "too_many_buckets",
          "The range from 'from' to 'to' spans more than "
              + MAX_BUCKETS
              + " buckets of interval '"
              + interval.wireName()
              + "'"
              + (extra > 0 ? " (with the retention periods)" : "")
              + "; narrow it or use a wider interval.");
    }
  }

  private Query trends() {
    Range range = range();
    Buckets.Interval interval = interval(Buckets.Interval.DAY, Set.of(Buckets.Interval.values()));
    checkBuckets(range, interval, 0);
    List<Query.Series> series = new ArrayList<>();
    if (r.series() == null || r.series().isEmpty()) {
      error("series", "required", "Field 'series' needs 1 to " + MAX_SERIES + " series.");
    } else if (r.series().size() > MAX_SERIES) {
      error("series", "too_many", "Field 'series' takes at most " + MAX_SERIES + " series.");
    } else {
      for (int i = 0; i < r.series().size(); i++) {
        series.add(series(r.series().get(i), "series[" + i + "]"));
      }
    }
    Breakdown breakdown = breakdown();
    Filter filter = filter();
    return errors.isEmpty()
        ? new Query.Trends(range, interval, List.copyOf(series), breakdown, filter)
        : null;
  }

  private Query.Series series(SeriesRequest s, String path) {
    if (s == null) {
      error(path, "required", "A series is an object with at least 'event'.");
      return null;
    }
    String event = event(s.event(), path + ".event");
    Query.Math math = Query.Math.COUNT;
    if (s.math() != null) {
      math =
          Arrays.stream(Query.Math.values())
              .filter(m -> m.wireName().equals(s.math()))
              .findFirst()
              .orElse(null);
      if (math == null) {
        error(
            path + ".math",
            "invalid_value",
            "Field '"
                + path
                + ".math' must be one of: "
                + String.join(
                    ", ", Arrays.stream(Query.Math.values()).map(Query.Math::wireName).toList())
                + ".");
      }
    }
    JsonPath property = null;
    if (s.property() != null) {
      property = path(s.property(), "properties", path + ".property");
    }
    if (math != null && math.numeric() && s.property() == null) {
      error(
          path + ".property",
          "required",
          "Math '" + math.wireName() + "' needs 'property', a numeric `properties.<path>`.");
    }
    if (math != null && !math.numeric() && s.property() != null) {
      error(
          path + ".property",
          "not_allowed",
          "Field 'property' applies to numeric math only (sum, avg, min, max, p50, p90, p99).");
    }
    return new Query.Series(event, math, property, conditions(s.where(), path + ".where"));
  }

  private String event(String event, String path) {
    if (event == null || event.isBlank()) {
      error(path, "required", "Field '" + path + "' needs an event name.");
      return null;
    }
    if (!EventNames.fits(event)) {
      error(
          path,
          "too_long",
          "Field '" + path + "' is at most " + EventNames.MAX_CHARS + " characters.");
    }
    return event;
  }

  private JsonPath path(String value, String root, String field) {
    String prefix = root + ".";
    if (!value.startsWith(prefix) || value.length() == prefix.length()) {
      error(field, "invalid_path", "Field '" + field + "' must be `" + root + ".<path>`.");
      return null;
    }
    List<String> keys = List.of(value.substring(prefix.length()).split("\\.", -1));
    if (keys.size() > 10 || !keys.stream().allMatch(k -> KEY.matcher(k).matches())) {
      error(
          field,
          "invalid_path",
          "Field '" + field + "' must be `" + root + ".<key>[.<key>…]` with at most 10 keys.");
      return null;
    }
    return new JsonPath(root, keys);
  }

  /** Property conditions in the filter grammar's leaf form, with its rules and error paths. */
  private List<Filter.FieldCondition> conditions(List<ConditionRequest> where, String path) {
    if (where == null) {
      return List.of();
    }
    try {
      return FilterParser.parsePropertyConditions(json.valueToTree(where), path);
    } catch (ApiException e) {
      errors.addAll(e.details());
      return List.of();
    }
  }

  private Filter filter() {
    if (r.filter() == null) {
      return null;
    }
    try {
      return FilterParser.parse(json.valueToTree(r.filter()), "filter");
    } catch (ApiException e) {
      errors.addAll(e.details());
      return null;
    }
  }

  private Breakdown breakdown() {
    BreakdownRequest b = r.breakdown();
    if (b == null) {
      return null;
    }
    if ((b.property() == null) == (b.trait() == null)) {
      error(
          "breakdown",
          "invalid_value",
          "Field 'breakdown' takes exactly one of 'property' and 'trait'.");
      return null;
    }
    int limit = b.limit() == null ? 10 : b.limit();
    if (limit < 1 || limit > 50) {
      error("breakdown.limit", "out_of_range", "Field 'breakdown.limit' must be 1 to 50.");
    }
    JsonPath path =
        b.property() != null
            ? path(b.property(), "properties", "breakdown.property")
            : path(b.trait(), "traits", "breakdown.trait");
    return path == null ? null : new Breakdown(path, limit);
  }

  private Query funnel() {
    Range range = range();
    List<Query.Step> steps = new ArrayList<>();
    if (r.steps() == null || r.steps().size() < 2 || r.steps().size() > 10) {
      error("steps", "invalid_value", "Field 'steps' needs 2 to 10 steps.");
    } else {
      for (int i = 0; i < r.steps().size(); i++) {
        StepRequest s = r.steps().get(i);
        String path = "steps[" + i + "]";
        if (s == null) {
          error(path, "required", "A step is an object with at least 'event'.");
          continue;
        }
        steps.add(
            new Query.Step(
                event(s.event(), path + ".event"), conditions(s.where(), path + ".where")));
      }
    }
    String windowText = r.window() == null ? "14d" : r.window();
    Duration window = window(windowText);
    Breakdown breakdown = breakdown();
    Filter filter = filter();
    return errors.isEmpty()
        ? new Query.Funnel(range, List.copyOf(steps), window, windowText, breakdown, filter)
        : null;
  }

  private Duration window(String text) {
    Matcher m = WINDOW.matcher(text);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
    }
    if (d == null || d.compareTo(MAX_WINDOW) > 0) {
      error(
          "window",
          "invalid_value",
          "Field 'window' is a positive number of minutes, hours, days or weeks such as '14d',"
              + " at most 365 days.");
      return null;
    }
    return d;
  }

  private Query retention() {
    Range range = range();
    Buckets.Interval interval =
        interval(Buckets.Interval.DAY, Set.of(Buckets.Interval.DAY, Buckets.Interval.WEEK));
    int periods = r.periods() == null ? 8 : r.periods();
    if (periods < 1 || periods > MAX_PERIODS) {
      error("periods", "out_of_range", "Field 'periods' must be 1 to " + MAX_PERIODS + ".");
    } else {
      checkBuckets(range, interval, periods);
    }
    String start = event(r.startEvent(), "start_event");
    String ret = event(r.returnEvent(), "return_event");
    Filter filter = filter();
    return errors.isEmpty()
        ? new Query.Retention(range, interval, start, ret, periods, filter)
        : null;
  }
}
