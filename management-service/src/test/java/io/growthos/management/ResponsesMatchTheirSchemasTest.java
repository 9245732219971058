package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.SchemaCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Real calls producing every main response type, each answer checked against the schema the live
 * {@code /v3/api-docs} documents for that route and status ({@link SchemaCheck}): required
 * properties present, null only where admitted, nothing undocumented. Values are chosen so that the
 * nullable fields come out both null and set.
 */
class ResponsesMatchTheirSchemasTest extends ApiTestSupport {

  private static final Pattern VARIABLE = Pattern.compile("\\{[a-z_]+}");

  private JsonNode document;
  private SchemaCheck check;
  private final List<String> problems = new ArrayList<>();

  @Test
  void everyMainResponseMatchesItsDocumentedSchema() {
    Response docs = get("/v3/api-docs", null);
    assertThat(docs.status()).isEqualTo(200);
    document = docs.body();
    check = new SchemaCheck(document);

    Tenant t = newTenant();
    contactsEventsAndSegments(t);
    campaignsParticipantsAndRewards(t);
    surveys(t);
    webhooks(t);
    keysWorkspacesAndSettings(t);
    analytics(t);
    errors(t);

    assertThat(problems).as("answers that do not match their documented schema").isEmpty();
    assertThat(check.seen())
        .as("schemas exercised")
        .contains(
            "Contact",
            "PageContact",
            "Event",
            "PageEvent",
            "Segment",
            "PageSegment",
            "SegmentPreview",
            "SegmentCount",
            "Campaign",
            "PageCampaign",
            "CampaignParticipant",
            "PageCampaignParticipant",
            "AdmittedParticipants",
            "Referral",
            "PageReferral",
            "Reward",
            "PageReward",
            "CampaignLeaderboard",
            "CampaignLeaderboardEntry",
            "CampaignStats",
            "FeedResponse",
            "WebhookEndpoint",
            "PageWebhookEndpoint",
            "WebhookDelivery",
            "PageWebhookDelivery",
            "ApiKey",
            "PageApiKey",
            "AdminKey",
            "PageAdminKey",
            "Workspace",
            "PageWorkspace",
            "WorkspaceCreated",
            "Settings",
            "SurveyResults",
            "SurveyNps",
            "SurveyQuestionResult",
            "SurveyResponse",
            "PageSurveyResponse",
            "SurveyAnswer",
            "PageSurveyAnswer",
            "AnalyticsResult",
            "AnalyticsSeriesResult",
            "AnalyticsPoint",
            "AnalyticsStepResult",
            "AnalyticsFunnelBreakdown",
            "AnalyticsCohort",
            "AnalyticsNameCount",
            "ErrorEnvelope",
            "ApiError",
            "ErrorDetail");
  }

  private void contactsEventsAndSegments(Tenant t) {
    // A new contact: no user id, no first/last seen.
    String bare =
        api("POST", "/v1/contacts", t.key(), "{\"email\": \"bare@example.com\"}")
            .path("id")
            .asString();
    api("GET", "/v1/contacts/{id}", t.key(), null, bare);
    api("PATCH", "/v1/contacts/{id}", t.key(), "{\"email\": null}", bare);
    String known = insertContact(t.workspaceId(), "user-1", "{\"plan\": \"free\"}");
    api("GET", "/v1/contacts/{id}", t.key(), null, known);
    api("GET", "/v1/contacts?limit=1", t.key(), null);

    String event = insertEvent(t.workspaceId(), known, "user-1", "Signed Up");
    api("GET", "/v1/events/{id}", t.key(), null, event);
    api("GET", "/v1/events", t.key(), null);

    String segment =
        api(
                "POST",
                "/v1/segments",
                t.key(),
                "{\"name\": \"free\", \"filter\": {\"field\": \"traits.plan\", \"op\": \"eq\","
                    + " \"value\": \"free\"}}")
            .path("id")
            .asString();
    api("GET", "/v1/segments/{id}", t.key(), null, segment);
    api("PATCH", "/v1/segments/{id}", t.key(), "{\"description\": \"Free plan\"}", segment);
    api("GET", "/v1/segments", t.key(), null);
    api("GET", "/v1/segments/{id}/count", t.key(), null, segment);
    api("GET", "/v1/segments/{id}/contacts", t.key(), null, segment);
    api("GET", "/v1/contacts/{id}/segments", t.key(), null, known);
    String preview = "{\"filter\": {\"field\": \"email\", \"op\": \"not_exists\"}}";
    api("POST", "/v1/segments/preview", t.key(), preview);
    // Without contacts:read the sample is left out.
    api("POST", "/v1/segments/preview", newSecretKey(t.workspaceId(), "segments:read"), preview);
  }

  private void campaignsParticipantsAndRewards(Tenant t) {
    String referral =
        api(
                "POST",
                "/v1/campaigns",
                t.key(),
                "{\"type\": \"referral\", \"name\": \"Refer\", \"status\": \"active\","
                    + " \"settings\": {\"landing_url\": \"https://example.com/r\", \"approval\":"
                    + " \"manual\", \"reward_rules\": [{\"side\": \"referrer\", \"every\": 1,"
                    + " \"reward\": {\"type\": \"cash\", \"amount\": 25, \"currency\": \"EUR\"}},"
                    + " {\"side\": \"referee\", \"every\": 1, \"reward\": {\"type\":"
                    + " \"custom\"}}]}}")
            .path("id")
            .asString();
    JsonNode referrer =
        api(
            "POST",
            "/v1/campaigns/{id}/participants",
            t.key(),
            "{\"email\": \"ref@example.com\"}",
            referral);
    String code = referrer.path("referral_code").asString();
    api(
        "POST",
        "/v1/campaigns/{id}/participants",
        t.key(),
        "{\"email\": \"friend@example.com\", \"referral_code\": \"" + code + "\"}",
        referral);
    api(
        "GET",
        "/v1/campaigns/{id}/participants/{pid}",
        t.key(),
        null,
        referral,
        referrer.path("id").asString());
    api("GET", "/v1/campaigns/{id}/participants", t.key(), null, referral);
    api("GET", "/v1/campaigns/{id}/referrals", t.key(), null, referral);
    JsonNode rewards = api("GET", "/v1/campaigns/{id}/rewards", t.key(), null, referral);
    assertThat(rewards.path("data").size()).as(rewards.toString()).isEqualTo(2);
    String first = rewards.path("data").path(0).path("id").asString();
    String second = rewards.path("data").path(1).path("id").asString();
    api("GET", "/v1/campaigns/{id}/rewards/{rid}", t.key(), null, referral, first);
    api("POST", "/v1/campaigns/{id}/rewards/{rid}/approve", t.key(), null, referral, first);
    api("POST", "/v1/campaigns/{id}/rewards/{rid}/fulfil", t.key(), null, referral, first);
    api(
        "POST",
        "/v1/campaigns/{id}/rewards/{rid}/reject",
        t.key(),
        "{\"reason\": \"duplicate account\"}",
        referral,
        second);
    api("GET", "/v1/campaigns/{id}/leaderboard", t.key(), null, referral);
    api("GET", "/v1/campaigns/{id}/leaderboard?period=month", t.key(), null, referral);
    api("GET", "/v1/campaigns/{id}/stats", t.key(), null, referral);

    String waitlist =
        api(
                "POST",
                "/v1/campaigns",
                t.key(),
                "{\"type\": \"waitlist\", \"name\": \"Beta\", \"status\": \"active\","
                    + " \"settings\": {\"require_verification\": true}}")
            .path("id")
            .asString();
    JsonNode waiting =
        api(
            "POST",
            "/v1/campaigns/{id}/participants",
            t.key(),
            "{\"email\": \"w1@example.com\"}",
            waitlist);
    JsonNode second2 =
        api(
            "POST",
            "/v1/campaigns/{id}/participants",
            t.key(),
            "{\"email\": \"w2@example.com\"}",
            waitlist);
    api(
        "POST",
        "/v1/campaigns/{id}/participants/{pid}/verify",
        t.key(),
        "{\"token\": \"" + waiting.path("verification_token").asString() + "\"}",
        waitlist,
        waiting.path("id").asString());
    api("POST", "/v1/campaigns/{id}/admit", t.key(), "{\"count\": 1}", waitlist);
    api(
        "POST",
        "/v1/campaigns/{id}/participants/{pid}/admit",
        t.key(),
        null,
        waitlist,
        second2.path("id").asString());
    api("GET", "/v1/campaigns/{id}/participants", t.key(), null, waitlist);
    api("GET", "/v1/campaigns/{id}/stats", t.key(), null, waitlist);

    String proof =
        api(
                "POST",
                "/v1/campaigns",
                t.key(),
                "{\"type\": \"social_proof\", \"name\": \"Joins\", \"starts_at\":"
                    + " \"2026-01-01T00:00:00Z\", \"settings\": {\"source\": {\"campaign\": \""
                    + waitlist
                    + "\", \"activity\": \"joined\"}, \"template\": \"{first_name} joined\"}}")
            .path("id")
            .asString();
    api("GET", "/v1/campaigns/{id}/feed", t.key(), null, proof);
    api("PATCH", "/v1/campaigns/{id}", t.key(), "{\"name\": \"Joins!\"}", proof);
    api("GET", "/v1/campaigns/{id}", t.key(), null, referral);
    api("GET", "/v1/campaigns", t.key(), null);
  }

  private void surveys(Tenant t) {
    String survey =
        api(
                "POST",
                "/v1/campaigns",
                t.key(),
                """
                {"type": "survey", "name": "NPS", "audience": {"field": "email", "op": "exists"},
                 "settings": {"questions": [
                   {"id": "score", "type": "nps", "text": "Recommend us?", "required": true},
                   {"id": "why", "type": "text", "text": "Why?"}]}}
                """)
            .path("id")
            .asString();
    // No responses yet: completion rate and NPS score are null.
    api("GET", "/v1/campaigns/{id}/results", t.key(), null, survey);
    jdbc.update(
        "insert into survey_responses (workspace_id, campaign_id, response_id, anonymous_id,"
            + " answers, completed, completed_at) values (?, ?, 'r1', 'anon', '{\"score\": 10,"
            + " \"why\": \"fast\"}'::jsonb, true, now()), (?, ?, 'r2', 'anon2', '{\"score\":"
            + " 3}'::jsonb, false, null)",
        t.workspaceId(),
        survey,
        t.workspaceId(),
        survey);
    api("GET", "/v1/campaigns/{id}/results", t.key(), null, survey);
    api("GET", "/v1/campaigns/{id}/responses", t.key(), null, survey);
    api("GET", "/v1/campaigns/{id}/results/questions/{qid}/answers", t.key(), null, survey, "why");
    api(
        "GET",
        "/v1/campaigns/{id}/results/questions/{qid}/answers",
        t.key(),
        null,
        survey,
        "score");
  }

  private void webhooks(Tenant t) {
    JsonNode endpoint =
        api(
            "POST",
            "/v1/webhook-endpoints",
            t.key(),
            "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"reward.created\"]}");
    String id = endpoint.path("id").asString();
    api("GET", "/v1/webhook-endpoints/{id}", t.key(), null, id);
    api("PATCH", "/v1/webhook-endpoints/{id}", t.key(), "{\"description\": \"CRM\"}", id);
    api("POST", "/v1/webhook-endpoints/{id}/rotate-secret", t.key(), null, id);
    String delivery =
        api("POST", "/v1/webhook-endpoints/{id}/test", t.key(), null, id).path("id").asString();
    api("GET", "/v1/webhook-endpoints/{id}/deliveries", t.key(), null, id);
    api(
        "POST",
        "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend",
        t.key(),
        null,
        id,
        delivery);
    api("GET", "/v1/webhook-endpoints", t.key(), null);
  }

  private void keysWorkspacesAndSettings(Tenant t) {
    String key =
        api(
                "POST",
                "/v1/api-keys",
                t.key(),
                "{\"type\": \"secret\", \"name\": \"ci\", \"scopes\": [\"contacts:read\"]}")
            .path("id")
            .asString();
    api("GET", "/v1/api-keys/{id}", t.key(), null, key);
    api("POST", "/v1/api-keys/{id}/roll", t.key(), "{\"grace_period_seconds\": 60}", key);
    api("GET", "/v1/api-keys", t.key(), null);
    String write =
        api("POST", "/v1/api-keys", t.key(), "{\"type\": \"write\"}").path("id").asString();
    // Replayed from the idempotency store, a create or roll has key: null (never stored).
    String again =
        replayed("POST", "/v1/api-keys", t.key(), "{\"type\": \"write\"}", "key")
            .path("id")
            .asString();
    replayed("POST", "/v1/api-keys/{id}/roll", t.key(), "{}", "key", again);
    api("POST", "/v1/api-keys/{id}/revoke", t.key(), null, write);

    api("GET", "/v1/settings", t.key(), null);
    api("PATCH", "/v1/settings", t.key(), "{\"timezone\": \"Europe/Paris\"}");

    String admin = newAdminKey();
    String workspace =
        api("POST", "/v1/workspaces", admin, "{\"name\": \"Acme\", \"plan\": \"free\"}")
            .path("workspace")
            .path("id")
            .asString();
    // Replayed, the first keys are null (never stored).
    JsonNode replayedWorkspace =
        replayed(
            "POST",
            "/v1/workspaces",
            admin,
            "{\"name\": \"Again\", \"plan\": \"free\"}",
            "write_key");
    assertThat(replayedWorkspace.path("secret_key").isNull()).isTrue();
    api("GET", "/v1/workspaces/{id}", admin, null, workspace);
    api("PATCH", "/v1/workspaces/{id}", admin, "{\"plan\": \"growth\"}", workspace);
    api("GET", "/v1/workspaces?limit=2", admin, null);
    String adminKey =
        api("POST", "/v1/admin-keys", admin, "{\"name\": \"ops\"}").path("id").asString();
    replayed("POST", "/v1/admin-keys", admin, "{\"name\": \"ops again\"}", "key");
    api("GET", "/v1/admin-keys?limit=2", admin, null);
    api("POST", "/v1/admin-keys/{id}/revoke", admin, null, adminKey);
  }

  private void analytics(Tenant t) {
    String contact = insertContact(t.workspaceId(), "user-a", "{\"plan\": \"free\"}");
    insertEvent(t.workspaceId(), contact, "user-a", "Signed Up");
    insertEvent(t.workspaceId(), contact, "user-a", "Paid");
    java.time.Instant today =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    String range =
        "\"timezone\": \"UTC\", \"from\": \""
            + today.minus(java.time.Duration.ofDays(20))
            + "\", \"to\": \""
            + today.plus(java.time.Duration.ofDays(1))
            + "\"";
    for (String query :
        List.of(
            "{\"kind\": \"trends\", "
                + range
                + ", \"interval\": \"day\", \"series\": [{\"event\": \"Signed Up\"}],"
                + " \"breakdown\": {\"property\": \"properties.n\"}}",
            "{\"kind\": \"trends\", "
                + range
                + ", \"interval\": \"day\", \"series\": [{\"event\": \"Paid\"}]}",
            "{\"kind\": \"funnel\", "
                + range
                + ", \"steps\": [{\"event\": \"Signed Up\"}, {\"event\": \"Paid\"}],"
                + " \"breakdown\": {\"trait\": \"traits.plan\"}}",
            "{\"kind\": \"funnel\", "
                + range
                + ", \"steps\": [{\"event\": \"Signed Up\"}, {\"event\": \"Paid\"}]}",
            "{\"kind\": \"retention\", "
                + range
                + ", \"interval\": \"day\", \"start_event\": \"Signed Up\", \"return_event\":"
                + " \"Paid\", \"periods\": 2}",
            "{\"kind\": \"counts\", " + range + "}")) {
      api("POST", "/v1/analytics/query", t.key(), query);
    }
  }

  private void errors(Tenant t) {
    Response missing = get("/v1/contacts/cntct_nope", t.key());
    conforms("GET", "/v1/contacts/{id}", missing);
    Response invalid = post("/v1/contacts", t.key(), "{\"email\": 7}");
    conforms("POST", "/v1/contacts", invalid);
  }

  /**
   * Calls {@code template} (its variables filled with {@code args} in order, a query string
   * allowed), expects a success and checks the answer; returns its body.
   */
  private JsonNode api(String method, String template, String key, String body, String... args) {
    String path = fill(template, args);
    Response r = call(method, path, key, body);
    assertThat(r.status()).as("%s %s: %s", method, path, r.raw()).isBetween(200, 299);
    conforms(method, template, r);
    return r.body();
  }

  /**
   * Sends the write twice with one Idempotency-Key: both answers are checked, the second must be
   * the replay and carry {@code secret} as null (full keys are never stored). Returns the replay.
   */
  private JsonNode replayed(
      String method, String template, String key, String body, String secret, String... args) {
    String path = fill(template, args);
    String idempotencyKey = "replay-" + java.util.UUID.randomUUID();
    Response first = call(method, path, key, body, "Idempotency-Key", idempotencyKey);
    assertThat(first.status()).as("%s %s: %s", method, path, first.raw()).isBetween(200, 299);
    assertThat(first.body().path(secret).isString()).as(first.raw()).isTrue();
    conforms(method, template, first);
    Response replay = call(method, path, key, body, "Idempotency-Key", idempotencyKey);
    assertThat(replay.status()).isEqualTo(first.status());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body().path(secret).isNull()).as(replay.raw()).isTrue();
    conforms(method, template, replay);
    return replay.body();
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

  private void conforms(String method, String template, Response r) {
    String route = template.contains("?") ? template.substring(0, template.indexOf('?')) : template;
    JsonNode operation = document.path("paths").path(route).path(method.toLowerCase());
    assertThat(operation.isObject()).as("%s %s is documented", method, route).isTrue();
    JsonNode schema =
        operation
            .path("responses")
            .path(Integer.toString(r.status()))
            .path("content")
            .path("application/json")
            .path("schema");
    assertThat(schema.isObject())
        .as("%s %s documents a body for %s", method, route, r.status())
        .isTrue();
    problems.addAll(check.problems(r.body(), schema, method + " " + route + " " + r.status()));
  }
}
