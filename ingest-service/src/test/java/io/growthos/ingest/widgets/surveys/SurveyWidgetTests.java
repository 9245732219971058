package io.growthos.ingest.widgets.surveys;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.testsupport.LockWaits;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The survey widget routes over HTTP against the real database. */
class SurveyWidgetTests extends IngestTestBase {

  @Autowired DataSource dataSource;

  /**
   * A survey write waiting for the campaign's row (its lock, or the foreign-key check of its
   * insert).
   */
  private static final String[] WAITING_FOR_THE_CAMPAIGN = {
    "%from campaigns%", "%into survey_responses%", "%into survey_interactions%"
  };

  /**
   * A survey write waiting for the contact's row (its lock, or the foreign-key check of its
   * insert).
   */
  private static final String[] WAITING_FOR_THE_CONTACT = {
    "%for key share%", "%into survey_responses%"
  };

  private static final String NPS_SURVEY =
      """
      {"questions": [
         {"id": "score", "type": "nps", "text": "How likely are you to recommend us?",
          "required": true,
          "logic": [{"if": {"op": "gte", "value": 9}, "then": {"jump_to": "end"}}]},
         {"id": "why", "type": "text", "text": "What should we improve?", "max_length": 20,
          "required": true}]}
      """;

  /** {@link #NPS_SURVEY} without the once-per-contact cap: shown again after a display. */
  private static final String SHOWN_AGAIN_SURVEY =
      NPS_SURVEY.replaceFirst("\\{", "{\"targeting\": {\"once_per_contact\": false}, ");

  // --- helpers -----------------------------------------------------------------------------------

  String survey(Workspace ws, String settings) {
    return campaign(ws, settings, null, "active", null, null);
  }

  String campaign(
      Workspace ws, String settings, String audience, String status, String starts, String ends) {
    String id = Ids.next(IdPrefix.CAMPAIGN);
    JsonNode validated = CampaignSettings.validate(CampaignType.SURVEY, JSON.readTree(settings));
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings, audience,"
            + " starts_at, ends_at) values (?, ?, 'survey', 'NPS', ?, ?::jsonb, ?::jsonb,"
            + " ?::timestamptz, ?::timestamptz)",
        ws.id(),
        id,
        status,
        JSON.writeValueAsString(validated),
        audience,
        starts,
        ends);
    return id;
  }

  /** A contact with these traits, known by {@code anonymousId} and {@code userId}. */
  String contact(Workspace ws, String anonymousId, String userId, String traits) {
    String id = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, traits) values (?, ?, ?, ?::jsonb)",
        ws.id(),
        id,
        userId,
        traits);
    if (anonymousId != null) {
      jdbc.update(
          "insert into contact_identities (workspace_id, kind, value, contact_id)"
              + " values (?, 'anonymous_id', ?, ?)",
          ws.id(),
          anonymousId,
          id);
    }
    return id;
  }

  HttpResponse<String> get(Workspace ws, String pathAndQuery) {
    return seen(
        send(
            HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", ws.bearer())
                .GET()
                .build()));
  }

  /** Every survey widget answer of the running test. */
  private final List<HttpResponse<String>> widgetAnswers =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private HttpResponse<String> seen(HttpResponse<String> answer) {
    widgetAnswers.add(answer);
    return answer;
  }

  /**
   * A widget answer goes to any page holding the public write key: it names no contact (a visitor
   * posting someone's user_id must not learn their contact id; docs/security.md).
   */
  @AfterEach
  void noWidgetAnswerNamesAContact() {
    synchronized (widgetAnswers) {
      for (HttpResponse<String> r : widgetAnswers) {
        assertThat(r.body())
            .as(r.request().method() + " " + r.uri().getPath())
            .doesNotContain("cntct_")
            .doesNotContain("contact_id");
      }
    }
  }

  /** The id of the survey shown for these query parameters (name, value, …), or null. */
  String shown(Workspace ws, String... params) {
    StringBuilder q = new StringBuilder("/v1/widgets/surveys?");
    for (int i = 0; i < params.length; i += 2) {
      q.append(i == 0 ? "" : "&")
          .append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = get(ws, q.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode s = json(r).path("survey");
    return s.isNull() ? null : s.path("id").asString();
  }

  HttpResponse<String> post(Workspace ws, String campaign, String what, String body) {
    return seen(
        post("/v1/widgets/campaigns/" + campaign + "/" + what, body, "Authorization", ws.bearer()));
  }

  /** The contact a stored response was recorded for. */
  String responseContact(Workspace ws, String responseId) {
    return jdbc.queryForObject(
        "select contact_id from survey_responses where workspace_id = ? and response_id = ?",
        String.class,
        ws.id(),
        responseId);
  }

  /** {@code n} identical posts sent at once, from {@code n} threads; their answers. */
  List<HttpResponse<String>> postAtOnce(
      int n, Workspace ws, String campaign, String what, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(() -> post(ws, campaign, what, body));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  long outbox(Workspace ws, String type) {
    return jdbc.queryForObject(
        "select count(*) from webhook_outbox where workspace_id = ? and type = ?",
        Long.class,
        ws.id(),
        type);
  }

  long surveyEvents(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from events where workspace_id = ? and event = 'Survey Responded'",
        Long.class,
        ws.id());
  }

  // --- targeting and caps ----------------------------------------------------------------------

  /**
   * One row of the targeting table: a survey's targeting (and audience), what happened before, the
   * widget's query, and whether the survey is shown.
   */
  record Case(
      String name,
      String targeting,
      String audience,
      Consumer<Setup> before,
      String[] query,
      boolean shown) {}

  /** What a case may prepare: the workspace, its survey, another survey. */
  record Setup(Workspace ws, String survey, String otherSurvey, SurveyWidgetTests t) {
    void interaction(String campaign, String kind, String anonymousId, String daysAgo) {
      t.jdbc.update(
          "insert into survey_interactions (workspace_id, campaign_id, kind, anonymous_id,"
              + " created_at) values (?, ?, ?, ?, now() - ?::interval)",
          ws.id(),
          campaign,
          kind,
          anonymousId,
          daysAgo + " days");
    }

    /** A response of {@code anonymousId}, without any display recorded. */
    void response(String campaign, String anonymousId, boolean completed) {
      t.jdbc.update(
          "insert into survey_responses (workspace_id, campaign_id, response_id, anonymous_id,"
              + " answers, completed, completed_at) values (?, ?, ?, ?, '{\"score\": 5}'::jsonb, ?,"
              + " case when ? then now() end)",
          ws.id(),
          campaign,
          "r-" + anonymousId,
          anonymousId,
          completed,
          completed);
    }
  }

  static String[] q(String... params) {
    return params;
  }

  @Test
  void targetingAndFrequencyCapsDecideWhichSurveyIsShown() {
    Consumer<Setup> nothing = s -> {};
    List<Case> cases =
        List.of(
            new Case(
                "no targeting: any page view", "{}", null, nothing, q("anonymous_id", "a"), true),
            new Case(
                "no targeting: not on a tracked event",
                "{}",
                null,
                nothing,
                q("anonymous_id", "a", "event", "Signed Up"),
                false),
            new Case(
                "event trigger matches",
                "{\"event\": \"Order Completed\"}",
                null,
                nothing,
                q("anonymous_id", "a", "event", "Order Completed"),
                true),
            new Case(
                "event trigger: page view does not",
                "{\"event\": \"Order Completed\"}",
                null,
                nothing,
                q("anonymous_id", "a"),
                false),
            new Case(
                "event trigger: other event does not",
                "{\"event\": \"Order Completed\"}",
                null,
                nothing,
                q("anonymous_id", "a", "event", "Signed Up"),
                false),
            new Case(
                "url exact",
                "{\"url\": {\"match\": \"exact\", \"value\": \"https://x.io/pricing\"}}",
                null,
                nothing,
                q("anonymous_id", "a", "url", "https://x.io/pricing"),
                true),
            new Case(
                "url exact, other page",
                "{\"url\": {\"match\": \"exact\", \"value\": \"https://x.io/pricing\"}}",
                null,
                nothing,
                q("anonymous_id", "a", "url", "https://x.io/"),
                false),
            new Case(
                "url rule, no url sent",
                "{\"url\": {\"match\": \"contains\", \"value\": \"/app\"}}",
                null,
                nothing,
                q("anonymous_id", "a"),
                false),
            new Case(
                "url glob",
                "{\"url\": {\"match\": \"glob\", \"value\": \"https://x.io/app/*\"}}",
                null,
                nothing,
                q("anonymous_id", "a", "url", "https://x.io/app/settings/billing"),
                true),
            new Case(
                "dismissed: never again",
                "{\"once_per_contact\": false}",
                null,
                s -> s.interaction(s.survey(), "dismissal", "a", "30"),
                q("anonymous_id", "a"),
                false),
            new Case(
                "someone else's dismissal does not count",
                "{}",
                null,
                s -> s.interaction(s.survey(), "dismissal", "b", "0"),
                q("anonymous_id", "a"),
                true),
            new Case(
                "once per contact: displayed before",
                "{}",
                null,
                s -> s.interaction(s.survey(), "display", "a", "100"),
                q("anonymous_id", "a"),
                false),
            new Case(
                "once per contact: a partial response before, no display",
                "{}",
                null,
                s -> s.response(s.survey(), "a", false),
                q("anonymous_id", "a"),
                false),
            new Case(
                "not once per contact: responded before",
                "{\"once_per_contact\": false}",
                null,
                s -> s.response(s.survey(), "a", true),
                q("anonymous_id", "a"),
                true),
            new Case(
                "not once per contact: displayed before",
                "{\"once_per_contact\": false}",
                null,
                s -> s.interaction(s.survey(), "display", "a", "100"),
                q("anonymous_id", "a"),
                true),
            new Case(
                "min days: another survey shown 2 days ago",
                "{\"min_days_between_surveys\": 7}",
                null,
                s -> s.interaction(s.otherSurvey(), "display", "a", "2"),
                q("anonymous_id", "a"),
                false),
            new Case(
                "min days: another survey shown 10 days ago",
                "{\"min_days_between_surveys\": 7}",
                null,
                s -> s.interaction(s.otherSurvey(), "display", "a", "10"),
                q("anonymous_id", "a"),
                true),
            new Case(
                "caps follow the contact: shown to its anonymous id, asked by its user id",
                "{}",
                null,
                s -> {
                  s.t().contact(s.ws(), "anon-1", "user-1", "{}");
                  s.t()
                      .post(
                          s.ws(),
                          s.survey(),
                          "displays",
                          "{\"anonymous_id\": \"anon-1\", \"url\": \"https://x.io\"}");
                },
                q("user_id", "user-1"),
                false),
            new Case(
                "audience filter: in it",
                "{}",
                "{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}",
                s -> s.t().contact(s.ws(), "a", null, "{\"plan\": \"pro\"}"),
                q("anonymous_id", "a"),
                true),
            new Case(
                "audience filter: not in it",
                "{}",
                "{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}",
                s -> s.t().contact(s.ws(), "a", null, "{\"plan\": \"free\"}"),
                q("anonymous_id", "a"),
                false),
            new Case(
                "audience filter: unknown visitor (no contact)",
                "{}",
                "{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}",
                nothing,
                q("anonymous_id", "a"),
                false));
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      Workspace ws = newWorkspace();
      String settings = NPS_SURVEY.replaceFirst("\\{", "{\"targeting\": " + c.targeting() + ", ");
      String id =
          campaign(ws, settings, c.audience() == null ? null : c.audience(), "active", null, null);
      // Another survey, not live, for the cross-survey cap.
      String other = campaign(ws, NPS_SURVEY, null, "paused", null, null);
      c.before().accept(new Setup(ws, id, other, this));
      String got = shown(ws, c.query());
      if ((got != null) != c.shown() || (got != null && !got.equals(id))) {
        failures.add(c.name() + ": expected shown=" + c.shown() + ", got " + got);
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * The widget sends {@code location.href}, in which a browser percent-encodes every letter outside
   * ASCII and every space: on {@code https://shop.example.de/über-uns} it sends {@code
   * https://shop.example.de/%C3%BCber-uns}. A rule is written as people read the address ({@code
   * /über-uns}), so it is matched against the URL as sent and as decoded. Before, only as sent: a
   * rule with an accented letter or a space never matched, and the survey was never shown.
   */
  @Test
  void aUrlRuleWithLettersTheBrowserPercentEncodesMatchesThePage() {
    String[][] cases = {
      {"contains", "/über-uns", "https://shop.example.de/%C3%BCber-uns", "shown"},
      {
        "exact",
        "https://shop.example.de/über-uns",
        "https://shop.example.de/%C3%BCber-uns",
        "shown"
      },
      {
        "glob",
        "https://shop.example.fr/*/été*",
        "https://shop.example.fr/fr/%C3%A9t%C3%A9?x=1",
        "shown"
      },
      {
        "contains",
        "q=crème brûlée",
        "https://shop.example.fr/?q=cr%C3%A8me%20br%C3%BBl%C3%A9e",
        "shown"
      },
      {"contains", "/%C3%BCber-uns", "https://shop.example.de/%C3%BCber-uns", "shown"},
      {"contains", "/über-uns", "https://shop.example.de/kontakt", "not shown"},
      {"contains", "/über-uns", "https://shop.example.de/%C3%BCber-uns%ZZ", "shown"},
    };
    for (String[] c : cases) {
      Workspace ws = newWorkspace();
      String id =
          survey(
              ws,
              NPS_SURVEY.replaceFirst(
                  "\\{",
                  "{\"targeting\": {\"url\": {\"match\": \""
                      + c[0]
                      + "\", \"value\": \""
                      + c[1]
                      + "\"}}, "));
      assertThat(shown(ws, "anonymous_id", "visitor-u", "url", c[2]))
          .as("%s %s on %s", c[0], c[1], c[2])
          .isEqualTo(c[3].equals("shown") ? id : null);
    }
  }

  @Test
  void audienceBySegmentIdUsesTheSegmentsFilter() {
    Workspace ws = newWorkspace();
    String segment = Ids.next(IdPrefix.SEGMENT);
    jdbc.update(
        "insert into segments (workspace_id, id, name, filter) values (?, ?, 'pros',"
            + " '{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}'::jsonb)",
        ws.id(),
        segment);
    String id = campaign(ws, NPS_SURVEY, JSON.writeValueAsString(segment), "active", null, null);
    contact(ws, "pro", null, "{\"plan\": \"pro\"}");
    contact(ws, "free", null, "{\"plan\": \"free\"}");
    assertThat(shown(ws, "anonymous_id", "pro")).isEqualTo(id);
    assertThat(shown(ws, "anonymous_id", "free")).isNull();
  }

  @Test
  void onlyLiveSurveysInsideTheirDatesAreShownOrAnswerable() {
    Workspace ws = newWorkspace();
    String paused = campaign(ws, NPS_SURVEY, null, "paused", null, null);
    String draft = campaign(ws, NPS_SURVEY, null, "draft", null, null);
    String future = campaign(ws, NPS_SURVEY, null, "active", "2999-01-01T00:00:00Z", null);
    String over = campaign(ws, NPS_SURVEY, null, "active", null, "2001-01-01T00:00:00Z");
    assertThat(shown(ws, "anonymous_id", "a")).isNull();
    for (String id : List.of(paused, draft, future, over)) {
      HttpResponse<String> r =
          post(ws, id, "responses", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}");
      assertThat(r.statusCode()).as(id).isEqualTo(404);
      assertThat(post(ws, id, "displays", "{\"anonymous_id\": \"a\"}").statusCode()).isEqualTo(404);
    }
    String live = survey(ws, NPS_SURVEY);
    assertThat(shown(ws, "anonymous_id", "a")).isEqualTo(live);
  }

  @Test
  void theShownSurveyCarriesQuestionsThankYouAndDelay() {
    Workspace ws = newWorkspace();
    String id =
        survey(
            ws,
            NPS_SURVEY.replaceFirst(
                "\\{",
                "{\"targeting\": {\"delay_seconds\": 5}, \"thank_you\": {\"headline\": \"Ta\"}, "));
    JsonNode s = json(get(ws, "/v1/widgets/surveys?anonymous_id=a")).path("survey");
    assertThat(s.path("id").asString()).isEqualTo(id);
    assertThat(s.path("delay_seconds").asInt()).isEqualTo(5);
    assertThat(s.path("thank_you").path("headline").asString()).isEqualTo("Ta");
    assertThat(
            s.path("questions").get(0).path("logic").get(0).path("then").path("jump_to").asString())
        .isEqualTo("end");
    assertThat(s.has("targeting")).isFalse();
  }

  @Test
  void displaysAndDismissalsAreRecordedAndADismissedSurveyIsNotShownAgain() {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_AGAIN_SURVEY);
    assertThat(
            post(ws, id, "displays", "{\"anonymous_id\": \"a\", \"url\": \"https://x.io\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(shown(ws, "anonymous_id", "a")).isEqualTo(id);
    HttpResponse<String> d = post(ws, id, "dismissals", "{\"anonymous_id\": \"a\"}");
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(json(d).path("object").asString()).isEqualTo("survey_dismissal");
    assertThat(shown(ws, "anonymous_id", "a")).isNull();
    assertThat(shown(ws, "anonymous_id", "b")).isEqualTo(id);
  }

  private long interactions(Workspace ws, String kind) {
    return jdbc.queryForObject(
        "select count(*) from survey_interactions where workspace_id = ? and kind = ?",
        Long.class,
        ws.id(),
        kind);
  }

  @Test
  void aDisplayOrDismissalRetriedWithItsInteractionIdIsRecordedOnce() throws Exception {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_AGAIN_SURVEY);
    for (String what : List.of("displays", "dismissals")) {
      String kind = what.equals("displays") ? "display" : "dismissal";
      String body = "{\"interaction_id\": \"i-" + kind + "\", \"anonymous_id\": \"a\"}";
      for (HttpResponse<String> r : postAtOnce(4, ws, id, what, body)) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("recorded").asBoolean()).isTrue();
      }
      assertThat(post(ws, id, what, body).statusCode()).isEqualTo(200);
      assertThat(interactions(ws, kind)).as(what + ": five posts of one id").isEqualTo(1);
      // Without an id each post counts, as before.
      post(ws, id, what, "{\"anonymous_id\": \"b\"}");
      post(ws, id, what, "{\"anonymous_id\": \"b\"}");
      assertThat(interactions(ws, kind)).isEqualTo(3);
      // Another visitor's id is a conflict, not a silent success.
      HttpResponse<String> other =
          post(ws, id, what, "{\"interaction_id\": \"i-" + kind + "\", \"anonymous_id\": \"c\"}");
      assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
      assertThat(json(other).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
      assertThat(json(other).at("/error/details/0/reason").asString())
          .isEqualTo("interaction_conflict");
      assertThat(interactions(ws, kind)).isEqualTo(3);
    }
    // One id may serve a display and a dismissal: they are told apart by the route.
    post(ws, id, "displays", "{\"interaction_id\": \"both\", \"anonymous_id\": \"d\"}");
    post(ws, id, "dismissals", "{\"interaction_id\": \"both\", \"anonymous_id\": \"d\"}");
    assertThat(interactions(ws, "display")).isEqualTo(4);
    assertThat(interactions(ws, "dismissal")).isEqualTo(4);
    for (String bad : List.of("\"has space\"", "\"\"", "7", "\"" + "x".repeat(129) + "\"")) {
      HttpResponse<String> r =
          post(ws, id, "displays", "{\"interaction_id\": " + bad + ", \"anonymous_id\": \"e\"}");
      assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("interaction_id");
    }
    assertThat(interactions(ws, "display")).isEqualTo(4);
  }

  @Test
  void widgetRequestsAreValidatedNamingTheField() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    HttpResponse<String> noVisitor = get(ws, "/v1/widgets/surveys");
    assertThat(noVisitor.statusCode()).isEqualTo(400);
    assertThat(json(noVisitor).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
    HttpResponse<String> unknown = post(ws, id, "displays", "{\"anonymous_id\": \"a\", \"x\": 1}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).at("/error/details/0/field").asString()).isEqualTo("x");
    HttpResponse<String> noId = post(ws, id, "responses", "{\"anonymous_id\": \"a\"}");
    assertThat(json(noId).at("/error/details/0/field").asString()).isEqualTo("response_id");
    // The key goes in the header: in a widget body it is an unknown field, as on the join route.
    for (String[] call :
        new String[][] {
          {"displays", ""}, {"dismissals", ""}, {"responses", ", \"response_id\": \"r1\""}
        }) {
      HttpResponse<String> bodyKey =
          post(
              ws,
              id,
              call[0],
              "{\"anonymous_id\": \"a\", \"writeKey\": \"" + ws.writeKey() + "\"" + call[1] + "}");
      assertThat(bodyKey.statusCode()).as(call[0] + " " + bodyKey.body()).isEqualTo(400);
      assertThat(json(bodyKey).at("/error/details/0/field").asString()).isEqualTo("writeKey");
      assertThat(json(bodyKey).at("/error/details/0/reason").asString()).isEqualTo("unknown_field");
    }
  }

  private static final String CHOICE_SURVEY =
      """
      {"questions": [
         {"id": "why", "type": "single_choice", "text": "Why?", "choices": ["Speed", "Price"]},
         {"id": "love", "type": "multiple_choice", "text": "What do you love?",
          "choices": ["A", "B"]}]}
      """;

  @Test
  void eachSurveyBodyFieldOfTheWrongJsonTypeIsRefusedOnceNamingItAndNothingIsStored() {
    Workspace ws = newWorkspace();
    String id = survey(ws, CHOICE_SURVEY);
    List<String> wrong = List.of("123", "1.5", "true", "{}", "[\"a\"]");
    // route, the field, a valid body the wrong value is put into
    String[][] fields = {
      {"displays", "interaction_id", "{\"anonymous_id\": \"a\"}"},
      {"displays", "anonymous_id", "{\"user_id\": \"u\"}"},
      {"displays", "user_id", "{\"anonymous_id\": \"a\"}"},
      {"displays", "url", "{\"anonymous_id\": \"a\"}"},
      {"dismissals", "interaction_id", "{\"anonymous_id\": \"a\"}"},
      {"dismissals", "anonymous_id", "{\"user_id\": \"u\"}"},
      {"dismissals", "user_id", "{\"anonymous_id\": \"a\"}"},
      {"dismissals", "url", "{\"anonymous_id\": \"a\"}"},
      {"responses", "response_id", "{\"anonymous_id\": \"a\"}"},
      {"responses", "anonymous_id", "{\"response_id\": \"r1\", \"user_id\": \"u\"}"},
      {"responses", "user_id", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}"},
      {"responses", "url", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}"},
      {"responses", "completed", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}"},
      {"responses", "answers", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}"},
      {"responses", "revision", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}"},
    };
    for (String[] f : fields) {
      for (String value : wrong) {
        if (f[1].equals("answers") && value.equals("{}")
            || f[1].equals("completed") && value.equals("true")) {
          continue; // the right type
        }
        String body = f[2].replaceFirst("\\{", "{\"" + f[1] + "\": " + value + ", ");
        assertRefusedOnce(post(ws, id, f[0], body), body, f[1]);
      }
    }
    // A choice is a text and the choices of a multiple_choice answer are texts.
    for (String value : wrong) {
      String answers = "{\"response_id\": \"r1\", \"anonymous_id\": \"a\", \"answers\": ";
      String single = answers + "{\"why\": " + value + "}}";
      assertRefusedOnce(post(ws, id, "responses", single), single, "answers.why");
      String multiple = answers + "{\"love\": [\"A\", " + value + "]}}";
      assertRefusedOnce(post(ws, id, "responses", multiple), multiple, "answers.love[1]");
    }
    assertThat(surveyRowsOf(ws, "a", "u")).isZero();
  }

  private static void assertRefusedOnce(HttpResponse<String> r, String body, String field) {
    assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
    JsonNode details = json(r).at("/error/details");
    assertThat(details.size()).as(body + " -> " + r.body()).isEqualTo(1);
    assertThat(details.at("/0/field").asString()).as(body + " -> " + r.body()).isEqualTo(field);
    assertThat(details.at("/0/reason").asString())
        .as(body + " -> " + r.body())
        .isEqualTo("invalid_type");
  }

  @Test
  void theWidgetRoutesAreDocumentedWithTheirErrorsAndSecurity() {
    JsonNode doc = json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()));
    List<String[]> routes =
        List.of(
            new String[] {"/v1/widgets/surveys", "get"},
            new String[] {"/v1/widgets/campaigns/{id}/displays", "post"},
            new String[] {"/v1/widgets/campaigns/{id}/dismissals", "post"},
            new String[] {"/v1/widgets/campaigns/{id}/responses", "post"});
    for (String[] r : routes) {
      JsonNode op = doc.path("paths").path(r[0]).path(r[1]);
      assertThat(op.path("summary").asString()).as(r[0]).isNotBlank();
      for (String status : List.of("200", "400", "401", "403", "429", "503")) {
        assertThat(op.path("responses").has(status)).as(r[0] + " " + status).isTrue();
      }
      // Only a route with a campaign id answers 404 (ErrorStatusesDocumentedTests).
      assertThat(op.path("responses").has("404"))
          .as(r[0] + " 404")
          .isEqualTo(r[0].contains("{id}"));
      assertThat(op.path("security").toString()).contains("basicAuth").contains("bearerAuth");
    }
  }

  // --- responses ---------------------------------------------------------------------------------

  @Test
  void answersAreValidatedAgainstTheQuestionsNamingTheField() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String[][] cases = {
      {"{\"score\": 11}", "answers.score", "out_of_range"},
      {"{\"score\": \"ten\"}", "answers.score", "invalid_type"},
      {"{\"why\": \"this text is longer than twenty\"}", "answers.why", "too_long"},
      {"{\"nope\": 1}", "answers.nope", "unknown_question"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r =
          post(
              ws,
              id,
              "responses",
              "{\"response_id\": \"r1\", \"anonymous_id\": \"a\", \"answers\": " + c[0] + "}");
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).as(c[0]).isEqualTo(c[1]);
      assertThat(json(r).at("/error/details/0/reason").asString()).as(c[0]).isEqualTo(c[2]);
    }
    HttpResponse<String> missing =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r1\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 3},"
                + " \"completed\": true}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).at("/error/details/0/field").asString()).isEqualTo("answers.why");
    assertThat(json(missing).at("/error/details/0/reason").asString()).isEqualTo("required");
    // The refused completion left nothing behind.
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?",
                Long.class,
                ws.id()))
        .isZero();
  }

  @Test
  void numberAnswersOfAnySizeAndTypeAreTheClients400NotA500() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String[][] cases = {
      {"9223372036854775808", "out_of_range"},
      {"18446744073709551621", "out_of_range"},
      {"-9999999999999999999999999999999999999999", "out_of_range"},
      {"1e400", "out_of_range"},
      {"5.5", "out_of_range"},
      {"\"5\"", "invalid_type"},
      {"true", "invalid_type"},
      {"{}", "invalid_type"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r =
          post(
              ws,
              id,
              "responses",
              "{\"response_id\": \"r1\", \"anonymous_id\": \"a\", \"answers\": {\"score\": "
                  + c[0]
                  + "}}");
      assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(400);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("answers.score");
      assertThat(json(r).at("/error/details/0/reason").asString()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void textAnswersAndIdsAreMeasuredInCharactersNotUtf16Units() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY); // 'why' has max_length 20
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units

    HttpResponse<String> twenty =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r1\", \"anonymous_id\": \""
                + emoji.repeat(200)
                + "\", \"answers\": {\"why\": \""
                + emoji.repeat(20)
                + "\"}}");
    HttpResponse<String> twentyOne =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r2\", \"anonymous_id\": \"a\", \"answers\": {\"why\": \""
                + emoji.repeat(21)
                + "\"}}");

    assertThat(twenty.statusCode()).as(twenty.body()).isEqualTo(200);
    assertThat(twentyOne.statusCode()).isEqualTo(400);
    assertThat(json(twentyOne).at("/error/details/0/reason").asString()).isEqualTo("too_long");
  }

  @Test
  void anUnknownCampaignOnAWidgetRouteIs404NamingTheId() {
    Workspace ws = newWorkspace();

    HttpResponse<String> response =
        post(ws, "cmp_unknown", "responses", "{\"response_id\": \"r1\", \"anonymous_id\": \"a\"}");
    HttpResponse<String> info = get(ws, "/v1/widgets/campaigns/cmp_unknown");

    for (HttpResponse<String> r : List.of(response, info)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("id");
    }
  }

  /**
   * An answer that is no answer (a text of spaces only, an empty list: a visitor who left the box
   * blank) is stored as none, as a null is, so the stored response, its export, the answers list of
   * the question and the results all agree on what was answered. Before, it was stored: the results
   * counted it as unanswered while {@code results/questions/{qid}/answers} listed it.
   */
  @Test
  void aBlankAnswerIsStoredAsNoAnswer() {
    Workspace ws = newWorkspace();
    String id =
        survey(
            ws,
            """
            {"questions": [
               {"id": "score", "type": "nps", "text": "How likely?"},
               {"id": "love", "type": "multiple_choice", "text": "Loves?", "choices": ["A", "B"]},
               {"id": "why", "type": "text", "text": "Why?"}]}
            """);
    HttpResponse<String> r =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"blank-1\", \"anonymous_id\": \"anon-b\", \"answers\":"
                + " {\"score\": 8, \"love\": [], \"why\": \" \\n \"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("answers").propertyNames()).containsExactly("score");
    assertThat(
            jdbc.queryForObject(
                "select answers::text from survey_responses where workspace_id = ?",
                String.class,
                ws.id()))
        .isEqualTo("{\"score\": 8}");
  }

  /**
   * A text with nothing visible (no-break spaces, zero-width spaces, a word joiner, bidi marks) is
   * no more an answer than one of ordinary spaces: it does not answer a required question, is
   * stored as none, and is no "other" choice. Before, only what {@code String.isBlank} calls blank
   * was none, so {@code "\u200b\u00a0"} completed a response whose required question nobody
   * answered, and the results counted it as answered.
   */
  @Test
  void anAnswerWithNothingVisibleIsNoAnswer() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY); // 'why' is required after a score below 9
    String invisible = "\\u200b\\u00a0\\u2060\\u200f\\u202f\\ufeff";

    HttpResponse<String> complete =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"inv-1\", \"anonymous_id\": \"anon-inv\", \"answers\": {\"score\":"
                + " 3, \"why\": \""
                + invisible
                + "\"}, \"completed\": true}");
    assertThat(complete.statusCode()).as(complete.body()).isEqualTo(400);
    assertThat(json(complete).at("/error/details/0/field").asString()).isEqualTo("answers.why");
    assertThat(json(complete).at("/error/details/0/reason").asString()).isEqualTo("required");

    HttpResponse<String> partial =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"inv-1\", \"anonymous_id\": \"anon-inv\", \"answers\": {\"score\":"
                + " 3, \"why\": \""
                + invisible
                + "\"}}");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    assertThat(json(partial).path("answers").propertyNames()).containsExactly("score");

    String other =
        survey(
            ws,
            """
            {"questions": [{"id": "pick", "type": "single_choice", "text": "Which?",
                            "choices": ["A", "B"], "allow_other": true}]}
            """);
    HttpResponse<String> otherText =
        post(
            ws,
            other,
            "responses",
            "{\"response_id\": \"inv-2\", \"anonymous_id\": \"anon-inv\", \"answers\": {\"pick\":"
                + " \""
                + invisible
                + "\"}}");
    assertThat(otherText.statusCode()).as(otherText.body()).isEqualTo(400);
    assertThat(json(otherText).at("/error/details/0/field").asString()).isEqualTo("answers.pick");
    assertThat(json(otherText).at("/error/details/0/reason").asString())
        .isEqualTo("invalid_choice");
  }

  /**
   * Choices are distinct as a visitor sees them (docs/surveys.md: equal once NFC-normalised,
   * without invisible characters, spaces collapsed), so an answer that looks like a choice is that
   * choice, and is stored as the choice is written: "Café" decomposed, "Yes " or "N\u200bo".
   * Before, answers were compared as written: without allow_other such an answer was refused
   * (invalid_choice), with it the answer was stored as another text and counted under "other",
   * splitting the choice's votes, and a logic rule on the choice did not match it.
   */
  @Test
  void anAnswerThatLooksLikeAChoiceIsThatChoice() {
    Workspace ws = newWorkspace();
    String id =
        survey(
            ws,
            """
            {"questions": [
               {"id": "pick", "type": "single_choice", "text": "Which?",
                "choices": ["Caf\\u00e9", "Th\\u00e9"], "allow_other": true,
                "logic": [{"if": {"op": "eq", "value": "Caf\\u00e9"}, "then": {"jump_to": "end"}}]},
               {"id": "multi", "type": "multiple_choice", "text": "Which ones?",
                "choices": ["Yes", "No"], "required": true}]}
            """);

    HttpResponse<String> r =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"look-1\", \"anonymous_id\": \"anon-look\", \"answers\":"
                + " {\"pick\": \"Cafe\\u0301\"}, \"completed\": true}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("answers").path("pick").asString()).isEqualTo("Caf\u00e9");

    HttpResponse<String> multi =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"look-2\", \"anonymous_id\": \"anon-look-2\", \"answers\":"
                + " {\"pick\": \"Th\\u00e9\", \"multi\": [\"Yes \", \"N\\u200bo\"]}}");
    assertThat(multi.statusCode()).as(multi.body()).isEqualTo(200);
    assertThat(json(multi).path("answers").path("multi").toString()).isEqualTo("[\"Yes\",\"No\"]");

    HttpResponse<String> twice =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"look-3\", \"anonymous_id\": \"anon-look-3\", \"answers\":"
                + " {\"multi\": [\"Yes\", \"Yes \"]}}");
    assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
    assertThat(json(twice).at("/error/details/0/field").asString()).isEqualTo("answers.multi[1]");
    assertThat(json(twice).at("/error/details/0/reason").asString()).isEqualTo("duplicate_choice");
  }

  /**
   * A score is a JSON number, and 10.0 is 10: it was accepted but stored as written, and the
   * results, which tallied integers only, counted it as answered yet left it out of the NPS, the
   * distribution and the average (a black-box review, 2026-12-07).
   */
  @Test
  void aScoreWrittenWithADecimalPointIsStoredAsTheIntegerItIs() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String[][] sent = {{"dec-1", "10.0"}, {"dec-2", "0.0"}, {"dec-3", "9e0"}, {"dec-4", "7.00"}};
    for (String[] one : sent) {
      HttpResponse<String> r =
          post(
              ws,
              id,
              "responses",
              "{\"response_id\": \"%s\", \"anonymous_id\": \"anon-%s\", \"answers\": {\"score\": %s}}"
                  .formatted(one[0], one[0], one[1]));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("answers").path("score").isIntegralNumber()).as(one[1]).isTrue();
    }
    assertThat(
            jdbc.queryForList(
                "select answers::text from survey_responses where workspace_id = ?"
                    + " and campaign_id = ? order by response_id",
                String.class,
                ws.id(),
                id))
        .containsExactly("{\"score\": 10}", "{\"score\": 0}", "{\"score\": 9}", "{\"score\": 7}");
  }

  /**
   * A promoter skips the reason question; one who first gave a low score and a reason, then changed
   * to a promoter and finished, completes without the reason: it was kept, listed by the answers
   * endpoint and carried by the event and the webhook while the results, which follow the path,
   * said nobody answered it.
   */
  @Test
  void aCompletedResponseKeepsOnlyTheAnswersOnItsPath() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    HttpResponse<String> partial =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"path-1\", \"anonymous_id\": \"anon-path\","
                + " \"answers\": {\"score\": 3, \"why\": \"slow\"}}");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    // Still partial: the visitor may go back to the branch.
    assertThat(json(partial).path("answers").has("why")).isTrue();

    HttpResponse<String> done =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"path-1\", \"anonymous_id\": \"anon-path\","
                + " \"answers\": {\"score\": 10}, \"completed\": true}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).path("answers").toString()).isEqualTo("{\"score\":10}");
    assertThat(
            jdbc.queryForObject(
                "select answers::text from survey_responses where workspace_id = ?"
                    + " and campaign_id = ? and response_id = 'path-1'",
                String.class,
                ws.id(),
                id))
        .isEqualTo("{\"score\": 10}");
  }

  @Test
  void aPartialResponseIsCompletedInPlaceAndStoredAsOneEventAndOneWebhook() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String contact = contact(ws, "anon-9", "user-9", "{}");
    HttpResponse<String> partial =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"resp-1\", \"anonymous_id\": \"anon-9\", \"answers\": {\"score\":"
                + " 4}, \"url\": \"https://x.io/app\"}");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    assertThat(json(partial).path("completed").asBoolean()).isFalse();
    assertThat(responseContact(ws, "resp-1")).isEqualTo(contact);
    assertThat(surveyEvents(ws)).isZero();
    assertThat(outbox(ws, "survey.response.completed")).isZero();

    HttpResponse<String> complete =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"resp-1\", \"anonymous_id\": \"anon-9\", \"answers\": {\"why\":"
                + " \"Faster exports\"}, \"completed\": true}");
    assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
    JsonNode body = json(complete);
    assertThat(body.path("completed").asBoolean()).isTrue();
    assertThat(body.path("answers").path("score").asInt()).isEqualTo(4);
    assertThat(body.path("answers").path("why").asString()).isEqualTo("Faster exports");
    assertThat(body.path("completed_at").asString()).matches(".*\\.\\d{3}Z");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?",
                Long.class,
                ws.id()))
        .isEqualTo(1);

    // The event: once, attached to the contact, with the answers, under the derived messageId.
    assertThat(surveyEvents(ws)).isEqualTo(1);
    assertThat(events(ws, SurveyWidgets.messageIdOf(id, "resp-1"))).isEqualTo(1);
    JsonNode props =
        JSON.readTree(
            jdbc.queryForObject(
                "select properties::text from events where workspace_id = ? and event = ?",
                String.class,
                ws.id(),
                SurveyWidgets.EVENT_NAME));
    assertThat(props.path("campaign_id").asString()).isEqualTo(id);
    assertThat(props.path("answers").path("score").asInt()).isEqualTo(4);
    // An event that fits is left whole, and says nothing of cuts.
    assertThat(props.has("truncated")).isFalse();
    assertThat(
            jdbc.queryForObject(
                "select contact_id from events where workspace_id = ? and event = ?",
                String.class,
                ws.id(),
                SurveyWidgets.EVENT_NAME))
        .isEqualTo(contact);
    // The webhook: once, the response as the API shows it.
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(1);
    JsonNode payload =
        JSON.readTree(
            jdbc.queryForObject(
                "select payload::text from webhook_outbox where workspace_id = ? and type = ?",
                String.class,
                ws.id(),
                "survey.response.completed"));
    assertThat(payload.path("id").asString()).isEqualTo("resp-1");
    assertThat(payload.path("object").asString()).isEqualTo("survey_response");
    assertThat(payload.path("answers").path("why").asString()).isEqualTo("Faster exports");

    // Posting it again (a retry, or with other answers) changes nothing and emits nothing.
    HttpResponse<String> again =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"resp-1\", \"anonymous_id\": \"anon-9\", \"answers\": {\"score\":"
                + " 10}, \"completed\": true}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("answers").path("score").asInt()).isEqualTo(4);
    assertThat(surveyEvents(ws)).isEqualTo(1);
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(1);
    // A completed response also stops the survey showing (once per contact).
    assertThat(shown(ws, "user_id", "user-9")).isNull();
  }

  /** Replaces the survey's settings, as a PATCH of the Management API does. */
  void change(Workspace ws, String campaign, String settings) {
    jdbc.update(
        "update campaigns set settings = ?::jsonb where workspace_id = ? and id = ?",
        JSON.writeValueAsString(
            CampaignSettings.validate(CampaignType.SURVEY, JSON.readTree(settings))),
        ws.id(),
        campaign);
  }

  /**
   * A visitor answers the survey as the widget showed it ({@code question_ids}) while the survey is
   * changed: a question they answered is removed, a required one is added. Their response is taken:
   * the removed question's answer is dropped, the new question is not asked of them.
   */
  @Test
  void aResponseToTheQuestionsTheVisitorWasShownIsTakenAfterTheSurveyChanged() {
    Workspace ws = newWorkspace();
    String shownSettings =
        """
        {"questions": [
           {"id": "score", "type": "nps", "text": "How likely?", "required": true},
           {"id": "why", "type": "text", "text": "Why?"}]}
        """;
    String id = survey(ws, shownSettings);
    String shown = "\"question_ids\": [\"score\", \"why\"]";
    HttpResponse<String> partial =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": {\"score\":"
                + " 7}}");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    // Meanwhile "why" is removed and a required "plan" added.
    change(
        ws,
        id,
        """
        {"questions": [
           {"id": "score", "type": "nps", "text": "How likely?", "required": true},
           {"id": "plan", "type": "single_choice", "text": "Plan?", "choices": ["Free", "Pro"],
            "required": true}]}
        """);

    HttpResponse<String> done =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": {\"score\":"
                + " 7, \"why\": \"Slow exports\"}, \"completed\": true, "
                + shown
                + "}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).path("completed").asBoolean()).isTrue();
    assertThat(json(done).path("answers").toString()).isEqualTo("{\"score\":7}");
    assertThat(surveyEvents(ws)).isEqualTo(1);

    // A question the visitor was shown and did not answer is still required of them, and an
    // answer to a question neither shown nor in the survey is still unknown.
    HttpResponse<String> unanswered =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-2\", \"anonymous_id\": \"a-2\", \"answers\": {\"score\":"
                + " 7}, \"completed\": true, \"question_ids\": [\"score\", \"plan\"]}");
    assertThat(unanswered.statusCode()).as(unanswered.body()).isEqualTo(400);
    assertThat(json(unanswered).path("error").path("details").get(0).path("field").asString())
        .isEqualTo("answers.plan");
    HttpResponse<String> unknown =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-3\", \"anonymous_id\": \"a-3\", \"answers\": {\"nope\":"
                + " \"x\"}, "
                + shown
                + "}");
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
    assertThat(json(unknown).path("error").path("details").get(0).path("reason").asString())
        .isEqualTo("unknown_question");
    // Without question_ids (an older widget) every required question is required, as before.
    HttpResponse<String> strict =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-4\", \"anonymous_id\": \"a-4\", \"answers\": {\"score\":"
                + " 7}, \"completed\": true}");
    assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
  }

  /** The survey the widget is shown now for this visitor, as GET /v1/widgets/surveys returns it. */
  JsonNode shownSurvey(Workspace ws, String anonymousId) {
    HttpResponse<String> r = get(ws, "/v1/widgets/surveys?anonymous_id=" + anonymousId);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("survey");
  }

  private static final String SHOWN_SURVEY =
      """
      {"targeting": {"once_per_contact": false}, "questions": [
         {"id": "score", "type": "nps", "text": "How likely?", "required": true},
         {"id": "plan", "type": "single_choice", "text": "Plan?",
          "choices": ["Free", "Pro", "Team"], "required": true},
         {"id": "why", "type": "text", "text": "Why?", "max_length": 100}]}
      """;

  /**
   * A visitor is shown {@link #SHOWN_SURVEY}, answers its first question, the survey is edited
   * ({@code edited}), and the visitor then posts {@code answer} (now invalid) with the completion,
   * as the widget does: with the revision and the question ids of the survey it showed. The
   * response is completed and the answer the edit made invalid is dropped, and said to be; the same
   * answer posted with the survey's current revision, or with none, is still the 400 naming it.
   */
  void aVisitorFinishesAfterAnEditThatMadeTheirAnswerInvalid(
      String edited, String before, String question, String answer, String reason) {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_SURVEY);
    JsonNode shown = shownSurvey(ws, "a-1");
    String revision = shown.path("revision").asString();
    String asShown =
        ", \"question_ids\": [\"score\", \"plan\", \"why\"], \"revision\": \"" + revision + "\"";
    HttpResponse<String> first =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": "
                + before
                + asShown
                + "}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).path("dropped_answers").toString()).isEqualTo("[]");

    change(ws, id, edited);
    String current = shownSurvey(ws, "a-2").path("revision").asString();

    HttpResponse<String> done =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": {\""
                + question
                + "\": "
                + answer
                + "}, \"completed\": true"
                + asShown
                + "}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).path("completed").asBoolean()).isTrue();
    assertThat(json(done).path("answers")).isEqualTo(JSON.readTree(before));
    assertThat(json(done).path("dropped_answers").toString()).isEqualTo("[\"" + question + "\"]");
    assertThat(surveyEvents(ws)).isEqualTo(1);
    assertThat(revision).isNotBlank();
    assertThat(current).isNotEqualTo(revision);

    // The same answer to the survey as it is now (its current revision, or none: an older widget
    // or another client) is refused, naming the field, and nothing is stored.
    for (String version : List.of(", \"revision\": \"" + current + "\"", "")) {
      HttpResponse<String> strict =
          post(
              ws,
              id,
              "responses",
              "{\"response_id\": \"r-2\", \"anonymous_id\": \"a-2\", \"answers\": {\"score\": 3,"
                  + " \""
                  + question
                  + "\": "
                  + answer
                  + "}"
                  + version
                  + "}");
      assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
      JsonNode detail = json(strict).path("error").path("details").get(0);
      assertThat(detail.path("field").asString()).isEqualTo("answers." + question);
      assertThat(detail.path("reason").asString()).isEqualTo(reason);
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?",
                Long.class,
                ws.id()))
        .isEqualTo(1);
  }

  @Test
  void aVisitorWhoseChoiceWasRemovedWhileTheSurveyWasOpenFinishesIt() {
    aVisitorFinishesAfterAnEditThatMadeTheirAnswerInvalid(
        SHOWN_SURVEY.replace("\"Pro\", \"Team\"", "\"Pro\""),
        "{\"score\": 3}",
        "plan",
        "\"Team\"",
        "invalid_choice");
  }

  @Test
  void aVisitorWhoseChoiceWasRenamedWhileTheSurveyWasOpenFinishesIt() {
    aVisitorFinishesAfterAnEditThatMadeTheirAnswerInvalid(
        SHOWN_SURVEY.replace("\"Team\"", "\"Teams\""),
        "{\"score\": 3}",
        "plan",
        "\"Team\"",
        "invalid_choice");
  }

  @Test
  void aVisitorWhoseTextBecameTooLongWhileTheSurveyWasOpenFinishesIt() {
    aVisitorFinishesAfterAnEditThatMadeTheirAnswerInvalid(
        SHOWN_SURVEY.replace("\"max_length\": 100", "\"max_length\": 10"),
        "{\"score\": 3, \"plan\": \"Pro\"}",
        "why",
        "\"" + "Slow exports, every time".repeat(2) + "\"",
        "too_long");
  }

  @Test
  void aVisitorWhoseQuestionChangedTypeWhileTheSurveyWasOpenFinishesIt() {
    aVisitorFinishesAfterAnEditThatMadeTheirAnswerInvalid(
        SHOWN_SURVEY.replace(
            "{\"id\": \"why\", \"type\": \"text\", \"text\": \"Why?\", \"max_length\": 100}",
            "{\"id\": \"why\", \"type\": \"rating\", \"text\": \"Why?\", \"scale\": 5}"),
        "{\"score\": 3, \"plan\": \"Pro\"}",
        "why",
        "\"Slow exports\"",
        "invalid_type");
  }

  /**
   * The revision names the questions as shown: it changes when they change, not when the rest of
   * the survey does (its name, its targeting), and it is the same for every visitor.
   */
  @Test
  void theShownSurveysRevisionChangesWithItsQuestionsOnly() {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_SURVEY);
    String first = shownSurvey(ws, "a-1").path("revision").asString();
    assertThat(shownSurvey(ws, "a-2").path("revision").asString()).isEqualTo(first);
    change(ws, id, SHOWN_SURVEY.replace("\"once_per_contact\": false", "\"delay_seconds\": 0"));
    jdbc.update("update campaigns set name = 'Renamed' where id = ?", id);
    assertThat(shownSurvey(ws, "a-3").path("revision").asString()).isEqualTo(first);
    change(ws, id, SHOWN_SURVEY.replace("Plan?", "Which plan?"));
    assertThat(shownSurvey(ws, "a-4").path("revision").asString()).isNotEqualTo(first);
  }

  /**
   * An answer the visitor gave and that was stored before the edit made it too long is kept as it
   * was stored; a post that sends it again (the widget before 2026-12-06 re-sent every answer) is
   * taken, the re-sent copy dropped.
   */
  @Test
  void anAnswerStoredBeforeAnEditMadeItInvalidIsKeptAndItsResentCopyDropped() {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_SURVEY);
    String revision = shownSurvey(ws, "a-1").path("revision").asString();
    String why = "\"" + "Slow exports, every time".repeat(2) + "\"";
    String asShown = ", \"revision\": \"" + revision + "\"";
    HttpResponse<String> first =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": {\"score\": 3,"
                + " \"plan\": \"Pro\", \"why\": "
                + why
                + "}"
                + asShown
                + "}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    change(ws, id, SHOWN_SURVEY.replace("\"max_length\": 100", "\"max_length\": 10"));
    HttpResponse<String> done =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"a-1\", \"answers\": {\"score\": 3,"
                + " \"plan\": \"Pro\", \"why\": "
                + why
                + "}, \"completed\": true"
                + asShown
                + "}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).path("completed").asBoolean()).isTrue();
    assertThat(json(done).path("answers").path("why").toString()).isEqualTo(why);
    assertThat(json(done).path("dropped_answers").toString()).isEqualTo("[\"why\"]");
  }

  /**
   * The largest response the survey settings allow: 50 questions (SurveySettings.MAX_QUESTIONS),
   * here 25 text questions of max_length 5,000 and 25 multiple-choice questions of 50 choices of
   * 200 characters with an "other" text of 500, each character an emoji (4 bytes of UTF-8, one
   * character). All answers in one body are about 1.55 MB, over the Ingest API's 500 KB (413): the
   * widget that re-sent every answer with each post lost them all at the last questions. Posted one
   * answer at a time, as the widget posts them (the answers merge on the response id), the largest
   * body is about 42 KB and every answer is stored whole.
   */
  @Test
  void theLargestResponseASurveyAllowsIsStoredWholeWhenPostedOneAnswerAtATime() {
    Workspace ws = newWorkspace();
    String emoji = "\uD83D\uDE00";
    List<String> choices = new ArrayList<>();
    for (int c = 0; c < 50; c++) {
      choices.add(String.format("%02d", c) + emoji.repeat(198));
    }
    StringBuilder questions = new StringBuilder("{\"questions\": [");
    List<String> ids = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String qid = "q" + i;
      ids.add(qid);
      questions.append(i == 0 ? "" : ",");
      if (i % 2 == 0) {
        questions.append(
            "{\"id\": \""
                + qid
                + "\", \"type\": \"text\", \"text\": \"Why?\", \"max_length\": 5000}");
        answers.add("\"" + emoji.repeat(5000) + "\"");
      } else {
        questions
            .append(
                "{\"id\": \"" + qid + "\", \"type\": \"multiple_choice\", \"text\": \"Which?\",")
            .append(" \"allow_other\": true, \"choices\": ")
            .append(JSON.writeValueAsString(choices))
            .append("}");
        List<String> all = new ArrayList<>(choices);
        all.add(emoji.repeat(500));
        answers.add(JSON.writeValueAsString(all));
      }
    }
    questions.append("]}");
    String id = survey(ws, questions.toString());
    String visitor = "\"response_id\": \"big\", \"anonymous_id\": \"a-big\"";

    StringBuilder everything = new StringBuilder("{");
    for (int i = 0; i < 50; i++) {
      everything.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append("\": ");
      everything.append(answers.get(i));
    }
    everything.append("}");
    String oneBody = "{" + visitor + ", \"answers\": " + everything + ", \"completed\": true}";
    assertThat(oneBody.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1_500_000);
    HttpResponse<String> whole = post(ws, id, "responses", oneBody);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(413);

    int largest = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 50; i++) {
      String body =
          "{"
              + visitor
              + ", \"answers\": {\""
              + ids.get(i)
              + "\": "
              + answers.get(i)
              + "}, \"completed\": "
              + (i == 49)
              + ", \"question_ids\": "
              + JSON.writeValueAsString(ids)
              + "}";
      largest = Math.max(largest, body.getBytes(StandardCharsets.UTF_8).length);
      last = post(ws, id, "responses", body);
      assertThat(last.statusCode()).as(ids.get(i)).isEqualTo(200);
    }
    assertThat(largest).isLessThan(50_000);
    JsonNode stored = json(last).path("answers");
    assertThat(json(last).path("completed").asBoolean()).isTrue();
    for (int i = 0; i < 50; i++) {
      assertThat(stored.path(ids.get(i))).isEqualTo(JSON.readTree(answers.get(i)));
    }
    assertThat(surveyEvents(ws)).isEqualTo(1);
  }

  /**
   * Four multiple-choice answers of fifty 200-character choices each, 40 KB without any free text:
   * the event leaves out the free text, then answers from the last question back, until it fits.
   */
  @Test
  void aResponseTooLargeEvenWithoutItsFreeTextsLeavesAnswersOutOfItsEventFromTheLast() {
    Workspace ws = newWorkspace();
    StringBuilder choices = new StringBuilder("[");
    StringBuilder all = new StringBuilder("[");
    for (int c = 0; c < 50; c++) {
      String choice = String.format("%02d", c) + "x".repeat(198);
      choices.append(c == 0 ? "" : ",").append('"').append(choice).append('"');
      all.append(c == 0 ? "" : ",").append('"').append(choice).append('"');
    }
    choices.append("]");
    all.append("]");
    StringBuilder questions =
        new StringBuilder(
            "{\"questions\": [{\"id\": \"why\", \"type\": \"text\", \"text\": \"Why?\"}");
    StringBuilder answers = new StringBuilder("{\"why\": \"Because\"");
    for (int i = 0; i < 4; i++) {
      questions
          .append(",{\"id\": \"m")
          .append(i)
          .append("\", \"type\": \"multiple_choice\", \"text\": \"Which?\", \"choices\": ")
          .append(choices)
          .append("}");
      answers.append(", \"m").append(i).append("\": ").append(all);
    }
    questions.append("]}");
    answers.append("}");
    String id = survey(ws, questions.toString());
    HttpResponse<String> r =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"big-2\", \"anonymous_id\": \"anon-big\", \"answers\": "
                + answers
                + ", \"completed\": true}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("answers").path("m3")).hasSize(50);
    JsonNode props =
        JSON.readTree(
            jdbc.queryForObject(
                "select properties::text from events where workspace_id = ? and event = ?",
                String.class,
                ws.id(),
                SurveyWidgets.EVENT_NAME));
    assertThat(props.path("truncated").asBoolean()).isTrue();
    assertThat(props.path("truncated_answers").toString()).isEqualTo("[\"why\",\"m3\"]");
    assertThat(props.path("answers").has("why")).isFalse();
    assertThat(props.path("answers").has("m3")).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(props.path("answers").path("m" + i)).hasSize(50);
    }
    HttpResponse<String> again =
        post(
            "/v1/batch",
            "{\"batch\": [{\"type\": \"track\", \"event\": \"Survey Responded\","
                + " \"anonymousId\": \"anon-big\", \"properties\": "
                + props
                + "}]}",
            "Authorization",
            ws.bearer());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
  }

  /**
   * Ten free-text questions of 5,000 characters each: the stored response keeps every character,
   * and its {@code Survey Responded} event is one the Ingest API accepts (posted back to {@code
   * /v1/batch} as stored), the answers cut longest first and the cut named in the event.
   */
  @Test
  void aCompletedResponseLargerThanAnEventIsStoredWholeAndItsEventFitsTheEventLimit() {
    Workspace ws = newWorkspace();
    StringBuilder questions = new StringBuilder("{\"questions\": [");
    StringBuilder answers = new StringBuilder("{");
    for (int i = 0; i < 10; i++) {
      questions
          .append(i == 0 ? "" : ",")
          .append("{\"id\": \"q")
          .append(i)
          .append("\", \"type\": \"text\", \"text\": \"Tell us more\", \"max_length\": 5000}");
      // Two-byte letters, and emoji (two UTF-16 units each) that a cut must not split.
      String unit = i % 2 == 0 ? "é" : "😀";
      answers.append(i == 0 ? "" : ",").append("\"q").append(i).append("\": \"");
      answers.append(unit.repeat(5000)).append('"');
    }
    questions.append("]}");
    answers.append("}");
    String id = survey(ws, questions.toString());
    HttpResponse<String> r =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"big-1\", \"anonymous_id\": \"anon-big\", \"answers\": "
                + answers
                + ", \"completed\": true, \"url\": \"https://x.io/app\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // The response, and its webhook, keep every answer whole.
    assertThat(json(r).path("answers").path("q1").asString()).isEqualTo("😀".repeat(5000));
    JsonNode stored =
        JSON.readTree(
            jdbc.queryForObject(
                "select answers::text from survey_responses where workspace_id = ?",
                String.class,
                ws.id()));
    assertThat(stored.path("q0").asString()).isEqualTo("é".repeat(5000));
    assertThat(stored.path("q9").asString()).isEqualTo("😀".repeat(5000));

    // The event as stored, posted to the Ingest API (under a new messageId), is accepted.
    var row =
        jdbc.queryForMap(
            "select properties::text as p, context::text as c from events where workspace_id = ?"
                + " and event = ?",
            ws.id(),
            SurveyWidgets.EVENT_NAME);
    String batch =
        "{\"batch\": [{\"type\": \"track\", \"event\": \""
            + SurveyWidgets.EVENT_NAME
            + "\", \"anonymousId\": \"anon-big\", \"messageId\": \""
            + java.util.UUID.randomUUID()
            + "\", \"properties\": "
            + row.get("p")
            + ", \"context\": "
            + row.get("c")
            + "}]}";
    HttpResponse<String> again = post("/v1/batch", batch, "Authorization", ws.bearer());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);

    // The event says it was cut, and which answers; what it keeps of each is where they start.
    JsonNode props = JSON.readTree((String) row.get("p"));
    assertThat(props.path("truncated").asBoolean()).isTrue();
    assertThat(props.path("truncated_answers")).hasSize(10);
    for (int i = 0; i < 10; i++) {
      String kept = props.path("answers").path("q" + i).asString();
      String unit = i % 2 == 0 ? "é" : "😀";
      assertThat(kept).isNotEmpty();
      assertThat(unit.repeat(5000)).startsWith(kept);
    }
  }

  @Test
  void theCompletionItsEventAndItsWebhookCommitTogetherOrNotAtAll() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String body =
        "{\"response_id\": \"atomic\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 10},"
            + " \"completed\": true}";
    // The webhook outbox refuses this workspace's rows, as an unreachable database would.
    String trigger = "refuse_" + ws.id().toLowerCase(java.util.Locale.ROOT);
    jdbc.execute(
        "create function "
            + trigger
            + "() returns trigger language plpgsql as $$ begin raise exception 'refused'"
            + " using errcode = '53300'; end $$");
    jdbc.execute(
        "create trigger "
            + trigger
            + " before insert on webhook_outbox for each row when (new.workspace_id = '"
            + ws.id()
            + "') execute function "
            + trigger
            + "()");
    try {
      HttpResponse<String> refused = post(ws, id, "responses", body);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(surveyEvents(ws)).isZero();
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from survey_responses where workspace_id = ?",
                  Long.class,
                  ws.id()))
          .isZero();
    } finally {
      jdbc.execute("drop trigger " + trigger + " on webhook_outbox");
      jdbc.execute("drop function " + trigger + "()");
    }
    HttpResponse<String> retried = post(ws, id, "responses", body);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    assertThat(surveyEvents(ws)).isEqualTo(1);
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesOfOneResponseStoreItOnce() throws Exception {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String body =
        "{\"response_id\": \"dup\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 10},"
            + " \"completed\": true}";
    for (HttpResponse<String> r : postAtOnce(8, ws, id, "responses", body)) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("completed").asBoolean()).isTrue();
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?",
                Long.class,
                ws.id()))
        .isEqualTo(1);
    assertThat(surveyEvents(ws)).isEqualTo(1);
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(1);
  }

  private long responses(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from survey_responses where workspace_id = ?", Long.class, ws.id());
  }

  private static void assertAlreadyResponded(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(json(r).at("/error/code").asString()).isEqualTo("duplicate_resource");
    assertThat(json(r).at("/error/details/0/field").asString()).isEqualTo("response_id");
    assertThat(json(r).at("/error/details/0/reason").asString()).isEqualTo("already_responded");
  }

  /**
   * On a shared browser the next person is not the earlier one: Q answered from it, signed in; R
   * signs in on it and answers too. Q's response named Q's user id, so it is Q's and does not count
   * as R's (until 2026-12-07 any row of the browser's anonymous id did, and R got 409).
   */
  @Test
  void theNextPersonOnASharedBrowserMayAnswerASurveyTheEarlierOneAnswered() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    contact(ws, "shared", "u-q", "{}");
    contact(ws, null, "u-r", "{}");
    HttpResponse<String> q =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"rq\", \"user_id\": \"u-q\", \"anonymous_id\": \"shared\","
                + " \"answers\": {\"score\": 10}}");
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    HttpResponse<String> r =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"rr\", \"user_id\": \"u-r\", \"anonymous_id\": \"shared\","
                + " \"answers\": {\"score\": 3}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(responses(ws)).isEqualTo(2);
    // Q again, from the same browser: Q's own second response is still refused.
    assertAlreadyResponded(
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"rq2\", \"user_id\": \"u-q\", \"anonymous_id\": \"shared\","
                + " \"answers\": {\"score\": 9}}"));
  }

  /**
   * With {@code once_per_contact} (the default) a visitor has one response per survey: a new {@code
   * response_id} from a visitor who already responded (completed or not), matched as the caps match
   * (contact, anonymous_id or user_id), is 409 {@code already_responded} and stores nothing, while
   * the first response's id keeps working (retries 200, a partial one can be completed). It used to
   * store a second response, and each counted in the results (an NPS could be stuffed from one
   * browser).
   */
  @Test
  void aVisitorWhoRespondedCannotStartASecondResponseToAOncePerContactSurvey() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    contact(ws, "a", "u-1", "{}");
    String first =
        "{\"response_id\": \"r1\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 10},"
            + " \"completed\": true}";
    HttpResponse<String> stored = post(ws, id, "responses", first);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

    assertAlreadyResponded(
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r2\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 0}}"));
    // The same person through their user id (the contact the anonymous id belongs to).
    assertAlreadyResponded(
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r3\", \"user_id\": \"u-1\", \"answers\": {\"score\": 0}}"));
    HttpResponse<String> retry = post(ws, id, "responses", first);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(json(retry)).isEqualTo(json(stored));

    // A partial response counts too; it can still be completed under its own id.
    assertThat(
            post(
                    ws,
                    id,
                    "responses",
                    "{\"response_id\": \"r4\", \"anonymous_id\": \"b\", \"answers\":"
                        + " {\"score\": 3}}")
                .statusCode())
        .isEqualTo(200);
    assertAlreadyResponded(
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r5\", \"anonymous_id\": \"b\", \"answers\": {\"score\": 3}}"));
    HttpResponse<String> completed =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r4\", \"anonymous_id\": \"b\", \"answers\": {\"why\":"
                + " \"Price\"}, \"completed\": true}");
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
    assertThat(json(completed).path("completed").asBoolean()).isTrue();

    assertThat(responses(ws)).isEqualTo(2);
    assertThat(surveyEvents(ws)).isEqualTo(2);
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(2);
  }

  /**
   * A visitor who responded anonymously and signed in afterwards is the same person under their
   * user id alone: the survey is not offered to the user id, and a new response_id from it is 409.
   * The stored response names no contact (there was none when it was posted); the anonymous id it
   * was posted with is the contact's now. It used to be offered again and take a second response.
   */
  @Test
  void aResponseGivenBeforeSigningInCountsForTheUserIdTheVisitorSignsInWith() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    HttpResponse<String> stored =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r1\", \"anonymous_id\": \"device-1\", \"answers\": {\"score\":"
                + " 9}, \"completed\": true}");
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    // The visitor signs in: the Ingest API links the device to the new contact of the user id.
    HttpResponse<String> identify =
        post(
            "/v1/identify",
            "{\"userId\": \"user-1\", \"anonymousId\": \"device-1\"}",
            "Authorization",
            ws.basic());
    assertThat(identify.statusCode()).as(identify.body()).isEqualTo(200);

    assertThat(shown(ws, "user_id", "user-1")).isNull();
    assertAlreadyResponded(
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r2\", \"user_id\": \"user-1\", \"answers\": {\"score\": 0}}"));
    assertThat(responses(ws)).isEqualTo(1);
  }

  /** Without the cap ({@code once_per_contact: false}) a visitor may respond again. */
  @Test
  void aSurveyShownAgainTakesAnotherResponseFromTheSameVisitor() {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_AGAIN_SURVEY);
    for (String r : List.of("r1", "r2")) {
      HttpResponse<String> answer =
          post(
              ws,
              id,
              "responses",
              "{\"response_id\": \""
                  + r
                  + "\", \"anonymous_id\": \"a\", \"answers\": {\"score\": 10},"
                  + " \"completed\": true}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    assertThat(responses(ws)).isEqualTo(2);
  }

  /**
   * Eight new responses of one visitor at once, by its anonymous id and by its user id: one is
   * stored, the seven others are 409 {@code already_responded}.
   */
  @Test
  void concurrentNewResponsesOfOneVisitorStoreOne() throws Exception {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    contact(ws, "a", "u-1", "{}");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String who = i % 2 == 0 ? "\"anonymous_id\": \"a\"" : "\"user_id\": \"u-1\"";
        String body =
            "{\"response_id\": \"r" + i + "\", " + who + ", \"answers\": {\"score\": 10}}";
        calls.add(() -> post(ws, id, "responses", body));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        HttpResponse<String> r = f.get();
        statuses.add(r.statusCode());
        if (r.statusCode() != 200) {
          assertAlreadyResponded(r);
        }
      }
      assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(responses(ws)).isEqualTo(1);
  }

  @Test
  void aResponseIdOfAnotherVisitorIsAConflict() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    assertThat(
            post(ws, id, "responses", "{\"response_id\": \"r\", \"anonymous_id\": \"a\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> other =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"r\", \"anonymous_id\": \"b\", \"answers\": {\"score\": 1}}");
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(json(other).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
  }

  /**
   * A post that leaves out the id a response was stored with is another visitor's too: it used to
   * pass (only a contradicting id was checked), and its answer carried the stored answers.
   */
  @Test
  void aResponseIdPostedWithoutTheIdsItWasStoredWithIsAConflict() {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    assertThat(
            post(
                    ws,
                    id,
                    "responses",
                    "{\"response_id\": \"u\", \"user_id\": \"victim\", \"answers\": {\"score\": 3}}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> reader =
        post(ws, id, "responses", "{\"response_id\": \"u\", \"anonymous_id\": \"attacker\"}");
    assertThat(reader.statusCode()).as(reader.body()).isEqualTo(409);
    assertThat(reader.body()).doesNotContain("victim");
    assertThat(json(reader).at("/error/details/0/field").asString()).isEqualTo("anonymous_id");
    assertThat(json(reader).at("/error/details/0/reason").asString())
        .isEqualTo("response_conflict");

    assertThat(
            post(ws, id, "responses", "{\"response_id\": \"a\", \"anonymous_id\": \"victim\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> claimer =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"a\", \"user_id\": \"attacker\", \"answers\": {\"score\": 1}}");
    assertThat(claimer.statusCode()).as(claimer.body()).isEqualTo(409);
    assertThat(json(claimer).at("/error/details/0/field").asString()).isEqualTo("user_id");
    assertThat(
            jdbc.queryForList(
                "select coalesce(user_id, '-') || ' ' || coalesce(anonymous_id, '-') || ' '"
                    + " || answers::text from survey_responses where workspace_id = ?"
                    + " order by response_id",
                String.class,
                ws.id()))
        .containsExactly("- victim {}", "victim - {\"score\": 3}");

    // The same visitor adding its other id (an anonymous visitor who signs in) is still fine.
    HttpResponse<String> signedIn =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"a\", \"anonymous_id\": \"victim\", \"user_id\": \"v-user\"}");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    HttpResponse<String> interaction =
        post(ws, id, "displays", "{\"interaction_id\": \"i\", \"user_id\": \"victim\"}");
    assertThat(interaction.statusCode()).isEqualTo(200);
    HttpResponse<String> otherInteraction =
        post(ws, id, "displays", "{\"interaction_id\": \"i\", \"anonymous_id\": \"attacker\"}");
    assertThat(otherInteraction.statusCode()).as(otherInteraction.body()).isEqualTo(409);
    assertThat(json(otherInteraction).at("/error/details/0/reason").asString())
        .isEqualTo("interaction_conflict");
  }

  @Test
  void anotherWorkspacesSurveyIs404AndNeverShown() {
    Workspace a = newWorkspace();
    Workspace b = newWorkspace();
    String theirs = survey(b, NPS_SURVEY);
    assertThat(shown(a, "anonymous_id", "x")).isNull();
    for (String what : List.of("displays", "dismissals", "responses")) {
      String body =
          what.equals("responses")
              ? "{\"response_id\": \"r\", \"anonymous_id\": \"x\", \"answers\": {\"score\": 1}}"
              : "{\"anonymous_id\": \"x\"}";
      HttpResponse<String> r = post(a, theirs, what, body);
      assertThat(r.statusCode()).as(what + " " + r.body()).isEqualTo(404);
      assertThat(json(r).path("error").path("code").asString()).isEqualTo("not_found");
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ?", Long.class, b.id()))
        .isZero();
  }

  // --- a deleted contact's ids
  // ---------------------------------------------------------------------

  private TransactionTemplate tx() {
    return new TransactionTemplate(new JdbcTransactionManager(dataSource));
  }

  private ContactDeletion deletion() {
    return new ContactDeletion(jdbc, new ContactSuppressions(jdbc));
  }

  /** Survey rows (interactions and responses) recorded under any of these ids. */
  private long surveyRowsOf(Workspace ws, String... ids) {
    long rows = 0;
    for (String table : List.of("survey_interactions", "survey_responses")) {
      rows +=
          jdbc.queryForObject(
              "select count(*) from "
                  + table
                  + " where workspace_id = ? and (anonymous_id = any(?) or user_id = any(?))",
              Long.class,
              ws.id(),
              ids,
              ids);
    }
    return rows;
  }

  @Test
  void deletingAContactDeletesWhatItsIdsRecordedAndNothingTheyPostLaterIsStored() {
    Workspace ws = newWorkspace();
    String id = survey(ws, SHOWN_AGAIN_SURVEY);
    // Recorded before the device was linked to anyone (contact_id null) ...
    assertThat(post(ws, id, "displays", "{\"anonymous_id\": \"dev-x\"}").statusCode())
        .isEqualTo(200);
    assertThat(post(ws, id, "dismissals", "{\"anonymous_id\": \"dev-x\"}").statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    ws,
                    id,
                    "responses",
                    "{\"response_id\": \"early\", \"anonymous_id\": \"dev-x\","
                        + " \"answers\": {\"score\": 3}}")
                .statusCode())
        .isEqualTo(200);
    // ... and after, as the contact's.
    String contact = contact(ws, "dev-x", "user-x", "{}");
    HttpResponse<String> linked =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"late\", \"user_id\": \"user-x\", \"answers\": {\"score\": 9},"
                + " \"completed\": true}");
    assertThat(responseContact(ws, "late")).isEqualTo(contact);
    assertThat(json(linked).path("recorded").asBoolean()).isTrue();
    assertThat(post(ws, id, "displays", "{\"anonymous_id\": \"someone-else\"}").statusCode())
        .isEqualTo(200);
    assertThat(surveyRowsOf(ws, "dev-x", "user-x")).isEqualTo(4);

    tx().executeWithoutResult(status -> deletion().delete(ws.id(), contact));

    assertThat(surveyRowsOf(ws, "dev-x", "user-x")).as("nothing of its ids remains").isZero();
    assertThat(surveyRowsOf(ws, "someone-else")).isEqualTo(1);
    // The ids are suppressed: no survey is asked, and what a stale page posts is acknowledged,
    // marked as not recorded, and stored nowhere: no row, no event, no webhook.
    assertThat(shown(ws, "anonymous_id", "dev-x")).isNull();
    assertThat(shown(ws, "user_id", "user-x")).isNull();
    assertThat(shown(ws, "anonymous_id", "dev-x", "user_id", "new-user")).isNull();
    assertThat(shown(ws, "anonymous_id", "new-device")).isEqualTo(id);
    for (String what : List.of("displays", "dismissals")) {
      HttpResponse<String> r = post(ws, id, what, "{\"anonymous_id\": \"dev-x\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("recorded").asBoolean()).as(what).isFalse();
    }
    long eventsBefore = surveyEvents(ws);
    long webhooksBefore = outbox(ws, "survey.response.completed");
    HttpResponse<String> response =
        post(
            ws,
            id,
            "responses",
            "{\"response_id\": \"after\", \"user_id\": \"user-x\", \"answers\": {\"score\": 10},"
                + " \"completed\": true}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("object").asString()).isEqualTo("survey_response");
    assertThat(json(response).path("id").asString()).isEqualTo("after");
    assertThat(json(response).path("recorded").asBoolean()).isFalse();
    assertThat(surveyRowsOf(ws, "dev-x", "user-x")).isZero();
    assertThat(surveyEvents(ws)).isEqualTo(eventsBefore);
    assertThat(outbox(ws, "survey.response.completed")).isEqualTo(webhooksBefore);
  }

  /**
   * The race made certain: the response has resolved its visitor to the contact while the deletion
   * is not committed yet, and waits for the contact's row; the deletion commits. Acknowledged,
   * nothing stored. (Before, the insert's foreign-key check failed, a 409 asked the widget to
   * retry, and the retry stored the response under the deleted contact's id.)
   */
  @Test
  void aResponseWaitingOnAContactBeingDeletedIsAcknowledgedAndStoresNothing() throws Exception {
    Workspace ws = newWorkspace();
    String id = survey(ws, NPS_SURVEY);
    String contact = contact(ws, "racer-device", null, "{}");
    CompletableFuture<HttpResponse<String>> response =
        tx().execute(
                status -> {
                  assertThat(deletion().delete(ws.id(), contact)).isNotNull();
                  CompletableFuture<HttpResponse<String>> sent =
                      CompletableFuture.supplyAsync(
                          () ->
                              post(
                                  ws,
                                  id,
                                  "responses",
                                  "{\"response_id\": \"raced\", \"anonymous_id\":"
                                      + " \"racer-device\", \"answers\": {\"score\": 10},"
                                      + " \"completed\": true}"));
                  LockWaits.awaitLockWait(dataSource, null, WAITING_FOR_THE_CONTACT);
                  return sent;
                });
    HttpResponse<String> r = response.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("recorded").asBoolean()).isFalse();
    assertThat(surveyRowsOf(ws, "racer-device")).isZero();
    assertThat(surveyEvents(ws)).isZero();
    assertThat(outbox(ws, "survey.response.completed")).isZero();
  }

  /**
   * A change of a question's shape racing an answer to it (docs/surveys.md: once a response answers
   * a question, a PATCH cannot remove one of its choices). The Management API's PATCH locks the
   * campaign row, checks which questions have answers and saves; here a transaction does the same
   * and removes choice "A" while a response answering "A" arrives. The response waits for the row
   * and is checked against the questions committed: 400 {@code invalid_choice}, nothing stored.
   * (Before, it was checked against the questions read before its transaction and stored "A", which
   * the PATCH had not seen: an answer of a shape the question no longer has.)
   */
  @Test
  void aResponseRacingAChangeOfItsQuestionIsCheckedAgainstTheChangedQuestion() throws Exception {
    Workspace ws = newWorkspace();
    String id =
        survey(
            ws,
            """
            {"questions": [{"id": "why", "type": "single_choice", "text": "Why?",
                            "choices": ["A", "B", "C"]}]}
            """);
    JsonNode narrowed =
        CampaignSettings.validate(
            CampaignType.SURVEY,
            JSON.readTree(
                """
                {"questions": [{"id": "why", "type": "single_choice", "text": "Why?",
                                "choices": ["B", "C"]}]}
                """));
    CompletableFuture<HttpResponse<String>> response =
        tx().execute(
                status -> {
                  jdbc.queryForList(
                      "select id from campaigns where workspace_id = ? and id = ? for update",
                      ws.id(),
                      id);
                  assertThat(
                          jdbc.queryForObject(
                              "select count(*) from survey_responses where workspace_id = ?"
                                  + " and campaign_id = ?",
                              Long.class,
                              ws.id(),
                              id))
                      .isZero();
                  jdbc.update(
                      "update campaigns set settings = ?::jsonb where workspace_id = ? and id = ?",
                      JSON.writeValueAsString(narrowed),
                      ws.id(),
                      id);
                  CompletableFuture<HttpResponse<String>> sent =
                      CompletableFuture.supplyAsync(
                          () ->
                              post(
                                  ws,
                                  id,
                                  "responses",
                                  "{\"response_id\": \"raced\", \"anonymous_id\": \"device\","
                                      + " \"answers\": {\"why\": \"A\"}}"));
                  LockWaits.awaitLockWait(dataSource, sent, WAITING_FOR_THE_CAMPAIGN);
                  return sent;
                });
    HttpResponse<String> r = response.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).path("error").path("details").get(0).path("field").asString())
        .isEqualTo("answers.why");
    assertThat(json(r).path("error").path("details").get(0).path("reason").asString())
        .isEqualTo("invalid_choice");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from survey_responses where workspace_id = ? and campaign_id = ?",
                Long.class,
                ws.id(),
                id))
        .isZero();
  }

  /**
   * A response, display or dismissal posted while an operator pauses or ends the survey (the PATCH
   * holds the row, uncommitted) waits for the change and is then 404 with nothing stored: the write
   * holds the survey's row FOR SHARE and checks that it is live under that lock.
   */
  @Test
  void aWriteRacingAPauseOrEndOfItsSurveyIsNotFoundAndStoresNothing() throws Exception {
    String[][] writes = {
      {"responses", "{\"response_id\": \"r1\", \"anonymous_id\": \"device\"}"},
      {"displays", "{\"interaction_id\": \"i1\", \"anonymous_id\": \"device\"}"},
      {"dismissals", "{\"interaction_id\": \"i1\", \"anonymous_id\": \"device\"}"}
    };
    for (String change : List.of("status = 'paused'", "status = 'ended'")) {
      for (String[] write : writes) {
        Workspace ws = newWorkspace();
        String id = survey(ws, NPS_SURVEY);
        CompletableFuture<HttpResponse<String>> raced =
            tx().execute(
                    status -> {
                      jdbc.update(
                          "update campaigns set " + change + " where workspace_id = ? and id = ?",
                          ws.id(),
                          id);
                      CompletableFuture<HttpResponse<String>> sent =
                          CompletableFuture.supplyAsync(() -> post(ws, id, write[0], write[1]));
                      LockWaits.awaitLockWait(dataSource, sent, WAITING_FOR_THE_CAMPAIGN);
                      return sent;
                    });
        HttpResponse<String> r = raced.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(change + " " + write[0] + ": " + r.body()).isEqualTo(404);
        assertThat(
                jdbc.queryForObject(
                    "select (select count(*) from survey_responses where workspace_id = ?)"
                        + " + (select count(*) from survey_interactions where workspace_id = ?)",
                    Long.class,
                    ws.id(),
                    ws.id()))
            .isZero();
      }
    }
  }

  @Test
  void aDisplayOrDismissalRacingTheDeletionOfItsSurveyIsNotFound() throws Exception {
    for (String what : List.of("displays", "dismissals")) {
      Workspace ws = newWorkspace();
      String id =
          survey(
              ws,
              """
              {"questions": [{"id": "why", "type": "text", "text": "Why?"}]}
              """);
      CompletableFuture<HttpResponse<String>> raced =
          tx().execute(
                  status -> {
                    jdbc.update(
                        "delete from campaigns where workspace_id = ? and id = ?", ws.id(), id);
                    CompletableFuture<HttpResponse<String>> sent =
                        CompletableFuture.supplyAsync(
                            () ->
                                post(
                                    ws,
                                    id,
                                    what,
                                    "{\"interaction_id\": \"i1\", \"anonymous_id\": \"device\"}"));
                    LockWaits.awaitLockWait(dataSource, sent, WAITING_FOR_THE_CAMPAIGN);
                    return sent;
                  });
      HttpResponse<String> r = raced.get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(404);
      assertThat(json(r).path("error").path("details").get(0).path("field").asString())
          .isEqualTo("id");
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from survey_interactions where workspace_id = ?",
                  Long.class,
                  ws.id()))
          .isZero();
    }
  }
}
