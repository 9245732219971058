package io.growthos.core.campaigns;

import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The settings of a {@code social_proof} campaign, read from what {@link CampaignSettings}
 * validated and stored (defaults filled in).
 *
 * @param event the event name of an event source, or null
 * @param where property conditions of an event source (empty for none)
 * @param sourceCampaign the campaign of a campaign-activity source, or null
 * @param referredOnly campaign source: only participants who came through a referral
 * @param template the item template
 * @param counter the counter, or null
 * @param optOutTrait contacts whose trait of this name is true never appear
 * @param limit most items in the feed
 * @param maxAge items older than this are not shown
 */
public record SocialProofSettings(
    String event,
    List<Filter.FieldCondition> where,
    String sourceCampaign,
    boolean referredOnly,
    SocialProofTemplate template,
    Counter counter,
    String optOutTrait,
    int limit,
    Duration maxAge) {

  /** Trait that keeps a contact out of every feed when none is configured. */
  public static final String DEFAULT_OPT_OUT_TRAIT = "social_proof_opt_out";

  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 50;
  public static final String DEFAULT_MAX_AGE = "7d";
  public static final int DEFAULT_MIN_COUNT = 5;

  /** Longest window or age: 365 days. */
  public static final Duration MAX_WINDOW = Duration.ofDays(365);

  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

  /**
   * @param window counted period, up to now
   * @param template message with {@code {count}}
   * @param minCount below this the counter is not shown
   */
  public record Counter(Duration window, SocialProofTemplate template, long minCount) {}

  /** Reads stored (validated) settings. */
  public static SocialProofSettings of(JsonNode s) {
    JsonNode source = s.path("source");
    String event = source.path("event").isString() ? source.path("event").asString() : null;
    List<Filter.FieldCondition> where =
        event == null
            ? List.of()
            : FilterParser.parseStoredPropertyConditions(
                source.get("where"), "settings.source.where");
    String campaign =
        source.path("campaign").isString() ? source.path("campaign").asString() : null;
    JsonNode c = s.path("counter");
    Counter counter =
        c.isObject()
            ? new Counter(
                window(c.path("window").asString("")).orElseThrow(),
                SocialProofTemplate.parse(
                    c.path("template").asString(), SocialProofTemplate.COUNTER_PLACEHOLDERS),
                c.path("min_count").asLong(DEFAULT_MIN_COUNT))
            : null;
    return new SocialProofSettings(
        event,
        where,
        campaign,
        "referred".equals(source.path("activity").asString("joined")),
        SocialProofTemplate.parse(
            s.path("template").asString(), SocialProofTemplate.ITEM_PLACEHOLDERS),
        counter,
        s.path("opt_out_trait").asString(DEFAULT_OPT_OUT_TRAIT),
        s.path("limit").asInt(DEFAULT_LIMIT),
        window(s.path("max_age").asString(DEFAULT_MAX_AGE)).orElseThrow());
  }

  /**
   * A window written as a count and a unit: {@code 30m}, {@code 24h}, {@code 7d}; empty when it is
   * not one or longer than {@link #MAX_WINDOW}.
   */
  public static Optional<Duration> window(String text) {
    Matcher m = WINDOW.matcher(text == null ? "" : text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    return d.compareTo(MAX_WINDOW) > 0 ? Optional.empty() : Optional.of(d);
  }
}
