package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.ingest.IngestApplication;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import io.growthos.testsupport.HostileInputProperties;
import io.growthos.testsupport.HostileRequests;
import io.growthos.testsupport.HostileRequests.Answer;
import io.growthos.testsupport.HostileRequests.Kind;
import io.growthos.testsupport.HostileRequests.Operation;
import io.growthos.testsupport.HostileRequests.Request;
import io.growthos.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input WITH a valid write key, to every operation of the live OpenAPI document ({@code
 * /v3/api-docs}): the event routes and the widget routes, with real campaign ids of each type (and
 * of another workspace) in the path and a real participant token, each request damaged one way
 * ({@link HostileRequests.Kind}). Never a 5xx; every 4xx is the error envelope with a request id; a
 * 400 for a damaged field names it; a success only where the request kept the documented contract,
 * and its body matches the documented schema. Every operation meets every kind of damage once
 * (exhaustive), then a fixed-seed sample draws more.
 */
class AuthenticatedHostileInputPropertyTests extends HostileInputProperties {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ConfigurableApplicationContext app;
  private static String base;
  private static JdbcTemplate jdbc;
  private static HostileRequests hostile;
  private static List<Operation> operations;
  private static String writeKey;
  private static final Map<String, String> campaigns = new HashMap<>();
  private static final Map<String, String> otherCampaigns = new HashMap<>();
  private static final Map<String, Boolean> baselines = new HashMap<>();
  private static String token;

  @BeforeContainer
  static void start() {
    TestPostgres pg = TestPostgres.get();
    app =
        new SpringApplicationBuilder(IngestApplication.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + pg.jdbcUrl(),
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--growthos.ratelimit.enabled=false");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    jdbc = app.getBean(JdbcTemplate.class);
    String ws = workspace();
    writeKey = key(ws);
    String other = workspace();
    for (String type : List.of("referral", "waitlist", "survey", "social_proof")) {
      campaigns.put(type, campaign(ws, type));
      otherCampaigns.put(type, campaign(other, type));
    }
    Answer docs = HostileRequests.send(base, "GET", "/v3/api-docs", null, null, null);
    assertThat(docs.status()).isEqualTo(200);
    hostile = new HostileRequests(JSON.readTree(docs.body()));
    operations = hostile.operations("/v1/");
    assertThat(operations).hasSizeGreaterThan(10);
    Answer joined =
        HostileRequests.send(
            base,
            "POST",
            "/v1/widgets/campaigns/" + campaigns.get("referral") + "/participants",
            "application/json",
            "{\"email\": \"ada@example.com\"}",
            "Bearer " + writeKey);
    assertThat(joined.status()).as(joined.body()).isEqualTo(201);
    token = joined.json().path("participant_token").asString();
  }

  @AfterContainer
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Override
  protected List<Operation> operations() {
    return operations;
  }

  @Override
  protected void attack(Case c, Random random) {
    Operation op = c.operation();
    String key = "Bearer " + writeKey;
    boolean validBaseline = baseline(op, key);
    Request r =
        hostile.build(
            op,
            c.kind(),
            random,
            AuthenticatedHostileInputPropertyTests::id,
            AuthenticatedHostileInputPropertyTests::otherId,
            validBody(op));
    Answer a = HostileRequests.send(base, r, key);
    List<String> problems = new ArrayList<>(hostile.verdict(r, a, validBaseline));
    problems.removeIf(p -> documented(r, p));
    report(r, a, problems);
  }

  /**
   * What the event routes do by design (README, "Ingest API"; {@code HostileInputTests}): they read
   * the body as JSON whatever its Content-Type says, keep properties Segment's spec does not list,
   * ignore query parameters, and take a numeric id as its decimal text; an event over the size
   * limit is refused as a whole ({@code body}, reason {@code too_large}), and so is a body nested
   * too deep.
   */
  private static boolean documented(Request r, String problem) {
    if (r.path().startsWith("/v1/widgets/")) {
      return false;
    }
    boolean accepted = problem.startsWith("a 200 where a 4xx was due");
    return switch (r.kind()) {
      case WRONG_CONTENT_TYPE, UNKNOWN_PROPERTY -> accepted;
      case BAD_QUERY -> accepted && "zz_unknown".equals(r.field());
      case ODD_NUMBER, WRONG_TYPE ->
          accepted
              && r.field() != null
              && (r.field().matches("(batch\\[\\d+]\\.)?\\w+Id") || foreignToItsCall(r.field()));
      case HUGE_STRING -> problem.contains("\"field\":\"body\",\"reason\":\"too_large\"");
      default -> false;
    };
  }

  private static boolean baseline(Operation op, String key) {
    Boolean known = baselines.get(op.toString());
    if (known != null) {
      return known;
    }
    Request r =
        hostile.build(
            op,
            Kind.BASELINE,
            new Random(1),
            AuthenticatedHostileInputPropertyTests::id,
            AuthenticatedHostileInputPropertyTests::otherId,
            validBody(op));
    Answer a = HostileRequests.send(base, r, key);
    report(r, a, hostile.verdict(r, a, false));
    boolean ok = a.status() >= 200 && a.status() < 300;
    baselines.put(op.toString(), ok);
    return ok;
  }

  /**
   * A property of another call type on a batch item ({@code event} on the identify of the valid
   * batch): its schema lists the union of every call's properties, and a call keeps what is not its
   * own as Segment's do.
   */
  private static boolean foreignToItsCall(String field) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("batch\\[(\\d)]\\.(\\w+)").matcher(field);
    if (!m.matches()) {
      return false;
    }
    // The valid batch: [0] a track, [1] an identify.
    List<String> own = m.group(1).equals("0") ? List.of("event", "properties") : List.of("traits");
    return List.of("event", "properties", "name", "groupId", "previousId", "traits")
            .contains(m.group(2))
        && !own.contains(m.group(2));
  }

  private static String campaignFor(Operation op) {
    String t = op.template();
    if (t.endsWith("/feed")) {
      return "social_proof";
    }
    if (t.endsWith("/displays") || t.endsWith("/dismissals") || t.endsWith("/responses")) {
      return "survey";
    }
    return "referral";
  }

  static String id(Operation op, String variable) {
    if (variable.equals("header:" + WidgetRoutes.PARTICIPANT_TOKEN_HEADER)) {
      return token;
    }
    if (variable.equals("?anonymous_id")) {
      return "v-1";
    }
    if (variable.startsWith("?") || variable.startsWith("header:")) {
      return null;
    }
    return campaigns.get(campaignFor(op));
  }

  static String otherId(Operation op, String variable) {
    return otherCampaigns.get(campaignFor(op));
  }

  static String validBody(Operation op) {
    String unique = UUID.randomUUID().toString();
    String t = op.template();
    if (t.endsWith("/participants")) {
      return "{\"email\": \"" + unique + "@example.com\", \"client_id\": \"c-" + unique + "\"}";
    }
    if (t.endsWith("/displays")) {
      return "{\"interaction_id\": \"i-"
          + unique
          + "\", \"anonymous_id\": \"v-1\", \"url\":"
          + " \"https://a.io\"}";
    }
    if (t.endsWith("/dismissals")) {
      return "{\"user_id\": \"u-9\"}";
    }
    if (t.endsWith("/responses")) {
      return "{\"response_id\": \"r-"
          + unique
          + "\", \"anonymous_id\": \"v-1\", \"answers\":"
          + " {\"score\": 4, \"why\": \"fast\"}, \"completed\": true}";
    }
    return switch (t) {
      case "/v1/track" ->
          "{\"userId\": \"u-1\", \"event\": \"Signed Up\", \"properties\": {\"plan\": \"free\"},"
              + " \"messageId\": \"m-"
              + unique
              + "\"}";
      case "/v1/identify" ->
          "{\"userId\": \"u-1\", \"traits\": {\"email\": \"u1@example.com\", \"plan\": \"free\"}}";
      case "/v1/page" -> "{\"anonymousId\": \"a-1\", \"name\": \"Home\", \"properties\": {}}";
      case "/v1/screen" -> "{\"anonymousId\": \"a-1\", \"name\": \"Home\"}";
      case "/v1/group" -> "{\"userId\": \"u-1\", \"groupId\": \"g-1\", \"traits\": {}}";
      case "/v1/alias" -> "{\"userId\": \"u-2\", \"previousId\": \"a-1\"}";
      case "/v1/batch" ->
          "{\"batch\": [{\"type\": \"track\", \"userId\": \"u-1\", \"event\": \"E\"},"
              + " {\"type\": \"identify\", \"userId\": \"u-1\", \"traits\": {\"plan\": \"x\"}}]}";
      default -> null;
    };
  }

  private static String workspace() {
    String ws = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'fuzz', 'scale')", ws);
    return ws;
  }

  private static String key(String ws) {
    String key = ApiKeys.generate(KeyType.WRITE);
    KeyRows.insertApiKey(jdbc, ws, KeyType.WRITE, "fuzz", key);
    return key;
  }

  private static String campaign(String ws, String type) {
    String settings =
        switch (type) {
          case "referral" ->
              "{\"landing_url\": \"https://shop.example.com/\", \"reward_rules\": [{\"side\":"
                  + " \"referrer\", \"every\": 1, \"reward\": {\"type\": \"custom\"}}]}";
          case "waitlist" -> "{\"spots_per_referral\": 2}";
          case "survey" ->
              "{\"questions\": [{\"id\": \"score\", \"type\": \"nps\", \"text\": \"Recommend?\"},"
                  + " {\"id\": \"why\", \"type\": \"text\", \"text\": \"Why?\"}], \"targeting\":"
                  + " {\"once_per_contact\": false}}";
          default ->
              "{\"source\": {\"event\": \"Signed Up\", \"where\": []}, \"template\":"
                  + " \"{first_name|Someone} signed up\"}";
        };
    String validated =
        CampaignSettings.validate(
                CampaignType.ofWireName(type).orElseThrow(), JSON.readTree(settings))
            .toString();
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings)"
            + " values (?, ?, ?, ?, 'active', ?::jsonb)",
        ws,
        id,
        type,
        "Fuzz " + type,
        validated);
    jdbc.update("insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws, id);
    return id;
  }
}
