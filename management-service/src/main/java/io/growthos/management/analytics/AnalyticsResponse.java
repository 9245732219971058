package io.growthos.management.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Result of {@code POST /v1/analytics/query}. Every kind says the exact time it covers ({@code
 * from} inclusive, {@code to} exclusive: for bucketed kinds, whole buckets) and the time zone of
 * its calendar; the other fields depend on the kind and are absent for the others.
 */
@Schema(name = "AnalyticsResult")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalyticsResponse(
    @Schema(allowableValues = {"trends", "funnel", "retention", "counts"}) String kind,
    @Schema(description = "Start of the time covered, inclusive") Instant from,
    @Schema(description = "End of the time covered, exclusive") Instant to,
    String timezone,
    @Schema(description = "trends and retention") @Nullable String interval,
    @Schema(description = "funnel") @Nullable String window,
    @Schema(description = "trends: one entry per series and breakdown value")
        @Nullable List<SeriesResult> series,
    @Schema(description = "funnel: every step, over all contacts") @Nullable List<StepResult> steps,
    @Schema(description = "funnel with a breakdown: the steps per breakdown value")
        @Nullable List<FunnelBreakdown> breakdowns,
    @Schema(description = "retention: one cohort per bucket of the range")
        @Nullable List<Cohort> cohorts,
    @Schema(description = "counts: event names seen, most frequent first (at most 1,000)")
        @Nullable List<NameCount> events,
    @Schema(
            description =
                "counts: property keys seen (as `properties.<key>`), most frequent first (at most"
                    + " 1,000)")
        @Nullable List<NameCount> properties) {

  /** One series of a trend, for one breakdown value (null when there is no breakdown). */
  @Schema(name = "AnalyticsSeriesResult")
  public record SeriesResult(
      @Schema(
              description =
                  "Position (from 0) of the series in the request's `series` this result belongs"
                      + " to: with a breakdown a series has one result per value, or none when"
                      + " it has no events")
          int seriesIndex,
      String event,
      String math,
      @Schema(
              description =
                  "The breakdown value (text), `$other` for the values past the limit, null for"
                      + " events without one or without a breakdown")
          @JsonInclude(JsonInclude.Include.ALWAYS)
          @Nullable String breakdownValue,
      @Schema(description = OTHER) boolean other,
      @Schema(description = "One point per bucket, empty buckets included as 0")
          List<Point> points) {}

  static final String OTHER =
      "True for the sum of the values past the breakdown's limit (`breakdown_value` `$other`),"
          + " false for every other result: tells it apart from a real value spelled `$other`";

  /** One bucket: its start and its value. */
  @Schema(name = "AnalyticsPoint")
  public record Point(@Schema(description = "Start of the bucket") Instant t, Number value) {}

  /** One funnel step. */
  @Schema(name = "AnalyticsStepResult")
  public record StepResult(
      String event,
      @Schema(description = "Contacts (or anonymous ids) that reached this step") long count,
      @Schema(description = "count / count of the first step (0 when nobody entered)")
          double conversionRate,
      @Schema(
              description =
                  "Median seconds from the previous step to this one; null for the first step and"
                      + " when nobody reached it")
          @JsonInclude(JsonInclude.Include.ALWAYS)
          @Nullable Double medianSecondsToConvert) {}

  /** The steps of one breakdown value. */
  @Schema(name = "AnalyticsFunnelBreakdown")
  public record FunnelBreakdown(
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String breakdownValue,
      @Schema(description = OTHER) boolean other,
      List<StepResult> steps) {}

  /** One retention cohort. */
  @Schema(name = "AnalyticsCohort")
  public record Cohort(
      @Schema(description = "Start of the cohort's bucket") Instant start,
      @Schema(description = "Contacts whose first start event falls in the bucket") long size,
      @Schema(
              description =
                  "Per period (0 = the cohort's own bucket): how many of them did the return"
                      + " event in that period")
          List<Long> returned) {}

  /** A name and how often it was seen. */
  @Schema(name = "AnalyticsNameCount")
  public record NameCount(String name, long count) {}
}
