package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Validation of {@code social_proof} settings: defaults, and every bad value named by path. */
class SocialProofSettingsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode validate(String settings) {
    return CampaignSettings.validate(CampaignType.SOCIAL_PROOF, JSON.readTree(settings));
  }

  @Test
  void fillsDefaultsForAnEventSource() {
    JsonNode out =
        validate(
            """
            {"source": {"event": "Signed Up",
                        "where": [{"field": "properties.plan", "op": "eq", "value": "pro"}]},
             "template": "{first_name|Someone} from {city|somewhere} signed up {time_ago}"}
            """);
    assertThat(out.path("source").path("event").asString()).isEqualTo("Signed Up");
    assertThat(out.path("source").path("where")).hasSize(1);
    assertThat(out.path("counter").isNull()).isTrue();
    assertThat(out.path("opt_out_trait").asString()).isEqualTo("social_proof_opt_out");
    assertThat(out.path("limit").asInt()).isEqualTo(10);
    assertThat(out.path("max_age").asString()).isEqualTo("7d");

    SocialProofSettings parsed = SocialProofSettings.of(out);
    assertThat(parsed.event()).isEqualTo("Signed Up");
    assertThat(parsed.where()).hasSize(1);
    assertThat(parsed.maxAge()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void acceptsACampaignSourceWithACounter() {
    String campaign = Ids.next(IdPrefix.CAMPAIGN);
    JsonNode out =
        validate(
            """
            {"source": {"campaign": "%s", "activity": "referred"},
             "template": "{name} joined {time_ago}",
             "counter": {"window": "24h", "template": "{count} people joined today"},
             "opt_out_trait": "hide_me", "limit": 5, "max_age": "30d"}
            """
                .formatted(campaign));
    assertThat(out.path("source").path("campaign").asString()).isEqualTo(campaign);
    assertThat(out.path("counter").path("min_count").asInt()).isEqualTo(5);
    SocialProofSettings parsed = SocialProofSettings.of(out);
    assertThat(parsed.sourceCampaign()).isEqualTo(campaign);
    assertThat(parsed.referredOnly()).isTrue();
    assertThat(parsed.counter().window()).isEqualTo(Duration.ofHours(24));
    assertThat(parsed.limit()).isEqualTo(5);
    assertThat(parsed.optOutTrait()).isEqualTo("hide_me");
  }

  static Stream<Arguments> badSettings() {
    String ok = "\"template\": \"{first_name} signed up\"";
    String src = "\"source\": {\"event\": \"Signed Up\"}";
    return Stream.of(
        Arguments.of("{" + ok + "}", "settings.source", "required"),
        Arguments.of("{" + src + "}", "settings.template", "required"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"colour\": 1}", "settings.colour", "unknown_field"),
        Arguments.of(
            "{\"source\": {\"event\": \"X\", \"colour\": 1}, " + ok + "}",
            "settings.source.colour",
            "unknown_field"),
        Arguments.of(
            "{\"source\": {\"where\": []}, " + ok + "}", "settings.source.event", "required"),
        Arguments.of(
            "{\"source\": {\"event\": \"X\", \"where\": [{\"field\": \"properties.a\", \"op\":"
                + " \"nope\", \"value\": 1}]}, "
                + ok
                + "}",
            "settings.source.where[0].op",
            null),
        Arguments.of(
            "{\"source\": {\"campaign\": \"cmp_nope\"}, " + ok + "}",
            "settings.source.campaign",
            "invalid_format"),
        Arguments.of(
            "{\"source\": {\"campaign\": \""
                + Ids.next(IdPrefix.CAMPAIGN)
                + "\", \"event\": \"X\"}, "
                + ok
                + "}",
            "settings.source",
            "conflict"),
        Arguments.of(
            "{\"source\": {\"campaign\": \""
                + Ids.next(IdPrefix.CAMPAIGN)
                + "\", \"activity\": \"left\"}, "
                + ok
                + "}",
            "settings.source.activity",
            "invalid_value"),
        Arguments.of(
            "{" + src + ", \"template\": \"{email} signed up\"}",
            "settings.template",
            "unknown_placeholder"),
        Arguments.of(
            "{" + src + ", \"template\": \"{first_name signed up\"}",
            "settings.template",
            "invalid_template"),
        Arguments.of("{" + src + ", \"template\": \"  \"}", "settings.template", "required"),
        Arguments.of("{" + src + ", \"template\": 5}", "settings.template", "invalid_type"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"counter\": {\"template\": \"{count} x\"}}",
            "settings.counter.window",
            "required"),
        Arguments.of(
            "{"
                + src
                + ", "
                + ok
                + ", \"counter\": {\"window\": \"1w\", \"template\": \"{count}\"}}",
            "settings.counter.window",
            "invalid_format"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"counter\": {\"window\": \"7d\", \"template\": \"many\"}}",
            "settings.counter.template",
            "missing_placeholder"),
        Arguments.of(
            "{"
                + src
                + ", "
                + ok
                + ", \"counter\": {\"window\": \"7d\", \"template\": \"{count}\","
                + " \"min_count\": -1}}",
            "settings.counter.min_count",
            "out_of_range"),
        Arguments.of(
            "{"
                + src
                + ", "
                + ok
                + ", \"counter\": {\"window\": \"7d\", \"template\": \"{count}\","
                + " \"every\": 1}}",
            "settings.counter.every",
            "unknown_field"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"opt_out_trait\": \"a.b\"}",
            "settings.opt_out_trait",
            "invalid_format"),
        Arguments.of("{" + src + ", " + ok + ", \"limit\": 51}", "settings.limit", "out_of_range"),
        Arguments.of("{" + src + ", " + ok + ", \"limit\": 0}", "settings.limit", "out_of_range"),
        // Too large for a long: was a 500 (Jackson 3's longValue() throws).
        Arguments.of(
            "{" + src + ", " + ok + ", \"limit\": 18446744073709551621}",
            "settings.limit",
            "out_of_range"),
        Arguments.of(
            "{"
                + src
                + ", "
                + ok
                + ", \"counter\": {\"window\": \"7d\", \"template\": \"{count}\","
                + " \"min_count\": 18446744073709551621}}",
            "settings.counter.min_count",
            "out_of_range"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"max_age\": \"400d\"}",
            "settings.max_age",
            "invalid_format"),
        Arguments.of(
            "{" + src + ", " + ok + ", \"max_age\": 7}", "settings.max_age", "invalid_format"));
  }

  @ParameterizedTest(name = "{1} {2}: {0}")
  @MethodSource("badSettings")
  void rejectsBadSettingsNamingThePath(String settings, String field, String reason) {
    assertThatThrownBy(() -> validate(settings))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details())
                  .as("details of %s", settings)
                  .anySatisfy(
                      d -> {
                        assertThat(d.field()).isEqualTo(field);
                        if (reason != null) {
                          assertThat(d.reason()).isEqualTo(reason);
                        }
                      });
            });
  }

  /** Template and fallback limits count characters (an emoji is one), not UTF-16 units. */
  @Test
  void templateLimitsCountCharactersNotUtf16Units() {
    String emoji = "\uD83C\uDF89"; // one character, two UTF-16 units
    String template = "{first_name|" + emoji.repeat(60) + "} " + emoji.repeat(226);
    assertThat(template.codePointCount(0, template.length())).isEqualTo(300);
    JsonNode out =
        validate(
            "{\"source\": {\"event\": \""
                + emoji.repeat(200)
                + "\"}, \"template\": \""
                + template
                + "\"}");
    assertThat(out.path("template").asString()).isEqualTo(template);
    assertThatThrownBy(
            () ->
                validate(
                    "{\"source\": {\"event\": \"Signed Up\"}, \"template\": \""
                        + template
                        + emoji
                        + "\"}"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.details().get(0).reason()).isEqualTo("too_long"));
  }

  /**
   * Every rendered message is checked for anything e-mail-shaped and left out of the feed if it has
   * one (docs/social-proof.md), so a template whose own text is e-mail-shaped ("… at team@acme", a
   * fallback "{first_name|hello@acme.com}", "{first_name}@{city}") empties the feed, silently. It
   * is refused when saved instead.
   */
  @Test
  void aTemplateWhoseMessagesWouldAlwaysLookLikeAnEmailIsRefused() {
    for (String template :
        List.of(
            "{first_name} joined team@acme",
            "{first_name|hello@acme.com} joined",
            "{first_name}@{city}",
            "{first_name}＠{city} joined")) {
      assertThatThrownBy(
              () ->
                  validate(
                      "{\"source\": {\"event\": \"Signed Up\"}, \"template\": \""
                          + template
                          + "\"}"))
          .as(template)
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  assertThat(e.details())
                      .extracting(ErrorDetail::field, ErrorDetail::reason)
                      .containsExactly(
                          org.assertj.core.groups.Tuple.tuple(
                              "settings.template", "email_shaped")));
    }
    assertThat(
            validate(
                    "{\"source\": {\"event\": \"Signed Up\"}, \"template\": \"{first_name} @"
                        + " {city|home} joined\"}")
                .path("template")
                .asString())
        .isEqualTo("{first_name} @ {city|home} joined");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> validate("{\"template\": \"{nope}\", \"limit\": 99}"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details().stream().map(ErrorDetail::field))
                    .contains("settings.source", "settings.template", "settings.limit"));
  }

  @Test
  void readsWindows() {
    assertThat(SocialProofSettings.window("30m")).contains(Duration.ofMinutes(30));
    assertThat(SocialProofSettings.window("24h")).contains(Duration.ofHours(24));
    assertThat(SocialProofSettings.window("365d")).contains(Duration.ofDays(365));
    assertThat(SocialProofSettings.window("366d")).isEmpty();
    assertThat(SocialProofSettings.window("0d")).isEmpty();
    assertThat(SocialProofSettings.window("7 d")).isEmpty();
    assertThat(SocialProofSettings.window(null)).isEmpty();
  }
}
