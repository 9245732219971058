package io.growthos.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignInfo;
import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.campaigns.Participants;
import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.testsupport.SchemaCheck;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Real calls of every widget route (campaign info, join, the participant's own state, the
 * social-proof feed, the survey lookup, displays, dismissals and responses) and of the event
 * routes, each answer checked against the schema the live {@code /v3/api-docs} documents for that
 * route and status ({@link SchemaCheck}): required properties present, null only where admitted,
 * nothing undocumented. Values are chosen so that the nullable fields come out both null and set.
 */
class ResponsesMatchTheirSchemasTests extends IngestTestBase {

  private static final Pattern VARIABLE = Pattern.compile("\\{[a-z_]+}");

  @Autowired DataSource dataSource;

  private JsonNode document;
  private SchemaCheck check;
  private final List<String> problems = new ArrayList<>();

  @Test
  void everyWidgetAnswerMatchesItsDocumentedSchema() {
    HttpResponse<String> docs = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build());
    assertThat(docs.statusCode()).isEqualTo(200);
    document = json(docs);
    try {
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("/tmp/ingest-api-docs.json"), docs.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    check = new SchemaCheck(document);

    Workspace ws = newWorkspace();
    referralProgram(ws);
    waitlist(ws);
    socialProof(ws);
    surveys(ws);
    eventsAndErrors(ws);

    assertThat(problems).as("answers that do not match their documented schema").isEmpty();
    assertThat(check.seen())
        .as("schemas exercised")
        .contains(
            "WidgetCampaign",
            "WidgetCampaignCounts",
            "WidgetReferralSettings",
            "WidgetRewardRule",
            "WidgetReward",
            "WidgetLeaderboardEntry",
            "WidgetParticipant",
            "WidgetReferralCounts",
            "FeedResponse",
            "ItemView",
            "CounterView",
            "WidgetSurveyLookup",
            "WidgetSurvey",
            "WidgetSurveyQuestion",
            "WidgetSurveyLogicRule",
            "WidgetSurveyThankYou",
            "WidgetSurveyInteraction",
            "WidgetSurveyResponse",
            "WidgetSurveyResponseNotRecorded",
            "Ack",
            "ErrorEnvelope");
  }

  /**
   * What the widgets' response schemas say without a call: the properties the widget routes write
   * as null are typed nullable, and every response schema lists the ones always present.
   */
  @Test
  void widgetSchemasListRequiredPropertiesAndTypeNullableOnes() {
    JsonNode schemas =
        json(send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build()))
            .path("components")
            .path("schemas");
    String[][] nullable = {
      {"WidgetCampaign", "starts_at"},
      {"WidgetCampaign", "ends_at"},
      {"WidgetCampaignCounts", "waiting"},
      {"WidgetReferralSettings", "landing_url"},
      {"WidgetReferralSettings", "spots_per_referral"},
      {"WidgetReferralSettings", "require_verification"},
      {"WidgetReferralSettings", "rewards"},
      {"WidgetRewardRule", "every"},
      {"WidgetRewardRule", "limit"},
      {"WidgetRewardRule", "milestones"},
      {"WidgetReward", "amount"},
      {"WidgetReward", "currency"},
      {"WidgetReward", "description"},
      {"WidgetParticipant", "position"},
      {"WidgetParticipant", "people_ahead"},
      {"WidgetParticipant", "total"},
      {"WidgetParticipant", "share_url"},
      {"WidgetSurveyThankYou", "body"},
      {"WidgetSurveyResponse", "completed_at"}
    };
    for (String[] p : nullable) {
      JsonNode property = schemas.path(p[0]).path("properties").path(p[1]);
      assertThat(SchemaCheck.admitsNull(property)).as("%s.%s admits null", p[0], p[1]).isTrue();
      assertThat(schemas.path(p[0]).path("required").toString())
          .as("%s.%s is always written", p[0], p[1])
          .contains("\"" + p[1] + "\"");
    }
    assertThat(schemas.at("/WidgetSurveyLookup/properties/survey/oneOf/1/type").asString())
        .isEqualTo("null");
    // Only in the join's answer: optional, never null.
    assertThat(schemas.at("/WidgetParticipant/required").toString())
        .doesNotContain("participant_token")
        .contains("\"referral_code\"", "\"joined_at\"");
    assertThat(SchemaCheck.types(schemas.at("/WidgetParticipant/properties/participant_token")))
        .containsExactly("string");
    for (String name :
        List.of(
            "WidgetCampaign",
            "WidgetCampaignCounts",
            "WidgetReferralSettings",
            "WidgetRewardRule",
            "WidgetReward",
            "WidgetLeaderboardEntry",
            "WidgetParticipant",
            "WidgetReferralCounts",
            "FeedResponse",
            "ItemView",
            "CounterView",
            "WidgetSurveyLookup",
            "WidgetSurvey",
            "WidgetSurveyQuestion",
            "WidgetSurveyInteraction",
            "WidgetSurveyResponse",
            "WidgetSurveyResponseNotRecorded",
            "Ack")) {
      assertThat(schemas.path(name).path("required").size()).as("%s required", name).isPositive();
    }
    // Request bodies are not made all-required.
    assertThat(schemas.at("/WidgetJoin/required").toString()).doesNotContain("client_id");
    assertThat(schemas.at("/WidgetSurveyInteractionRequest/required").isMissingNode()).isTrue();
    assertThat(schemas.at("/TrackCall/required").toString()).isEqualTo("[\"event\"]");
    schemas
        .properties()
        .forEach(
            e ->
                assertThat(e.getValue().has("x-growthos-always-written")).as(e.getKey()).isFalse());
  }

  /**
   * A referral program with dates (a start, no end), a landing URL, and two rules: one every
   * referral with a limit and a described cash reward, one at milestones with a custom reward and
   * neither limit nor description. Its info has no waitlist counts or settings; a participant has a
   * share URL and no position.
   */
  private void referralProgram(Workspace ws) {
    String c =
        campaign(
            ws,
            "referral",
            "{\"landing_url\": \"https://shop.example.com/\", \"reward_rules\": ["
                + "{\"side\": \"referrer\", \"every\": 1, \"limit\": 5, \"reward\": {\"type\":"
                + " \"cash\", \"amount\": 10, \"currency\": \"usd\", \"description\": \"$10\"}},"
                + " {\"side\": \"referee\", \"milestones\": [1, 3], \"reward\": {\"type\":"
                + " \"custom\"}}]}",
            Instant.now().minus(Duration.ofDays(1)),
            null);
    JsonNode info = widget("GET", "/v1/widgets/campaigns/{id}", 200, null, null, c);
    assertThat(info.at("/counts/waiting").isNull()).as(info.toString()).isTrue();
    assertThat(info.at("/referral/rewards/1/limit").isNull()).as(info.toString()).isTrue();
    assertThat(info.at("/referral/rewards/1/reward/description").isNull()).isTrue();
    assertThat(info.at("/referral/spots_per_referral").isNull()).isTrue();
    JsonNode ada =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/participants",
            201,
            "{\"email\": \"ada@example.com\", \"client_id\": \"c-ada\"}",
            null,
            c);
    assertThat(ada.path("position").isNull()).isTrue();
    assertThat(ada.path("share_url").isString()).isTrue();
    // A replayed join (same client_id and e-mail) is 200 with a new token.
    ada =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/participants",
            200,
            "{\"email\": \"ada@example.com\", \"client_id\": \"c-ada\"}",
            null,
            c);
    widget(
        "POST",
        "/v1/widgets/campaigns/{id}/participants",
        201,
        "{\"email\": \"bea@example.com\", \"referral_code\": \""
            + ada.path("referral_code").asString()
            + "\"}",
        null,
        c);
    JsonNode me =
        widget(
            "GET",
            "/v1/widgets/campaigns/{id}/participants/me",
            200,
            null,
            ada.path("participant_token").asString(),
            c);
    assertThat(me.has("participant_token")).isFalse();
    JsonNode board = widget("GET", "/v1/widgets/campaigns/{id}", 200, null, null, c);
    assertThat(board.path("leaderboard")).as(board.toString()).isNotEmpty();
  }

  /**
   * A waitlist without a landing URL (share_url null), with dates (an end, no start) and
   * verification: counts and settings set, rewards null; one participant admitted (position null)
   * and one waiting (position set).
   */
  private void waitlist(Workspace ws) {
    String settings = "{\"spots_per_referral\": 2, \"require_verification\": true}";
    Instant ends = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);
    String c = campaign(ws, "waitlist", settings, null, ends);
    JsonNode first =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/participants",
            201,
            "{\"email\": \"cat@example.com\"}",
            null,
            c);
    assertThat(first.path("share_url").isNull()).as(first.toString()).isTrue();
    assertThat(first.path("position").isIntegralNumber()).isTrue();
    JsonNode second =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/participants",
            201,
            "{\"email\": \"dan@example.com\"}",
            null,
            c);
    JsonNode info = widget("GET", "/v1/widgets/campaigns/{id}", 200, null, null, c);
    assertThat(info.at("/counts/waiting").isIntegralNumber()).as(info.toString()).isTrue();
    assertThat(info.at("/referral/rewards").isNull()).isTrue();
    assertThat(info.path("starts_at").isNull()).isTrue();
    assertThat(info.path("ends_at").isString()).isTrue();

    String firstId =
        jdbc.queryForObject(
            "select id from campaign_participants where workspace_id = ? and campaign_id = ?"
                + " order by created_at, id limit 1",
            String.class,
            ws.id(),
            c);
    CampaignInfo campaign =
        CampaignInfo.of(
            ws.id(),
            c,
            CampaignType.WAITLIST,
            CampaignStatus.ACTIVE,
            null,
            ends,
            CampaignSettings.validate(CampaignType.WAITLIST, JSON.readTree(settings)));
    tx().executeWithoutResult(s -> new Participants(jdbc).admit(campaign, firstId));
    JsonNode admitted =
        widget(
            "GET",
            "/v1/widgets/campaigns/{id}/participants/me",
            200,
            null,
            first.path("participant_token").asString(),
            c);
    assertThat(admitted.path("admitted").asBoolean()).as(admitted.toString()).isTrue();
    assertThat(admitted.path("position").isNull()).isTrue();
    widget(
        "GET",
        "/v1/widgets/campaigns/{id}/participants/me",
        200,
        null,
        second.path("participant_token").asString(),
        c);
  }

  private void socialProof(Workspace ws) {
    String c =
        campaign(
            ws,
            "social_proof",
            """
            {"source": {"event": "Signed Up", "where": []},
             "template": "{first_name|Someone} signed up {time_ago}",
             "counter": {"window": "7d", "template": "{count} people signed up", "min_count": 1}}
            """,
            null,
            null);
    JsonNode empty = widget("GET", "/v1/widgets/campaigns/{id}/feed", 200, null, null, c);
    assertThat(empty.path("items")).isEmpty();
    for (String user : List.of("u-1", "u-2")) {
      eventRoute(
          ws,
          "/v1/identify",
          "{\"userId\": \"" + user + "\", \"traits\": {\"first_name\": \"Al\"}}");
      eventRoute(ws, "/v1/track", "{\"userId\": \"" + user + "\", \"event\": \"Signed Up\"}");
    }
    // The feed is cached per campaign for a few seconds.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode feed = empty;
    while (feed.path("items").isEmpty() && System.nanoTime() < deadline) {
      sleep(250);
      feed = widget("GET", "/v1/widgets/campaigns/{id}/feed", 200, null, null, c);
    }
    assertThat(feed.path("items")).as(feed.toString()).isNotEmpty();
    assertThat(feed.path("counters")).as(feed.toString()).isNotEmpty();
  }

  private void surveys(Workspace ws) {
    // Nothing to show yet: {"survey": null}.
    JsonNode none = widget("GET", "/v1/widgets/surveys?anonymous_id=v-1", 200, null, null);
    assertThat(none.path("survey").isNull()).as(none.toString()).isTrue();
    String s =
        campaign(
            ws,
            "survey",
            """
            {"questions": [
               {"id": "score", "type": "nps", "text": "Recommend us?", "required": true,
                "logic": [{"if": {"op": "gte", "value": 9}, "then": {"jump_to": "end"}},
                          {"if": {"op": "answered"}, "then": {"jump_to": "why"}}]},
               {"id": "pick", "type": "multiple_choice", "text": "Which?",
                "choices": ["A", "B"], "allow_other": true},
               {"id": "stars", "type": "rating", "text": "Stars?", "scale": 10},
               {"id": "why", "type": "text", "text": "Why?", "max_length": 100}],
             "targeting": {"once_per_contact": false},
             "thank_you": {"headline": "Thanks!"}}
            """,
            null,
            null);
    JsonNode shown =
        widget(
            "GET", "/v1/widgets/surveys?anonymous_id=v-1&url=https%3A%2F%2Fa.io", 200, null, null);
    assertThat(shown.path("survey").path("id").asString()).as(shown.toString()).isEqualTo(s);
    assertThat(shown.at("/survey/thank_you/body").isNull()).isTrue();
    widget(
        "POST",
        "/v1/widgets/campaigns/{id}/displays",
        200,
        "{\"interaction_id\": \"i-1\", \"anonymous_id\": \"v-1\", \"url\": \"https://a.io\"}",
        null,
        s);
    widget("POST", "/v1/widgets/campaigns/{id}/dismissals", 200, "{\"user_id\": \"u-9\"}", null, s);
    // A partial response: no user id, no URL, not completed; then completed with a URL.
    JsonNode partial =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/responses",
            200,
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"v-1\", \"answers\": {\"score\": 4}}",
            null,
            s);
    assertThat(partial.path("completed_at").isNull()).as(partial.toString()).isTrue();
    assertThat(partial.path("user_id").isNull()).isTrue();
    JsonNode complete =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/responses",
            200,
            "{\"response_id\": \"r-1\", \"anonymous_id\": \"v-1\", \"user_id\": \"u-1\","
                + " \"answers\": {\"why\": \"speed\"}, \"completed\": true, \"url\":"
                + " \"https://a.io\"}",
            null,
            s);
    assertThat(complete.path("completed_at").isString()).as(complete.toString()).isTrue();
    // A known visitor: recorded for its contact, which the answer does not name (public key).
    String contact = contact(ws, "v-known");
    JsonNode known =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/responses",
            200,
            "{\"response_id\": \"r-2\", \"anonymous_id\": \"v-known\", \"answers\": {\"score\":"
                + " 10}, \"completed\": true}",
            null,
            s);
    assertThat(known.has("contact_id")).as(known.toString()).isFalse();
    assertThat(
            jdbc.queryForObject(
                "select contact_id from survey_responses where workspace_id = ? and response_id ="
                    + " 'r-2'",
                String.class,
                ws.id()))
        .isEqualTo(contact);
    // A deleted contact's ids: acknowledged, not recorded.
    tx().executeWithoutResult(
            st ->
                new ContactDeletion(jdbc, new ContactSuppressions(jdbc)).delete(ws.id(), contact));
    JsonNode skipped =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/displays",
            200,
            "{\"anonymous_id\": \"v-known\"}",
            null,
            s);
    assertThat(skipped.path("recorded").asBoolean()).isFalse();
    JsonNode notRecorded =
        widget(
            "POST",
            "/v1/widgets/campaigns/{id}/responses",
            200,
            "{\"response_id\": \"r-3\", \"anonymous_id\": \"v-known\", \"answers\": {}}",
            null,
            s);
    assertThat(notRecorded.path("recorded").asBoolean()).as(notRecorded.toString()).isFalse();
  }

  /** The acknowledgement of the event routes, and error answers of a few widget routes. */
  private void eventsAndErrors(Workspace ws) {
    eventRoute(
        ws,
        "/v1/batch",
        "{\"batch\": [{\"type\": \"track\", \"userId\": \"u\", \"event\": \"E\"}]}");
    HttpResponse<String> invalid =
        post("/v1/track", "{\"userId\": \"u\"}", "Authorization", ws.bearer());
    assertThat(invalid.statusCode()).isEqualTo(400);
    conforms("POST", "/v1/track", invalid);
    widget("GET", "/v1/widgets/campaigns/{id}", 404, null, null, "cmp_" + "0".repeat(23));
    widget("GET", "/v1/widgets/campaigns/{id}/feed?x=1", 400, null, null, "cmp_x");
    widget("GET", "/v1/widgets/surveys", 400, null, null);
  }

  // --- helpers -----------------------------------------------------------------------------------

  private String campaign(
      Workspace ws, String type, String settings, Instant startsAt, Instant endsAt) {
    JsonNode validated =
        CampaignSettings.validate(
            CampaignType.ofWireName(type).orElseThrow(), JSON.readTree(settings));
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, starts_at, ends_at,"
            + " settings) values (?, ?, ?, ?, 'active', ?, ?, ?::jsonb)",
        ws.id(),
        id,
        type,
        "Beta " + type,
        startsAt == null ? null : Timestamp.from(startsAt),
        endsAt == null ? null : Timestamp.from(endsAt),
        validated.toString());
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws.id(), id);
    return id;
  }

  private String contact(Workspace ws, String anonymousId) {
    String id = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, traits) values (?, ?, '{}'::jsonb)", ws.id(), id);
    jdbc.update(
        "insert into contact_identities (workspace_id, kind, value, contact_id)"
            + " values (?, 'anonymous_id', ?, ?)",
        ws.id(),
        anonymousId,
        id);
    return id;
  }

  private void eventRoute(Workspace ws, String route, String body) {
    HttpResponse<String> r = post(route, body, "Authorization", ws.basic());
    assertThat(r.statusCode()).as("%s: %s", route, r.body()).isEqualTo(200);
    conforms("POST", route, r);
  }

  /**
   * Calls a widget route ({@code template} filled with {@code args}, a query string allowed) with
   * the workspace's key, expects {@code status} and checks the answer; returns its body.
   */
  private JsonNode widget(
      String method, String template, int status, String body, String token, String... args) {
    String path = fill(template, args);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", lastWorkspaceBearer);
    if (token != null) {
      req.header(WidgetRoutes.PARTICIPANT_TOKEN_HEADER, token);
    }
    if (body == null) {
      req.GET();
    } else {
      req.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> r = send(req.build());
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
    conforms(method, template, r);
    return json(r);
  }

  private String lastWorkspaceBearer;

  @Override
  protected Workspace newWorkspace() {
    Workspace ws = super.newWorkspace();
    lastWorkspaceBearer = ws.bearer();
    return ws;
  }

  private static String fill(String template, String... args) {
    StringBuilder path = new StringBuilder();
    Matcher m = VARIABLE.matcher(template);
    int i = 0;
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(args[i++]));
    }
    m.appendTail(path);
    return path.toString();
  }

  private void conforms(String method, String template, HttpResponse<String> r) {
    String route = template.contains("?") ? template.substring(0, template.indexOf('?')) : template;
    JsonNode operation = document.path("paths").path(route).path(method.toLowerCase());
    assertThat(operation.isObject()).as("%s %s is documented", method, route).isTrue();
    JsonNode schema =
        operation
            .path("responses")
            .path(Integer.toString(r.statusCode()))
            .path("content")
            .path("application/json")
            .path("schema");
    assertThat(schema.isObject())
        .as("%s %s documents a body for %s", method, route, r.statusCode())
        .isTrue();
    problems.addAll(check.problems(json(r), schema, method + " " + route + " " + r.statusCode()));
  }

  private TransactionTemplate tx() {
    return new TransactionTemplate(new JdbcTransactionManager(dataSource));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
