package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ErrorDetail;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SurveyTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final Survey SURVEY =
      Survey.of(
          CampaignSettings.validate(
              CampaignType.SURVEY,
              JSON.readTree(
                  """
                  {"questions": [
                     {"id": "score", "type": "nps", "text": "How likely?", "required": true,
                      "logic": [{"if": {"op": "gte", "value": 9}, "then": {"jump_to": "love"}}]},
                     {"id": "why", "type": "single_choice", "text": "Why not?",
                      "choices": ["Price", "Speed"], "allow_other": true, "required": true,
                      "logic": [{"if": {"op": "eq", "value": "Price"}, "then": {"jump_to": "end"}}]},
                     {"id": "stars", "type": "rating", "text": "Rate the support"},
                     {"id": "love", "type": "multiple_choice", "text": "What do you love?",
                      "choices": ["A", "B"]},
                     {"id": "more", "type": "text", "text": "Anything else?", "max_length": 10,
                      "required": true}],
                   "targeting": {"url": {"match": "glob", "value": "https://x.io/app/*/billing"}}}
                  """)));

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of("{\"score\": 0}", null, null),
        Arguments.of("{\"score\": 10}", null, null),
        Arguments.of("{\"score\": 11}", "answers.score", "out_of_range"),
        Arguments.of("{\"score\": -1}", "answers.score", "out_of_range"),
        Arguments.of("{\"score\": 7.5}", "answers.score", "out_of_range"),
        Arguments.of("{\"score\": \"9\"}", "answers.score", "invalid_type"),
        Arguments.of("{\"score\": true}", "answers.score", "invalid_type"),
        Arguments.of("{\"score\": 9223372036854775808}", "answers.score", "out_of_range"),
        Arguments.of("{\"stars\": -18446744073709551621}", "answers.stars", "out_of_range"),
        Arguments.of("{\"stars\": 5}", null, null),
        Arguments.of("{\"stars\": 0}", "answers.stars", "out_of_range"),
        Arguments.of("{\"stars\": 6}", "answers.stars", "out_of_range"),
        // JSON numbers are their values: 5.0 and 5e0 are 5 (they were out_of_range).
        Arguments.of("{\"stars\": 5.0}", null, null),
        Arguments.of("{\"stars\": 5e0}", null, null),
        Arguments.of("{\"stars\": 0.5e1}", null, null),
        Arguments.of("{\"stars\": 4.5}", "answers.stars", "out_of_range"),
        Arguments.of("{\"stars\": 6.0}", "answers.stars", "out_of_range"),
        Arguments.of("{\"stars\": 1e400}", "answers.stars", "out_of_range"),
        Arguments.of("{\"why\": \"Speed\"}", null, null),
        Arguments.of("{\"why\": \"Something else\"}", null, null),
        Arguments.of("{\"why\": \" \"}", "answers.why", "invalid_choice"),
        Arguments.of("{\"why\": 3}", "answers.why", "invalid_type"),
        Arguments.of("{\"love\": [\"A\", true]}", "answers.love[1]", "invalid_type"),
        Arguments.of("{\"love\": [\"A\", \"B\"]}", null, null),
        Arguments.of("{\"love\": [\"A\", \"C\"]}", "answers.love[1]", "invalid_choice"),
        Arguments.of("{\"love\": [\"A\", \"A\"]}", "answers.love[1]", "duplicate_choice"),
        Arguments.of("{\"love\": \"A\"}", "answers.love", "invalid_type"),
        Arguments.of("{\"more\": \"0123456789\"}", null, null),
        Arguments.of("{\"more\": \"0123456789x\"}", "answers.more", "too_long"),
        // Ten characters of two UTF-16 units each: within max_length 10.
        Arguments.of("{\"more\": \"" + "\uD83D\uDE00".repeat(10) + "\"}", null, null),
        Arguments.of(
            "{\"more\": \"" + "\uD83D\uDE00".repeat(11) + "\"}", "answers.more", "too_long"),
        Arguments.of("{\"more\": 5}", "answers.more", "invalid_type"),
        Arguments.of("{\"nope\": 5}", "answers.nope", "unknown_question"),
        Arguments.of("{\"score\": null}", null, null));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("answers")
  void answerValidationNamesTheField(String answers, String field, String reason) {
    List<ErrorDetail> problems = SURVEY.checkAnswers(json(answers), "answers");
    if (field == null) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems)
          .extracting(ErrorDetail::field, ErrorDetail::reason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(field, reason));
    }
  }

  /**
   * A multiple-choice question with {@code allow_other} takes the chosen choices and at most one
   * other text (the widget's one "Other" box). Several were accepted (up to one more than the
   * choices), each counted under {@code other} in the distribution, so one visitor weighed as
   * several.
   */
  @Test
  void aMultipleChoiceAnswerHasAtMostOneOtherText() {
    Survey survey =
        Survey.of(
            CampaignSettings.validate(
                CampaignType.SURVEY,
                json(
                    """
                    {"questions": [{"id": "love", "type": "multiple_choice", "text": "Loves?",
                                    "choices": ["A", "B"], "allow_other": true}]}
                    """)));
    assertThat(survey.checkAnswers(json("{\"love\": [\"A\", \"B\", \"Docs\"]}"), "answers"))
        .isEmpty();
    assertThat(survey.checkAnswers(json("{\"love\": [\"Docs\", \"A\", \"Speed\"]}"), "answers"))
        .extracting(ErrorDetail::field, ErrorDetail::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("answers.love[2]", "too_many_other"));
  }

  /**
   * With {@code allow_other}, the distribution counts every other text under the key {@code other};
   * a choice of that very text was counted under the same key, so its votes and the free texts
   * could not be told apart. Such a choice is refused, as the question id {@code end} is.
   */
  @Test
  void aChoiceNamedOtherBesideAllowOtherIsRefusedAsItsCountWouldMixWithOtherTexts() {
    String settings =
        """
        {"questions": [{"id": "why", "type": "single_choice", "text": "Why?",
                        "choices": ["Price", "other"], "allow_other": %s}]}
        """;
    assertThatThrownBy(
            () -> CampaignSettings.validate(CampaignType.SURVEY, json(settings.formatted("true"))))
        .isInstanceOfSatisfying(
            io.growthos.model.errors.ApiException.class,
            e ->
                assertThat(e.details())
                    .extracting(ErrorDetail::field, ErrorDetail::reason)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                            "settings.questions[0].choices[1]", "reserved")));
    // Without allow_other there is no "other" bucket: the choice is an ordinary one.
    Survey plain =
        Survey.of(
            CampaignSettings.validate(CampaignType.SURVEY, json(settings.formatted("false"))));
    SurveyTally tally = new SurveyTally(plain);
    tally.add(json("{\"why\": \"other\"}"), true);
    assertThat(tally.questions().get(0).distribution()).containsEntry("other", 1L);
  }

  /**
   * Responses stored before 2026-12-07 may hold a score written 10.0 (accepted, stored as sent): it
   * is counted under its integer, not left out of the NPS and the average while counted as
   * answered. Hand count of 10, 10, 9, 0, 3, 10: four promoters, two detractors, average 7.
   */
  @Test
  void aScoreStoredWithADecimalPointIsCountedAsItsInteger() {
    SurveyTally tally = new SurveyTally(SURVEY);
    for (String score : List.of("10", "10.0", "9e0", "0.0", "3", "10")) {
      tally.add(json("{\"score\": " + score + "}"), true);
    }
    SurveyTally.QuestionResult score = tally.questions().get(0);
    assertThat(score.answered()).isEqualTo(6);
    assertThat(score.distribution())
        .containsEntry("10", 3L)
        .containsEntry("9", 1L)
        .containsEntry("3", 1L)
        .containsEntry("0", 1L);
    assertThat(score.average()).isEqualTo(7.0);
    assertThat(score.nps().promoters()).isEqualTo(4);
    assertThat(score.nps().detractors()).isEqualTo(2);
    assertThat(score.nps().responses()).isEqualTo(6);
  }

  @Test
  void offPathAnswersAreThoseOfQuestionsTheLogicSkips() {
    // A promoter jumps from score to love: why and stars are skipped; an unknown id is not this
    // survey's to judge.
    assertThat(
            SURVEY.offPath(json("{\"score\": 10, \"why\": \"Price\", \"stars\": 4, \"gone\": 1}")))
        .containsExactly("why", "stars");
    assertThat(SURVEY.offPath(json("{\"score\": 3, \"why\": \"Speed\", \"stars\": 4}"))).isEmpty();
  }

  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of("{\"score\": 10}", List.of("score", "love", "more")),
        Arguments.of("{\"score\": 9}", List.of("score", "love", "more")),
        Arguments.of("{\"score\": 3, \"why\": \"Price\"}", List.of("score", "why")),
        Arguments.of(
            "{\"score\": 3, \"why\": \"Speed\"}", List.of("score", "why", "stars", "love", "more")),
        Arguments.of("{}", List.of("score", "why", "stars", "love", "more")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("paths")
  void logicDecidesWhichQuestionsAVisitorSees(String answers, List<String> expected) {
    assertThat(SURVEY.path(json(answers))).extracting(Survey.Question::id).isEqualTo(expected);
  }

  @Test
  void aCompleteResponseNeedsTheRequiredQuestionsOfItsPathOnly() {
    // "why" and "more" are required, but a promoter jumps over "why"; a detractor citing price
    // ends.
    assertThat(SURVEY.checkComplete(json("{\"score\": 10, \"more\": \"ok\"}"), "answers"))
        .isEmpty();
    assertThat(SURVEY.checkComplete(json("{\"score\": 2, \"why\": \"Price\"}"), "answers"))
        .isEmpty();
    assertThat(SURVEY.checkComplete(json("{\"score\": 10}"), "answers"))
        .extracting(ErrorDetail::field)
        .containsExactly("answers.more");
    assertThat(SURVEY.checkComplete(json("{\"more\": \"x\"}"), "answers"))
        .extracting(ErrorDetail::field)
        .containsExactly("answers.score", "answers.why");
  }

  static Stream<Arguments> urls() {
    return Stream.of(
        Arguments.of("exact", "https://x.io/pricing", "https://x.io/pricing", true),
        Arguments.of("exact", "https://x.io/pricing", "https://x.io/pricing?a=1", false),
        Arguments.of("contains", "/pricing", "https://x.io/en/pricing?a=1", true),
        Arguments.of("contains", "/pricing", "https://x.io/en/price", false),
        Arguments.of("glob", "https://x.io/app/*/billing", "https://x.io/app/42/billing", true),
        Arguments.of("glob", "https://x.io/app/*/billing", "https://x.io/app/a/b/billing", true),
        Arguments.of("glob", "https://x.io/app/*/billing", "https://x.io/app/42/billing/x", false),
        Arguments.of("glob", "https://x.io/a.b*", "https://x.io/aXb", false),
        Arguments.of("glob", "*", "anything", true),
        Arguments.of("glob", "*", "", true),
        Arguments.of("glob", "https://x.io/a*a", "https://x.io/a", false),
        Arguments.of("glob", "https://x.io/a*a", "https://x.io/aa", true),
        Arguments.of("glob", "*/b*/b", "x/b/b", true),
        Arguments.of("glob", "https://x.io/*", "https://x.io/", true),
        Arguments.of("exact", "https://x.io/", null, false));
  }

  /**
   * A URL glob is matched in linear time: the regular expression it was compiled to backtracked
   * over every split of a URL that does not match, so a visitor's 2,000-character URL against a
   * glob with a few path wildcards cost seconds to minutes of CPU per widget request.
   */
  @Test
  void aLongUrlAgainstAGlobWithManyWildcardsIsMatchedQuickly() {
    Survey s =
        Survey.of(
            CampaignSettings.validate(
                CampaignType.SURVEY,
                json(
                    "{\"targeting\": {\"url\": {\"match\": \"glob\","
                        + " \"value\": \"https://app.example.com/*/*/*/*/edit\"}}}")));
    String url = "https://app.example.com/" + "/".repeat(1970);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(2), () -> assertThat(s.urlMatches(url)).isFalse());
    assertThat(s.urlMatches("https://app.example.com/a/b/c/d/edit")).isTrue();
  }

  /** The linear matcher answers as a regular expression of the glob would, on many small cases. */
  @Test
  void globMatchingAgreesWithTheRegularExpressionOfTheGlob() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab/*";
    for (int n = 0; n < 20_000; n++) {
      String glob = randomText(random, alphabet, 6);
      String text = randomText(random, "ab/", 8);
      StringBuilder re = new StringBuilder();
      String[] parts = glob.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        re.append(i > 0 ? ".*" : "")
            .append(parts[i].isEmpty() ? "" : java.util.regex.Pattern.quote(parts[i]));
      }
      boolean expected =
          java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL)
              .matcher(text)
              .matches();
      assertThat(Survey.globMatches(glob, text)).as("%s vs %s", glob, text).isEqualTo(expected);
    }
  }

  private static String randomText(java.util.Random random, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
  @MethodSource("urls")
  void urlRules(String match, String value, String url, boolean expected) {
    Survey s =
        Survey.of(
            CampaignSettings.validate(
                CampaignType.SURVEY,
                json(
                    "{\"targeting\": {\"url\": {\"match\": \""
                        + match
                        + "\", \"value\": \""
                        + value
                        + "\"}}}")));
    assertThat(s.urlMatches(url)).isEqualTo(expected);
  }

  @Test
  void withoutAUrlRuleEveryPageMatchesAndTheTriggerIsAPageView() {
    Survey s = Survey.of(CampaignSettings.validate(CampaignType.SURVEY, json("{}")));
    assertThat(s.urlMatches(null)).isTrue();
    assertThat(s.triggeredBy(null)).isTrue();
    assertThat(s.triggeredBy("Order Completed")).isFalse();
    Survey onEvent =
        Survey.of(
            CampaignSettings.validate(
                CampaignType.SURVEY, json("{\"targeting\": {\"event\": \"Order Completed\"}}")));
    assertThat(onEvent.triggeredBy("Order Completed")).isTrue();
    assertThat(onEvent.triggeredBy(null)).isFalse();
    assertThat(onEvent.triggeredBy("Signed Up")).isFalse();
  }

  /**
   * NPS is rounded to one decimal the same way on both sides of zero: 1 promoter among 400 is 0.25
   * → 0.3, so 1 detractor among 400 is -0.25 → -0.3 (half away from zero). {@code Math.round}
   * rounds halves up, towards positive infinity, and gave -0.2: the same survey with its answers
   * mirrored did not get the mirrored score.
   */
  @Test
  void npsHalvesAreRoundedAwayFromZeroOnBothSides() {
    assertThat(SurveyTally.Nps.of(1, 399, 0).score()).isEqualTo(0.3);
    assertThat(SurveyTally.Nps.of(0, 399, 1).score()).isEqualTo(-0.3);
    assertThat(SurveyTally.Nps.of(0, 1999, 1).score()).isEqualTo(-0.1); // -0.05
    assertThat(SurveyTally.Nps.of(1, 1999, 0).score()).isEqualTo(0.1); // 0.05
    assertThat(SurveyTally.Nps.of(1, 1, 1).score()).isEqualTo(0.0);
    assertThat(SurveyTally.Nps.of(0, 2, 1).score()).isEqualTo(-33.3);
    assertThat(SurveyTally.Nps.of(2, 1, 0).score()).isEqualTo(66.7);
    assertThat(SurveyTally.Nps.of(0, 1, 2).score()).isEqualTo(-66.7);
    assertThat(SurveyTally.Nps.of(0, 0, 0).score()).isNull();
  }

  @Test
  void npsOfTenHandCheckedResponsesIs30() {
    // 5 promoters (9, 10, 10, 9, 10), 3 passives (7, 8, 8), 2 detractors (0, 6):
    // (5 - 2) / 10 = 30 %.
    SurveyTally tally = new SurveyTally(SURVEY);
    for (int score : new int[] {9, 10, 10, 9, 10, 7, 8, 8, 0, 6}) {
      tally.add(json("{\"score\": " + score + "}"), false);
    }
    SurveyTally.QuestionResult q = tally.questions().get(0);
    assertThat(q.nps().promoters()).isEqualTo(5);
    assertThat(q.nps().passives()).isEqualTo(3);
    assertThat(q.nps().detractors()).isEqualTo(2);
    assertThat(q.nps().score()).isEqualTo(30.0);
    assertThat(q.distribution().get("10")).isEqualTo(3);
    assertThat(q.distribution().get("5")).isZero();
    assertThat(q.distribution()).hasSize(11);
    assertThat(q.average()).isEqualTo(7.7);
    assertThat(q.answered()).isEqualTo(10);
  }

  @Test
  void npsRoundsToOneDecimalAndIsNullWithoutAnswers() {
    assertThat(SurveyTally.Nps.of(1, 1, 1).score()).isEqualTo(0.0);
    assertThat(SurveyTally.Nps.of(2, 0, 1).score()).isEqualTo(33.3);
    assertThat(SurveyTally.Nps.of(0, 0, 3).score()).isEqualTo(-100.0);
    assertThat(SurveyTally.Nps.of(0, 0, 0).score()).isNull();
  }

  @Test
  void dropOffCountsWherePartialResponsesStoppedOnTheirPath() {
    SurveyTally tally = new SurveyTally(SURVEY);
    tally.add(json("{\"score\": 3}"), false); // stopped at "why"
    tally.add(json("{\"score\": 10}"), false); // promoter: stopped at "love"
    tally.add(json("{}"), false); // saw the first question, answered nothing
    tally.add(json("{\"score\": 10, \"love\": [\"A\", \"B\"], \"more\": \"great\"}"), true);
    tally.add(json("{\"score\": 4, \"why\": \"Other reason\"}"), false); // stopped at "stars"
    var byId =
        tally.questions().stream()
            .collect(java.util.stream.Collectors.toMap(SurveyTally.QuestionResult::id, q -> q));
    assertThat(tally.responses()).isEqualTo(5);
    assertThat(tally.completed()).isEqualTo(1);
    assertThat(byId.get("score").reached()).isEqualTo(5);
    assertThat(byId.get("score").answered()).isEqualTo(4);
    assertThat(byId.get("score").droppedOff()).isEqualTo(1);
    assertThat(byId.get("why").reached()).isEqualTo(2);
    assertThat(byId.get("why").droppedOff()).isEqualTo(1);
    assertThat(byId.get("why").distribution())
        .containsEntry("other", 1L)
        .containsEntry("Price", 0L);
    assertThat(byId.get("stars").droppedOff()).isEqualTo(1);
    assertThat(byId.get("love").reached()).isEqualTo(2);
    assertThat(byId.get("love").droppedOff()).isEqualTo(1);
    assertThat(byId.get("love").distribution()).containsEntry("A", 1L).containsEntry("B", 1L);
    assertThat(byId.get("more").answered()).isEqualTo(1);
    assertThat(byId.get("more").droppedOff()).isZero();
    assertThat(byId.get("more").distribution()).isEmpty();
  }

  @Test
  void answersOfAnotherShapeThanTheQuestionNowAsksForAreSkipped() {
    // Stored before the questions changed: a list for the single choice "why", a 9 for the 1-5
    // rating "stars", a text for the multiple choice "love", a number for the text "more", and a
    // choice "C" that "love" (no other texts) does not have.
    SurveyTally tally = new SurveyTally(SURVEY);
    tally.add(
        json("{\"score\": 3, \"why\": [\"Price\", \"Speed\"], \"stars\": 9, \"more\": 5}"), true);
    tally.add(json("{\"score\": 10, \"love\": \"A\", \"more\": \"ok\"}"), true);
    tally.add(json("{\"score\": 10, \"love\": [\"A\", \"C\"], \"more\": \"ok\"}"), true);
    tally.add(json("{\"score\": 2, \"why\": \"Speed\", \"stars\": 4, \"more\": \"ok\"}"), true);
    var byId =
        tally.questions().stream()
            .collect(java.util.stream.Collectors.toMap(SurveyTally.QuestionResult::id, q -> q));
    assertThat(byId.get("why").reached()).isEqualTo(2);
    assertThat(byId.get("why").answered()).isEqualTo(1);
    assertThat(byId.get("why").distribution())
        .containsEntry("Speed", 1L)
        .containsEntry("Price", 0L)
        .containsEntry("other", 0L);
    assertThat(byId.get("stars").answered()).isEqualTo(1);
    assertThat(byId.get("stars").distribution()).doesNotContainKey("9").containsEntry("4", 1L);
    assertThat(byId.get("stars").average()).isEqualTo(4.0);
    assertThat(byId.get("love").reached()).isEqualTo(4);
    assertThat(byId.get("love").answered()).isZero();
    assertThat(byId.get("love").distribution()).containsOnlyKeys("A", "B");
    assertThat(byId.get("love").distribution().values()).containsOnly(0L);
    assertThat(byId.get("more").answered()).isEqualTo(3);
  }
}
