package io.growthos.management.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/analytics/query}. One shape for every kind; a field that does not belong
 * to the kind is a 400 naming it.
 */
@Schema(name = "AnalyticsQuery")
public record AnalyticsQueryRequest(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"trends", "funnel", "retention", "counts"})
        String kind,
    @Schema(description = "Start of the time range, inclusive (default: 30 days before `to`)")
        Instant from,
    @Schema(description = "End of the time range, exclusive (default: now)") Instant to,
    @Schema(
            description =
                "IANA time zone whose calendar the buckets follow (default: the workspace's)",
            example = "Europe/Berlin")
        String timezone,
    @Schema(
            description =
                "trends: hour, day (default), week or month; retention: day (default) or week")
        String interval,
    @Schema(description = "trends: 1 to 10 series") List<SeriesRequest> series,
    @Schema(description = "trends and funnel: split the result by a property or trait")
        BreakdownRequest breakdown,
    @Schema(
            description =
                "trends, funnel, retention: only events of contacts that match this filter (the"
                    + " filter grammar of segments; see docs/analytics.md); events without a"
                    + " contact never match")
        Map<String, Object> filter,
    @Schema(description = "funnel: 2 to 10 steps, in order") List<StepRequest> steps,
    @Schema(
            description =
                "funnel: how long after the first step the last may happen: minutes, hours, days"
                    + " or weeks such as `30m`, `12h`, `14d`, `2w` (default 14d, at most 365d)",
            example = "14d")
        String window,
    @Schema(description = "retention: the event that puts a contact in a cohort") String startEvent,
    @Schema(description = "retention: the event that counts as coming back") String returnEvent,
    @Schema(description = "retention: periods per cohort, period 0 included (1 to 52, default 8)")
        Integer periods) {

  /** One series of a trend. */
  @Schema(name = "AnalyticsSeries")
  public record SeriesRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Track event name")
          String event,
      @Schema(
              description = "default count",
              allowableValues = {
                "count",
                "unique_contacts",
                "sum",
                "avg",
                "min",
                "max",
                "p50",
                "p90",
                "p99"
              })
          String math,
      @Schema(
              description = "`properties.<path>` of a numeric property; needed by numeric math",
              example = "properties.amount")
          String property,
      @Schema(description = "Conditions on the event's properties, all of which must hold")
          List<ConditionRequest> where) {}

  /** One step of a funnel. */
  @Schema(name = "AnalyticsStep")
  public record StepRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Track event name")
          String event,
      @Schema(description = "Conditions on the event's properties, all of which must hold")
          List<ConditionRequest> where) {}

  /**
   * A condition on one event property. Handed to the filter grammar's parser as JSON without its
   * null members: {@code exists}/{@code not_exists} take no value, and a {@code "value": null} the
   * record always carried was refused as a value they do not take.
   */
  @Schema(name = "AnalyticsCondition")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConditionRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "properties.plan")
          String field,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {
                "eq",
                "neq",
                "gt",
                "gte",
                "lt",
                "lte",
                "in",
                "not_in",
                "contains",
                "starts_with",
                "ends_with",
                "exists",
                "not_exists"
              })
          String op,
      @Schema(
              description =
                  "A string, number or boolean; a list for in/not_in; absent for"
                      + " exists/not_exists")
          Object value) {}

  /** What to split a result by: exactly one of {@code property} and {@code trait}. */
  @Schema(name = "AnalyticsBreakdown")
  public record BreakdownRequest(
      @Schema(description = "`properties.<path>` of the event", example = "properties.plan")
          String property,
      @Schema(description = "`traits.<path>` of the event's contact", example = "traits.plan")
          String trait,
      @Schema(description = "Top values kept (1 to 50, default 10); the rest is `$other`")
          Integer limit) {}
}
