package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SurveySettingsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  private static JsonNode validate(String settings) {
    return CampaignSettings.validate(CampaignType.SURVEY, json(settings));
  }

  @Test
  void fillsTheDefaultsOfAnEmptySurvey() {
    JsonNode out = validate("{}");
    assertThat(out.path("questions").isEmpty()).isTrue();
    JsonNode t = out.path("targeting");
    assertThat(t.path("url").isNull()).isTrue();
    assertThat(t.path("event").isNull()).isTrue();
    assertThat(t.path("delay_seconds").asInt()).isZero();
    assertThat(t.path("once_per_contact").asBoolean()).isTrue();
    assertThat(t.path("min_days_between_surveys").asInt()).isZero();
    assertThat(out.path("thank_you").path("headline").asString()).isEqualTo("Thank you!");
  }

  @Test
  void acceptsEveryQuestionTypeWithLogicAndFillsTheirDefaults() {
    JsonNode out =
        validate(
            """
            {"questions": [
               {"id": "score", "type": "nps", "text": "How likely…?", "required": true,
                "logic": [{"if": {"op": "gte", "value": 9}, "then": {"jump_to": "love"}},
                          {"if": {"op": "skipped"}, "then": {"jump_to": "end"}}]},
               {"id": "stars", "type": "rating", "text": "Rate us", "scale": 10},
               {"id": "why", "type": "single_choice", "text": "Why?", "choices": ["Price", "Speed"],
                "allow_other": true, "logic": [{"if": {"op": "eq", "value": "Price"},
                                                "then": {"jump_to": "end"}}]},
               {"id": "love", "type": "multiple_choice", "text": "What do you love?",
                "choices": ["A", "B", "C"],
                "logic": [{"if": {"op": "contains", "value": "A"}, "then": {"jump_to": "more"}}]},
               {"id": "more", "type": "text", "text": "Anything else?", "max_length": 280}],
             "targeting": {"url": {"match": "glob", "value": "https://x.io/app/*"},
                           "event": "Order Completed", "delay_seconds": 5,
                           "once_per_contact": false, "min_days_between_surveys": 30},
             "thank_you": {"headline": "Merci", "body": "We read everything."}}
            """);
    JsonNode q = out.path("questions");
    assertThat(q.size()).isEqualTo(5);
    assertThat(q.get(0).path("required").asBoolean()).isTrue();
    assertThat(q.get(1).path("scale").asInt()).isEqualTo(10);
    assertThat(q.get(1).path("required").asBoolean()).isFalse();
    assertThat(q.get(2).path("allow_other").asBoolean()).isTrue();
    assertThat(q.get(3).path("allow_other").asBoolean()).isFalse();
    assertThat(q.get(4).path("max_length").asInt()).isEqualTo(280);
    assertThat(out.path("targeting").path("url").path("match").asString()).isEqualTo("glob");
    assertThat(out.path("targeting").path("min_days_between_surveys").asInt()).isEqualTo(30);
    assertThat(out.path("thank_you").path("body").asString()).isEqualTo("We read everything.");
  }

  static Stream<Arguments> invalidSettings() {
    String nps = "{\"id\": \"a\", \"type\": \"nps\", \"text\": \"t\"}";
    String text = "{\"id\": \"z\", \"type\": \"text\", \"text\": \"t\"}";
    return Stream.of(
        Arguments.of("{\"x\": 1}", "settings.x", "unknown_field"),
        Arguments.of("{\"questions\": {}}", "settings.questions", "invalid_type"),
        Arguments.of(
            "{\"questions\": [" + nps + ", {\"id\": \"b\", \"type\": \"poll\", \"text\": \"t\"}]}",
            "settings.questions[1].type",
            "invalid_value"),
        Arguments.of(
            "{\"questions\": [" + nps + ", " + nps + "]}", "settings.questions[1].id", "duplicate"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"end\", \"type\": \"nps\", \"text\": \"t\"}]}",
            "settings.questions[0].id",
            "reserved"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"a b\", \"type\": \"nps\", \"text\": \"t\"}]}",
            "settings.questions[0].id",
            "invalid_format"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"a\", \"type\": \"nps\"}]}",
            "settings.questions[0].text",
            "required"),
        Arguments.of(
            "{\"questions\": ["
                + nps
                + ", {\"id\": \"c\", \"type\": \"single_choice\", \"text\":"
                + " \"t\", \"choices\": [\"only\"]}]}",
            "settings.questions[1].choices",
            "invalid_type"),
        Arguments.of(
            "{\"questions\": ["
                + nps
                + ", "
                + nps.replace("\"a\"", "\"b\"")
                + ", {\"id\": \"c\","
                + " \"type\": \"single_choice\", \"text\": \"t\", \"choices\": [\"x\", \"x\"]}]}",
            "settings.questions[2].choices[1]",
            "duplicate"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"c\", \"type\": \"multiple_choice\", \"text\": \"t\"}]}",
            "settings.questions[0].choices",
            "required"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"a\", \"type\": \"nps\", \"text\": \"t\", \"choices\":"
                + " [\"x\", \"y\"]}]}",
            "settings.questions[0].choices",
            "not_applicable"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"r\", \"type\": \"rating\", \"text\": \"t\", \"scale\":"
                + " 7}]}",
            "settings.questions[0].scale",
            "invalid_value"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"z\", \"type\": \"text\", \"text\": \"t\", \"max_length\":"
                + " 0}]}",
            "settings.questions[0].max_length",
            "out_of_range"),
        Arguments.of(
            "{\"questions\": [{\"id\": \"z\", \"type\": \"text\", \"text\": \"t\", \"required\":"
                + " \"yes\"}]}",
            "settings.questions[0].required",
            "invalid_type"),
        Arguments.of(
            "{\"targeting\": {\"url\": {\"match\": \"regex\", \"value\": \"x\"}}}",
            "settings.targeting.url.match",
            "invalid_value"),
        Arguments.of(
            "{\"targeting\": {\"url\": {\"match\": \"exact\"}}}",
            "settings.targeting.url.value",
            "required"),
        Arguments.of(
            "{\"targeting\": {\"delay_seconds\": -1}}",
            "settings.targeting.delay_seconds",
            "out_of_range"),
        Arguments.of(
            "{\"targeting\": {\"min_days_between_surveys\": 400}}",
            "settings.targeting.min_days_between_surveys",
            "out_of_range"),
        Arguments.of(
            "{\"targeting\": {\"once_per_contact\": 1}}",
            "settings.targeting.once_per_contact",
            "invalid_type"),
        Arguments.of(
            "{\"thank_you\": {\"title\": \"x\"}}", "settings.thank_you.title", "unknown_field"),
        // A text that is too long is too_long, as for a question's text; another type invalid_type.
        Arguments.of(
            "{\"thank_you\": {\"headline\": \"" + "x".repeat(201) + "\"}}",
            "settings.thank_you.headline",
            "too_long"),
        Arguments.of(
            "{\"thank_you\": {\"body\": \"" + "x".repeat(1001) + "\"}}",
            "settings.thank_you.body",
            "too_long"),
        Arguments.of(
            "{\"thank_you\": {\"headline\": 5}}", "settings.thank_you.headline", "invalid_type"),
        Arguments.of("{\"questions\": [" + text + "]}", null, null));
  }

  /**
   * Integers too large for {@code int} or {@code long} (a typo, a fuzzer, a value computed in
   * JavaScript) are out of range like any other: they were a 500, since Jackson 3's {@code
   * intValue()}/{@code longValue()} throw for values that do not fit.
   */
  static Stream<Arguments> hugeIntegers() {
    String big = "18446744073709551621"; // 2^64 + 5: wraps to 5 as a long
    String overInt = "4294967301"; // 2^32 + 5: wraps to 5 as an int
    String rating =
        "{\"questions\": [{\"id\": \"r\", \"type\": \"rating\", \"text\": \"t\", \"scale\": %s}]}";
    String text =
        "{\"questions\": [{\"id\": \"r\", \"type\": \"text\", \"text\": \"t\", \"max_length\": %s}]}";
    String rule =
        "{\"questions\": [{\"id\": \"a\", \"type\": \"nps\", \"text\": \"t\", \"logic\":"
            + " [{\"if\": {\"op\": \"in\", \"value\": [%s]}, \"then\": {\"jump_to\": \"end\"}}]}]}";
    return Stream.of(
        Arguments.of(rating.formatted(overInt), "settings.questions[0].scale", "invalid_value"),
        Arguments.of(rating.formatted(big), "settings.questions[0].scale", "invalid_value"),
        Arguments.of(text.formatted(big), "settings.questions[0].max_length", "out_of_range"),
        Arguments.of(
            rule.formatted(big), "settings.questions[0].logic[0].if.value[0]", "out_of_range"),
        Arguments.of(
            "{\"targeting\": {\"delay_seconds\": " + big + "}}",
            "settings.targeting.delay_seconds",
            "out_of_range"),
        Arguments.of(
            "{\"targeting\": {\"min_days_between_surveys\": -" + big + "}}",
            "settings.targeting.min_days_between_surveys",
            "out_of_range"));
  }

  @ParameterizedTest(name = "{1} {2}: {0}")
  @MethodSource("hugeIntegers")
  void integersTooLargeForALongAreOutOfRangeNotA500(String settings, String field, String reason) {
    everyProblemIsA400NamingItsField(settings, field, reason);
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("invalidSettings")
  void everyProblemIsA400NamingItsField(String settings, String field, String reason) {
    if (field == null) {
      validate(settings); // the control row: valid
      return;
    }
    assertThatThrownBy(() -> validate(settings))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details())
                  .extracting(ErrorDetail::field, ErrorDetail::reason)
                  .contains(org.assertj.core.groups.Tuple.tuple(field, reason));
            });
  }

  /**
   * Limits count characters as people do (an emoji is one), as the widget's answers and every other
   * text limit of the Ingest API do ({@code TextLength}): a question of 500 emoji is 500
   * characters, not 1,000.
   */
  @Test
  void textLimitsCountCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    JsonNode out =
        validate(
            """
            {"questions": [{"id": "a", "type": "single_choice", "text": "%s",
                            "choices": ["%s", "b"]}],
             "targeting": {"event": "%s", "url": {"match": "contains", "value": "%s"}},
             "thank_you": {"headline": "%s", "body": "%s"}}
            """
                .formatted(
                    emoji.repeat(500),
                    emoji.repeat(200),
                    emoji.repeat(200),
                    emoji.repeat(2000),
                    emoji.repeat(200),
                    emoji.repeat(1000)));
    assertThat(out.path("questions").get(0).path("text").asString()).hasSize(1000);
    assertThatThrownBy(
            () ->
                validate(
                    """
                    {"questions": [{"id": "a", "type": "text", "text": "%s"}],
                     "thank_you": {"headline": "%s"}}
                    """
                        .formatted(emoji.repeat(501), emoji.repeat(201))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details())
                    .extracting(ErrorDetail::field)
                    .containsExactly("settings.questions[0].text", "settings.thank_you.headline"));
  }

  /**
   * The widget matches a rule against the page's full URL ({@code location.href}). An {@code exact}
   * or {@code glob} rule that is not a full URL ({@code "/pricing"}, {@code "/app/*"}, {@code
   * "app.example.com/*"}) therefore never matches, and the survey was saved, activated and never
   * shown. Such a rule is refused, naming the field and what would work; a glob starting with
   * {@code *} and every {@code contains} rule stay free.
   */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "exact, /pricing, never_matches",
    "exact, app.example.com/pricing, never_matches",
    "glob, /app/*, never_matches",
    "glob, app.example.com/*, never_matches",
    "exact, https://app.example.com/pricing, ",
    "exact, http://localhost:3000/, ",
    "glob, https://app.example.com/*, ",
    "glob, */app/*, ",
    "contains, /app/, "
  })
  void aUrlRuleThatCanNeverMatchAPageUrlIsRefused(String match, String value, String reason) {
    String settings =
        "{\"targeting\": {\"url\": {\"match\": \"" + match + "\", \"value\": \"" + value + "\"}}}";
    if (reason == null) {
      assertThat(validate(settings).path("targeting").path("url").path("value").asString())
          .isEqualTo(value);
      return;
    }
    everyProblemIsA400NamingItsField(settings, "settings.targeting.url.value", reason);
  }

  /**
   * A browser writes {@code location.href} one way: scheme and host in lower case (an IDN host in
   * punycode), no default port, and a {@code /} after the host even on the home page ({@code
   * https://app.example.com} is {@code https://app.example.com/}). An {@code exact} rule, or the
   * text of a {@code glob} before its first {@code *}, written another way equals no page's URL:
   * the survey was saved and activated, and never shown. Refused like the rules above; the path,
   * query and fragment stay case-sensitive and free.
   */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "exact, https://app.example.com, never_matches",
    "exact, https://app.example.com?ref=mail, never_matches",
    "exact, https://app.example.com#top, never_matches",
    "exact, HTTPS://app.example.com/pricing, never_matches",
    "exact, https://App.Example.com/pricing, never_matches",
    "glob, https://App.example.com/*, never_matches",
    "glob, Https://*, never_matches",
    "exact, https://app.example.com:443/pricing, never_matches",
    "exact, http://app.example.com:80/, never_matches",
    "exact, https://b\u00fccher.example/, never_matches",
    "exact, https://app.example.com/, ",
    "exact, https://app.example.com/Pricing?Ref=Mail#Top, ",
    "exact, https://app.example.com:8443/pricing, ",
    "exact, http://127.0.0.1:3000/, ",
    "glob, https://app.example.com*, ",
    "glob, https://app*, ",
    "glob, https://*.example.com/*, ",
    "glob, https://xn--bcher-kva.example/*, "
  })
  void aUrlRuleWrittenAsNoBrowserWritesAPageUrlIsRefused(
      String match, String value, String reason) {
    String settings =
        "{\"targeting\": {\"url\": {\"match\": \"" + match + "\", \"value\": \"" + value + "\"}}}";
    if (reason == null) {
      assertThat(validate(settings).path("targeting").path("url").path("value").asString())
          .isEqualTo(value);
      return;
    }
    everyProblemIsA400NamingItsField(settings, "settings.targeting.url.value", reason);
  }

  /**
   * Choices a visitor cannot tell apart are duplicates: the widget would show two identical options
   * and the results would split their votes. Equal once Unicode-normalised (NFC) and with invisible
   * characters and surrounding or repeated spaces ignored, as a browser shows them; a choice or a
   * question text with nothing visible is empty.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "[\"Yes\", \"Yes \"] | settings.questions[0].choices[1] | duplicate",
        "[\"Caf\\u00e9\", \"Cafe\\u0301\"] | settings.questions[0].choices[1] | duplicate",
        "[\"Not  sure\", \"Not sure\"] | settings.questions[0].choices[1] | duplicate",
        "[\"Yes\", \"Y\\u200bes\"] | settings.questions[0].choices[1] | duplicate",
        "[\"Yes\", \"\\u200b\"] | settings.questions[0].choices[1] | invalid_value",
        "[\"Yes\", \"yes\"] | | "
      })
  void choicesThatLookTheSameAreDuplicates(String choices, String field, String reason) {
    String settings =
        "{\"questions\": [{\"id\": \"a\", \"type\": \"single_choice\", \"text\": \"t\","
            + " \"choices\": "
            + choices
            + "}]}";
    if (field == null) {
      assertThat(validate(settings).path("questions").get(0).path("choices").size()).isEqualTo(2);
      return;
    }
    everyProblemIsA400NamingItsField(settings, field, reason);
  }

  @Test
  void aQuestionTextWithNothingVisibleIsRequired() {
    everyProblemIsA400NamingItsField(
        "{\"questions\": [{\"id\": \"a\", \"type\": \"text\", \"text\": \"\\u200b\\u200e\"}]}",
        "settings.questions[0].text",
        "required");
  }

  static Stream<Arguments> logicJumps() {
    return Stream.of(
        // jump_to, op, value, expected problem field suffix, reason (null: valid)
        Arguments.of("\"c\"", "\"gte\"", "9", null, null),
        Arguments.of("\"end\"", "\"lt\"", "7", null, null),
        Arguments.of("\"nope\"", "\"gte\"", "9", "then.jump_to", "unknown_question"),
        Arguments.of("\"a\"", "\"gte\"", "9", "then.jump_to", "backward_jump"),
        Arguments.of("\"b\"", "\"gte\"", "9", "then.jump_to", "backward_jump"),
        Arguments.of("\"c\"", "\"gte\"", "11", "if.value", "out_of_range"),
        Arguments.of("\"c\"", "\"contains\"", "\"x\"", "if.op", "invalid_value"),
        Arguments.of("\"c\"", "\"answered\"", "3", "if.value", "unexpected"),
        Arguments.of("\"c\"", "\"in\"", "[1, 12]", "if.value[1]", "out_of_range"),
        // A value of another JSON type is invalid_type, as an answer of another type is (it was
        // out_of_range: a black-box review, 2026-12-07).
        Arguments.of("\"c\"", "\"gte\"", "\"9\"", "if.value", "invalid_type"),
        Arguments.of("\"c\"", "\"in\"", "[1, true]", "if.value[1]", "invalid_type"),
        Arguments.of("\"c\"", "\"gte\"", "9.0", null, null),
        Arguments.of("\"c\"", "\"eq\"", "null", "if.value", "required"));
  }

  @ParameterizedTest(name = "jump_to {0} if {1} {2} -> {3} {4}")
  @MethodSource("logicJumps")
  void logicJumpsOnlyForwardToKnownQuestionsWithValuesOfTheQuestion(
      String jumpTo, String op, String value, String suffix, String reason) {
    String settings =
        """
        {"questions": [
           {"id": "a", "type": "text", "text": "first"},
           {"id": "b", "type": "nps", "text": "score",
            "logic": [{"if": {"op": %s, "value": %s}, "then": {"jump_to": %s}}]},
           {"id": "c", "type": "text", "text": "why"}]}
        """
            .formatted(op, value, jumpTo);
    if (suffix == null) {
      assertThat(validate(settings).path("questions").get(1).path("logic").size()).isEqualTo(1);
      return;
    }
    assertThatThrownBy(() -> validate(settings))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details())
                    .extracting(ErrorDetail::field, ErrorDetail::reason)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.questions[1].logic[0]." + suffix, reason)));
  }

  @Test
  void choiceLogicValuesMustBeChoices() {
    assertThatThrownBy(
            () ->
                validate(
                    """
                    {"questions": [{"id": "a", "type": "single_choice", "text": "t",
                      "choices": ["x", "y"],
                      "logic": [{"if": {"op": "eq", "value": "z"}, "then": {"jump_to": "end"}}]}]}
                    """))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.details().get(0).field())
                    .isEqualTo("settings.questions[0].logic[0].if.value"));
  }
}
