package io.growthos.management.surveys;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Survey campaigns on the Management API: settings validation, activation, results, exports. */
class SurveyResultsTests extends ApiTestSupport {

  @Autowired private javax.sql.DataSource dataSource;
  @Autowired private JsonMapper json;
  @Autowired private io.growthos.management.paging.Cursors cursors;

  private static final String SURVEY =
      """
      {"type": "survey", "name": "NPS Q4", "settings": {
         "questions": [
           {"id": "score", "type": "nps", "text": "How likely are you to recommend us?",
            "required": true,
            "logic": [{"if": {"op": "gte", "value": 9}, "then": {"jump_to": "end"}}]},
           {"id": "why", "type": "text", "text": "What should we improve?"}],
         "targeting": {"url": {"match": "contains", "value": "/app"}, "delay_seconds": 3},
         "thank_you": {"headline": "Thanks!"}}}
      """;

  private String createSurvey(Tenant t) {
    Response r = post("/v1/campaigns", t.key(), SURVEY);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private void insertResponse(
      Tenant t, String campaign, String responseId, String answers, boolean completed) {
    jdbc.update(
        "insert into survey_responses (workspace_id, campaign_id, response_id, anonymous_id,"
            + " answers, completed, completed_at) values (?, ?, ?, 'anon', ?::jsonb, ?,"
            + " case when ? then now() end)",
        t.workspaceId(),
        campaign,
        responseId,
        answers,
        completed,
        completed);
  }

  @Test
  void aSurveyIsCreatedWithDefaultsAndActivatedOnlyWithQuestions() {
    Tenant t = newTenant();
    String id = createSurvey(t);
    Response got = get("/v1/campaigns/" + id, t.key());
    JsonNode settings = got.body().path("settings");
    assertThat(settings.path("questions").get(1).path("max_length").asInt()).isEqualTo(1000);
    assertThat(settings.path("targeting").path("once_per_contact").asBoolean()).isTrue();
    assertThat(settings.path("thank_you").path("headline").asString()).isEqualTo("Thanks!");
    Response active = patch("/v1/campaigns/" + id, t.key(), "{\"status\": \"active\"}");
    assertThat(active.status()).as(active.raw()).isEqualTo(200);

    Response empty = post("/v1/campaigns", t.key(), "{\"type\": \"survey\", \"name\": \"e\"}");
    Response refused =
        patch(
            "/v1/campaigns/" + empty.body().path("id").asString(),
            t.key(),
            "{\"status\": \"active\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.firstDetail().path("field").asString()).isEqualTo("settings.questions");
  }

  @Test
  void settingsProblemsAre400NamingThePath() {
    Tenant t = newTenant();
    Response choices =
        post(
            "/v1/campaigns",
            t.key(),
            SURVEY.replace(
                "{\"id\": \"why\", \"type\": \"text\", \"text\": \"What should we improve?\"}",
                "{\"id\": \"why\", \"type\": \"single_choice\", \"text\": \"Why?\","
                    + " \"choices\": \"a\"}"));
    assertThat(choices.status()).as(choices.raw()).isEqualTo(400);
    assertThat(choices.firstDetail().path("field").asString())
        .isEqualTo("settings.questions[1].choices");
    Response backwards =
        post(
            "/v1/campaigns",
            t.key(),
            SURVEY.replace("\"jump_to\": \"end\"", "\"jump_to\": \"score\""));
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.firstDetail().path("field").asString())
        .isEqualTo("settings.questions[0].logic[0].then.jump_to");
    assertThat(backwards.firstDetail().path("reason").asString()).isEqualTo("backward_jump");
    Response unknown =
        post(
            "/v1/campaigns",
            t.key(),
            SURVEY.replace("\"jump_to\": \"end\"", "\"jump_to\": \"q9\""));
    assertThat(unknown.firstDetail().path("reason").asString()).isEqualTo("unknown_question");
  }

  @Test
  void aHugeIntegerInTheSettingsIsA400NamingItNotA500() {
    Tenant t = newTenant();
    // 2^64 + 5: Jackson 3 refuses to read it as a long, which was a 500 on POST and PATCH.
    String big = "18446744073709551621";
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            SURVEY.replace("\"delay_seconds\": 3", "\"delay_seconds\": " + big));
    assertThat(created.status()).as(created.raw()).isEqualTo(400);
    assertThat(created.firstDetail().path("field").asString())
        .isEqualTo("settings.targeting.delay_seconds");
    String id = createSurvey(t);
    Response patched =
        patch(
            "/v1/campaigns/" + id,
            t.key(),
            """
            {"settings": {"questions": [{"id": "stars", "type": "rating", "text": "Rate us",
                                         "scale": %s}]}}
            """
                .formatted(big));
    assertThat(patched.status()).as(patched.raw()).isEqualTo(400);
    assertThat(patched.firstDetail().path("field").asString())
        .isEqualTo("settings.questions[0].scale");
  }

  /**
   * A survey shown to a segment that does not exist (a typo, another workspace's id, one deleted
   * before) is shown to nobody, so naming one is refused as a segment's own filter refuses it: 422
   * {@code unknown_segment} on {@code audience}, as an id or inside a filter. Before, any
   * well-formed {@code seg_…} was saved and the survey silently reached no one.
   */
  @Test
  void anAudienceNamingASegmentThatDoesNotExistIs422() {
    Tenant t = newTenant();
    Tenant other = newTenant();
    Response theirs =
        post(
            "/v1/segments",
            other.key(),
            "{\"name\": \"Pros\", \"filter\": {\"field\": \"traits.plan\", \"op\": \"eq\", \"value\":"
                + " \"pro\"}}");
    assertThat(theirs.status()).as(theirs.raw()).isEqualTo(201);
    String foreign = theirs.body().path("id").asString();
    for (String audience :
        List.of(
            "\"" + foreign + "\"",
            "{\"all\": [{\"segment\": \""
                + foreign
                + "\"}, {\"field\": \"traits.plan\", \"op\":"
                + " \"eq\", \"value\": \"pro\"}]}")) {
      Response created =
          post(
              "/v1/campaigns",
              t.key(),
              SURVEY.replace(
                  "\"name\": \"NPS Q4\",",
                  "\"name\": \"NPS Q4\", \"audience\": " + audience + ","));
      assertThat(created.status()).as(created.raw()).isEqualTo(422);
      assertThat(created.firstDetail().path("field").asString()).isEqualTo("audience");
      assertThat(created.firstDetail().path("reason").asString()).isEqualTo("unknown_segment");
    }
    String id = createSurvey(t);
    Response patched = patch("/v1/campaigns/" + id, t.key(), "{\"audience\": \"" + foreign + "\"}");
    assertThat(patched.status()).as(patched.raw()).isEqualTo(422);
    assertThat(patched.firstDetail().path("field").asString()).isEqualTo("audience");

    Response mine =
        post(
            "/v1/segments",
            t.key(),
            "{\"name\": \"Pros\", \"filter\": {\"field\": \"traits.plan\", \"op\": \"eq\", \"value\":"
                + " \"pro\"}}");
    String own = mine.body().path("id").asString();
    Response ok = patch("/v1/campaigns/" + id, t.key(), "{\"audience\": \"" + own + "\"}");
    assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    assertThat(ok.body().path("audience").asString()).isEqualTo(own);
  }

  @Test
  void resultsGiveTheNpsOfAHandCheckedExample() {
    Tenant t = newTenant();
    String id = createSurvey(t);
    // 5 promoters, 3 passives, 2 detractors: NPS = 100 * (5 - 2) / 10 = 30.
    int[] scores = {10, 9, 10, 9, 9, 7, 8, 7, 3, 6};
    for (int i = 0; i < scores.length; i++) {
      boolean promoter = scores[i] >= 9;
      String answers =
          promoter
              ? "{\"score\": " + scores[i] + "}"
              : "{\"score\": " + scores[i] + ", \"why\": \"reason " + i + "\"}";
      insertResponse(t, id, "r" + i, answers, true);
    }
    // Two partial responses: one stopped at "why", one answered nothing yet.
    insertResponse(t, id, "p1", "{\"score\": 5}", false);
    insertResponse(t, id, "p2", "{}", false);
    for (int i = 0; i < 20; i++) {
      jdbc.update(
          "insert into survey_interactions (workspace_id, campaign_id, kind, anonymous_id)"
              + " values (?, ?, ?, 'anon')",
          t.workspaceId(),
          id,
          i < 15 ? "display" : "dismissal");
    }
    Response r = get("/v1/campaigns/" + id + "/results", t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode b = r.body();
    assertThat(b.path("object").asString()).isEqualTo("survey_results");
    assertThat(b.path("displays").asLong()).isEqualTo(15);
    assertThat(b.path("dismissals").asLong()).isEqualTo(5);
    assertThat(b.path("responses").asLong()).isEqualTo(12);
    assertThat(b.path("completed").asLong()).isEqualTo(10);
    assertThat(b.path("partial").asLong()).isEqualTo(2);
    assertThat(b.path("completion_rate").asDouble()).isEqualTo(0.8333);
    // The partial 5 is a detractor too: 5 promoters, 3 passives, 3 detractors of 11 → 18.2.
    JsonNode nps = b.path("nps");
    assertThat(nps.path("promoters").asLong()).isEqualTo(5);
    assertThat(nps.path("passives").asLong()).isEqualTo(3);
    assertThat(nps.path("detractors").asLong()).isEqualTo(3);
    assertThat(nps.path("score").asDouble()).isEqualTo(18.2);
    JsonNode score = b.path("questions").get(0);
    assertThat(score.path("distribution").path("9").asLong()).isEqualTo(3);
    assertThat(score.path("distribution").path("0").asLong()).isZero();
    assertThat(score.path("reached").asLong()).isEqualTo(12);
    assertThat(score.path("answered").asLong()).isEqualTo(11);
    assertThat(score.path("dropped_off").asLong()).isEqualTo(1);
    JsonNode why = b.path("questions").get(1);
    assertThat(why.path("reached").asLong()).isEqualTo(6); // 5 complete non-promoters + p1
    assertThat(why.path("answered").asLong()).isEqualTo(5);
    assertThat(why.path("dropped_off").asLong()).isEqualTo(1);
  }

  @Test
  void resultsStreamTheResponsesInsteadOfReadingThemAllIntoMemory() {
    Tenant t = newTenant();
    String id = createSurvey(t);
    int n = 2 * SurveyResultsService.STREAM_ROWS + 500;
    jdbc.update(
        "insert into survey_responses (workspace_id, campaign_id, response_id, anonymous_id,"
            + " answers, completed, completed_at) select ?, ?, 'r' || i, 'anon-' || i,"
            + " jsonb_build_object('score', i % 11), true, now() from generate_series(1, ?) i",
        t.workspaceId(), id, n);
    // The fetch size of every statement run, recorded at the JDBC boundary of the real database.
    Map<String, Integer> fetchSizes = new java.util.concurrent.ConcurrentHashMap<>();
    javax.sql.DataSource recording = recordingFetchSizes(dataSource, fetchSizes);
    SurveyResultsService service =
        new SurveyResultsService(new JdbcTemplate(recording), json, cursors);
    SurveyResultsResponse results =
        new TransactionTemplate(new JdbcTransactionManager(recording))
            .execute(status -> service.results(t.workspaceId(), id));
    assertThat(results.responses()).isEqualTo(n);
    assertThat(results.nps().responses()).isEqualTo(n);
    // A fetch size makes the driver read that many rows at a time (inside a transaction); without
    // one it held all of them: 2,000,000 responses stopped the service with an OutOfMemoryError.
    assertThat(fetchSizes)
        .as("statements reading survey_responses")
        .hasEntrySatisfying(
            "select answers::text, completed from survey_responses"
                + " where workspace_id = ? and campaign_id = ?",
            size -> assertThat(size).isEqualTo(SurveyResultsService.STREAM_ROWS));
  }

  /** {@code target}, recording the fetch size each prepared statement was executed with. */
  private static javax.sql.DataSource recordingFetchSizes(
      javax.sql.DataSource target, Map<String, Integer> fetchSizes) {
    return new org.springframework.jdbc.datasource.DelegatingDataSource(target) {
      @Override
      public java.sql.Connection getConnection() throws java.sql.SQLException {
        java.sql.Connection con = super.getConnection();
        return (java.sql.Connection)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {java.sql.Connection.class},
                (proxy, method, args) -> {
                  Object result = invoke(con, method, args);
                  if (method.getName().equals("prepareStatement")
                      && result instanceof java.sql.PreparedStatement ps) {
                    String sql = (String) args[0];
                    return java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {java.sql.PreparedStatement.class},
                        (p, m, a) -> {
                          if (m.getName().startsWith("execute")) {
                            fetchSizes.put(sql, ps.getFetchSize());
                          }
                          return invoke(ps, m, a);
                        });
                  }
                  return result;
                });
      }
    };
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void completedResponsesAloneGiveNps30() {
    Tenant t = newTenant();
    String id = createSurvey(t);
    int[] scores = {10, 9, 10, 9, 9, 7, 8, 7, 3, 6};
    for (int i = 0; i < scores.length; i++) {
      insertResponse(t, id, "r" + i, "{\"score\": " + scores[i] + ", \"why\": \"x\"}", true);
    }
    JsonNode nps = get("/v1/campaigns/" + id + "/results", t.key()).body().path("nps");
    assertThat(nps.path("score").asDouble()).isEqualTo(30.0);
    assertThat(nps.path("responses").asLong()).isEqualTo(10);
  }

  @Test
  void responsesAreExportedWithCursorsAndTextAnswersPaginated() {
    Tenant t = newTenant();
    String id = createSurvey(t);
    for (int i = 0; i < 7; i++) {
      insertResponse(t, id, "r" + i, "{\"score\": 3, \"why\": \"answer " + i + "\"}", i % 2 == 0);
    }
    insertResponse(t, id, "no-text", "{\"score\": 10}", true);
    List<String> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page =
          get(
              "/v1/campaigns/"
                  + id
                  + "/responses?limit=3"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              t.key());
      assertThat(page.status()).as(page.raw()).isEqualTo(200);
      all.addAll(ids(page));
      cursor =
          page.body().path("has_more").asBoolean()
              ? page.body().path("next_cursor").asString()
              : null;
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(all).containsExactly("no-text", "r6", "r5", "r4", "r3", "r2", "r1", "r0");
    assertThat(ids(get("/v1/campaigns/" + id + "/responses?completed=false", t.key())))
        .containsExactly("r5", "r3", "r1");
    // completed is true or false, as in a JSON body; Spring alone also read 1, yes, on and TRUE.
    for (String loose : List.of("1", "yes", "on", "TRUE", "False", "ture")) {
      Response refused = get("/v1/campaigns/" + id + "/responses?completed=" + loose, t.key());
      assertThat(refused.status()).as(loose + " " + refused.raw()).isEqualTo(400);
      assertThat(refused.body().path("error").path("details").get(0).path("field").asString())
          .isEqualTo("completed");
      assertThat(refused.body().path("error").path("message").asString())
          .contains("true or false", loose);
    }
    assertThat(ids(get("/v1/campaigns/" + id + "/responses?completed=", t.key()))).hasSize(8);

    Response answers =
        get("/v1/campaigns/" + id + "/results/questions/why/answers?limit=5", t.key());
    assertThat(answers.status()).as(answers.raw()).isEqualTo(200);
    JsonNode data = answers.body().path("data");
    assertThat(data.size()).isEqualTo(5);
    assertThat(data.get(0).path("response_id").asString()).isEqualTo("r6");
    assertThat(data.get(0).path("answer").asString()).isEqualTo("answer 6");
    Response rest =
        get(
            "/v1/campaigns/"
                + id
                + "/results/questions/why/answers?limit=5&cursor="
                + answers.body().path("next_cursor").asString(),
            t.key());
    assertThat(rest.body().path("data").size()).isEqualTo(2);
    assertThat(rest.body().path("has_more").asBoolean()).isFalse();
    // A cursor of the answers list is not one of the responses list.
    assertThat(
            get(
                    "/v1/campaigns/"
                        + id
                        + "/responses?cursor="
                        + answers.body().path("next_cursor").asString(),
                    t.key())
                .status())
        .isEqualTo(400);
    assertThat(get("/v1/campaigns/" + id + "/results/questions/nope/answers", t.key()).status())
        .isEqualTo(404);
  }

  @Test
  void otherWorkspacesSurveysAre404AndOtherCampaignTypes422() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String id = createSurvey(theirs);
    insertResponse(theirs, id, "r", "{\"score\": 10}", true);
    for (String path : List.of("/results", "/responses", "/results/questions/score/answers")) {
      Response r = get("/v1/campaigns/" + id + path, mine.key());
      assertThat(r.status()).as(path).isEqualTo(404);
    }
    String waitlist =
        post("/v1/campaigns", mine.key(), "{\"type\": \"waitlist\", \"name\": \"w\"}")
            .body()
            .path("id")
            .asString();
    Response r = get("/v1/campaigns/" + waitlist + "/results", mine.key());
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("not_supported");
  }

  private static final String SHAPED =
      """
      {"questions": [
         {"id": "pick", "type": "single_choice", "text": "Pick one", "choices": ["a", "b", "c"],
          "allow_other": true},
         {"id": "stars", "type": "rating", "text": "Rate us"},
         {"id": "note", "type": "text", "text": "Anything else?"}]}
      """;

  private Response patchSettings(Tenant t, String id, String settings) {
    return patch("/v1/campaigns/" + id, t.key(), "{\"settings\": " + settings + "}");
  }

  /** An active survey of {@link #SHAPED} whose "pick" and "stars" have one answer each. */
  private String answeredShapedSurvey(Tenant t) {
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"survey\", \"name\": \"s\", \"status\": \"active\", \"settings\": "
                + SHAPED
                + "}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    insertResponse(t, id, "r1", "{\"pick\": \"a\", \"stars\": 4}", true);
    return id;
  }

  @Test
  void aQuestionWithAnswersKeepsItsTypeScaleChoicesAndOtherAnswers() {
    Tenant t = newTenant();
    String id = answeredShapedSurvey(t);

    // Each change alone, on a question that has an answer: 422 naming the field.
    Map<String, String> changes =
        Map.of(
            "settings.questions[0].type",
            SHAPED.replace("\"type\": \"single_choice\"", "\"type\": \"multiple_choice\""),
            "settings.questions[0].choices",
            SHAPED.replace("[\"a\", \"b\", \"c\"]", "[\"a\", \"b\"]"),
            "settings.questions[0].allow_other",
            SHAPED.replace("\"allow_other\": true", "\"allow_other\": false"),
            "settings.questions[1].scale",
            SHAPED.replace("\"text\": \"Rate us\"", "\"text\": \"Rate us\", \"scale\": 10"),
            "settings.questions[1].type",
            SHAPED.replace("\"type\": \"rating\"", "\"type\": \"nps\""));
    for (Map.Entry<String, String> change : changes.entrySet()) {
      Response r = patchSettings(t, id, change.getValue());
      assertThat(r.status()).as(change.getKey() + " " + r.raw()).isEqualTo(422);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo(change.getKey());
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("immutable");
      assertThat(r.firstDetail().path("message").asString()).contains("already has answers");
    }
    assertThat(get("/v1/campaigns/" + id, t.key()).body().path("version").asInt()).isEqualTo(1);

    // A new choice, another order, new texts, and any change to the unanswered "note": fine.
    Response ok =
        patchSettings(
            t,
            id,
            SHAPED
                .replace("[\"a\", \"b\", \"c\"]", "[\"c\", \"a\", \"b\", \"d\"]")
                .replace("Rate us", "Rate our support")
                .replace(
                    "{\"id\": \"note\", \"type\": \"text\", \"text\": \"Anything else?\"}",
                    "{\"id\": \"note\", \"type\": \"nps\", \"text\": \"Recommend us?\"}"));
    assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    JsonNode results = get("/v1/campaigns/" + id + "/results", t.key()).body();
    assertThat(results.path("questions").path(0).path("distribution").path("a").asLong())
        .isEqualTo(1);
    assertThat(results.path("questions").path(0).path("distribution").path("d").asLong()).isZero();
  }

  @Test
  void aRemovedQuestionWithAnswersCannotComeBackUnderItsIdButOneWithoutAnswersCan() {
    Tenant t = newTenant();
    String id = answeredShapedSurvey(t);

    // Removing the answered "pick" and the unanswered "note" is fine.
    String withoutPick =
        "{\"questions\": [{\"id\": \"stars\", \"type\": \"rating\", \"text\": \"Rate us\"}]}";
    Response removed = patchSettings(t, id, withoutPick);
    assertThat(removed.status()).as(removed.raw()).isEqualTo(200);

    // "pick" coming back as a text question would give its stored choice another meaning: 422.
    Response back =
        patchSettings(
            t,
            id,
            "{\"questions\": [{\"id\": \"stars\", \"type\": \"rating\", \"text\": \"Rate us\"},"
                + " {\"id\": \"pick\", \"type\": \"text\", \"text\": \"Why?\"}]}");
    assertThat(back.status()).as(back.raw()).isEqualTo(422);
    assertThat(back.firstDetail().path("field").asString()).isEqualTo("settings.questions[1].id");
    assertThat(back.firstDetail().path("reason").asString()).isEqualTo("immutable");
    assertThat(back.firstDetail().path("message").asString()).contains("'pick'", "another id");
    assertThat(get("/v1/campaigns/" + id, t.key()).body().path("version").asInt()).isEqualTo(2);

    // "note" had no answers: its id can be used again, with any shape.
    Response note =
        patchSettings(
            t,
            id,
            "{\"questions\": [{\"id\": \"stars\", \"type\": \"rating\", \"text\": \"Rate us\"},"
                + " {\"id\": \"note\", \"type\": \"nps\", \"text\": \"Recommend us?\"}]}");
    assertThat(note.status()).as(note.raw()).isEqualTo(200);
  }

  @Test
  void resultsSkipStoredAnswersOfAnotherShapeInsteadOfFailing() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"survey\", \"name\": \"s\", \"settings\": " + SHAPED + "}");
    String id = created.body().path("id").asString();
    // Stored against an older copy of the survey (the widget validates against what it read):
    // a list for the single choice, a 9 for the 1-5 rating.
    insertResponse(t, id, "r1", "{\"pick\": [\"a\", \"b\"], \"stars\": 9}", true);
    insertResponse(t, id, "r2", "{\"pick\": \"b\", \"stars\": 5}", true);

    Response r = get("/v1/campaigns/" + id + "/results", t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode pick = r.body().path("questions").path(0);
    assertThat(pick.path("reached").asLong()).isEqualTo(2);
    assertThat(pick.path("answered").asLong()).isEqualTo(1);
    assertThat(pick.path("distribution").path("b").asLong()).isEqualTo(1);
    assertThat(pick.path("distribution").path("a").asLong()).isZero();
    JsonNode stars = r.body().path("questions").path(1);
    assertThat(stars.path("answered").asLong()).isEqualTo(1);
    assertThat(stars.path("distribution").has("9")).isFalse();
    assertThat(stars.path("average").asDouble()).isEqualTo(5.0);
  }

  @Test
  void anActiveSurveyCannotBeEmptiedOfItsQuestions() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"survey\", \"name\": \"s\", \"status\": \"active\", \"settings\": "
                + SHAPED
                + "}");
    String id = created.body().path("id").asString();
    Response emptied = patchSettings(t, id, "{\"questions\": []}");
    assertThat(emptied.status()).as(emptied.raw()).isEqualTo(422);
    assertThat(emptied.firstDetail().path("field").asString()).isEqualTo("settings.questions");
    assertThat(get("/v1/campaigns/" + id, t.key()).body().path("settings").path("questions"))
        .hasSize(3);

    // Paused in the same request, it may be emptied; it cannot run again until it has questions.
    Response paused =
        patch(
            "/v1/campaigns/" + id,
            t.key(),
            "{\"status\": \"paused\", \"settings\": {\"questions\": []}}");
    assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
    assertThat(patch("/v1/campaigns/" + id, t.key(), "{\"status\": \"active\"}").status())
        .isEqualTo(422);
  }
}
