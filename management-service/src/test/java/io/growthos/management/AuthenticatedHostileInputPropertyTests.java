package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input WITH valid credentials, to every operation of the live OpenAPI document ({@code
 * /v3/api-docs}): a secret key of scope {@code *} (an admin key for the operator routes), real ids
 * in the path (one resource of each kind made first, in this workspace and in another), and each
 * request damaged one way ({@link HostileRequests.Kind}). Never a 5xx; every 4xx is the error
 * envelope with a request id; a 400 for a damaged field names it; a success only where the request
 * kept the documented contract, and its body matches the documented schema; a refused change to a
 * resource leaves it as it was. Every operation meets every kind of damage once (exhaustive), then
 * a fixed-seed sample draws more.
 */
class AuthenticatedHostileInputPropertyTests extends HostileInputProperties {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ConfigurableApplicationContext app;
  private static String base;
  private static JdbcTemplate jdbc;
  private static HostileRequests hostile;
  private static List<Operation> operations;
  private static String secret;
  private static String otherSecret;
  private static String admin;
  private static String workspaceId;
  private static String otherWorkspaceId;
  private static final Map<String, String> fixtures = new HashMap<>();
  private static final Map<String, String> otherFixtures = new HashMap<>();
  private static final Set<String> stale = new HashSet<>();
  private static final Map<String, Boolean> baselines = new HashMap<>();

  @BeforeContainer
  static void start() {
    TestPostgres pg = TestPostgres.get();
    app =
        new SpringApplicationBuilder(io.growthos.management.ManagementApplication.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + pg.jdbcUrl(),
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--growthos.ratelimit.enabled=false",
                "--growthos.webhooks.allow-private-urls=true");
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    jdbc = app.getBean(JdbcTemplate.class);
    workspaceId = workspace();
    otherWorkspaceId = workspace();
    secret = key(workspaceId);
    otherSecret = key(otherWorkspaceId);
    admin = ApiKeys.generate(KeyType.ADMIN);
    KeyRows.insertAdminKey(jdbc, "fuzz", admin);
    Answer docs = HostileRequests.send(base, "GET", "/v3/api-docs", null, null, null);
    assertThat(docs.status()).isEqualTo(200);
    JsonNode document = JSON.readTree(docs.body());
    hostile = new HostileRequests(document, false);
    operations = hostile.operations("/v1/");
    assertThat(operations).hasSizeGreaterThan(50);
    makeOtherWorkspaceFixtures();
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
    String key = "Bearer " + (adminRoute(op) ? admin : secret);
    boolean validBaseline = baseline(op, key);
    Request r =
        hostile.build(
            op,
            c.kind(),
            random,
            AuthenticatedHostileInputPropertyTests::id,
            AuthenticatedHostileInputPropertyTests::otherId,
            validBody(op));
    String before = stateOf(op, key);
    Answer a = HostileRequests.send(base, r, key);
    afterward(op, r, a);
    List<String> problems = new ArrayList<>(hostile.verdict(r, a, validBaseline));
    if (before != null && a.status() >= 400) {
      String after = stateOf(op, key);
      if (!before.equals(after)) {
        problems.add("the refused request changed the resource: " + before + " -> " + after);
      }
    }
    report(r, a, problems);
  }

  /**
   * Every top-level property of every JSON request body, sent as {@code null} in an otherwise valid
   * body: where the document does not type it nullable, a 400 {@code validation_error} naming it,
   * and the resource unchanged (read again); where it does, no 400 about it. Before, a null on an
   * optional property was read as absent: {@code PATCH /v1/segments/{id} {"name": null}} answered
   * 200 and changed nothing.
   */
  @Example
  void aNullIsRefusedNamingThePropertyWhereverTheDocumentDoesNotTypeItNullable() {
    List<String> problems = new ArrayList<>();
    int refused = 0;
    int taken = 0;
    for (Operation op : operations) {
      if (op.bodySchema() == null) {
        continue;
      }
      String key = "Bearer " + (adminRoute(op) ? admin : secret);
      for (Request r :
          hostile.nullEachProperty(
              op,
              AuthenticatedHostileInputPropertyTests::id,
              AuthenticatedHostileInputPropertyTests::otherId,
              validBody(op))) {
        String before = stateOf(op, key);
        Answer a = HostileRequests.send(base, r, key);
        afterward(op, r, a);
        JsonNode error = a.json() == null ? null : a.json().path("error");
        boolean names =
            error != null
                && error.path("code").asString().equals("validation_error")
                && error
                    .path("details")
                    .valueStream()
                    .anyMatch(d -> d.path("field").asString().equals(r.field()));
        if (r.refusalDue()) {
          refused++;
          if (a.status() != 400 || !names) {
            problems.add(r + " answered " + a.status() + " " + a.body());
          }
          String after = stateOf(op, key);
          if (before != null && !before.equals(after)) {
            problems.add(r + " changed the resource: " + before + " -> " + after);
          }
        } else {
          taken++;
          if (a.status() == 400 && names || a.status() >= 500) {
            problems.add(r + " (nullable) answered " + a.status() + " " + a.body());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(refused).isGreaterThan(50);
    assertThat(taken).isGreaterThanOrEqualTo(7);
  }

  /** Whether the undamaged request is accepted (sent once per operation). */
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
            (o, n) -> id(o, n),
            (o, n) -> otherId(o, n),
            validBody(op));
    Answer a = HostileRequests.send(base, r, key);
    afterward(op, r, a);
    report(r, a, hostile.verdict(r, a, false));
    boolean ok = a.status() >= 200 && a.status() < 300;
    baselines.put(op.toString(), ok);
    return ok;
  }

  /** The resource a change would touch, read before and after a refusal; null when none. */
  private static String stateOf(Operation op, String key) {
    if (op.method().equals("GET") || !op.template().matches("/v1/[a-z-]+/\\{id}")) {
      return null;
    }
    String path = op.template().replace("{id}", id(op, "id"));
    Answer a = HostileRequests.send(base, "GET", path, null, null, key);
    return a.status() + " " + a.body().replaceAll("\"request_id\":\"[^\"]*\"", "");
  }

  /** A DELETE or revoke that succeeded used up its resource: the next one is made anew. */
  private static void afterward(Operation op, Request r, Answer a) {
    if (a.status() >= 200
        && a.status() < 300
        && (op.method().equals("DELETE") || op.template().endsWith("/revoke"))) {
      stale.add(
          kindOf(
              op,
              op.template().endsWith("/revoke") && op.template().contains("{rid}") ? "rid" : "id"));
    }
    if (op.template().contains("{rid}") && a.status() < 300 && !op.method().equals("GET")) {
      stale.add("rid");
    }
  }

  private static boolean adminRoute(Operation op) {
    return op.template().startsWith("/v1/workspaces") || op.template().startsWith("/v1/admin-keys");
  }

  // --- ids ------------------------------------------------------------------------------------

  /** The kind of resource a path variable names, e.g. contact, campaign:survey, participant. */
  private static String kindOf(Operation op, String variable) {
    String t = op.template();
    return switch (variable) {
      case "pid" ->
          t.contains("/verify") || t.contains("/admit")
              ? "participant:waitlist"
              : "participant:referral";
      case "rid" -> "reward";
      case "delivery_id" -> "delivery";
      case "qid" -> "question";
      default -> {
        String resource = t.substring(4, t.indexOf('/', 4));
        if (!resource.equals("campaigns")) {
          yield resource;
        }
        if (t.contains("/admit") || t.contains("/verify")) {
          yield "campaigns:waitlist";
        }
        if (t.contains("/feed")) {
          yield "campaigns:social_proof";
        }
        if (t.contains("/results") || t.contains("/responses")) {
          yield "campaigns:survey";
        }
        yield "campaigns:referral";
      }
    };
  }

  static String id(Operation op, String variable) {
    if (variable.startsWith("?") || variable.startsWith("header:")) {
      return null;
    }
    return fixture(kindOf(op, variable));
  }

  static String otherId(Operation op, String variable) {
    if (variable.equals("qid")) {
      return null;
    }
    return otherFixtures.get(kindOf(op, variable).replaceAll(":.*", ""));
  }

  private static String make(String kind) {
    return switch (kind) {
      case "contacts" -> create(secret, "/v1/contacts", body("/v1/contacts"));
      case "segments" -> create(secret, "/v1/segments", SEGMENT);
      case "campaigns:referral" -> create(secret, "/v1/campaigns", REFERRAL);
      case "campaigns:waitlist" -> create(secret, "/v1/campaigns", WAITLIST);
      case "campaigns:survey" -> create(secret, "/v1/campaigns", SURVEY);
      case "campaigns:social_proof" ->
          create(
              secret,
              "/v1/campaigns",
              "{\"type\": \"social_proof\", \"name\": \"Joins\", \"settings\": {\"source\":"
                  + " {\"campaign\": \""
                  + fixture("campaigns:waitlist")
                  + "\", \"activity\": \"joined\"}, \"template\": \"{first_name} joined\"}}");
      case "participant:referral" -> participant(fixture("campaigns:referral"));
      case "participant:waitlist" -> participant(fixture("campaigns:waitlist"));
      case "reward" -> {
        String campaign = fixture("campaigns:referral");
        String code =
            call(
                    secret,
                    "GET",
                    "/v1/campaigns/"
                        + campaign
                        + "/participants/"
                        + fixture("participant:referral"),
                    null)
                .path("referral_code")
                .asString();
        call(
            secret,
            "POST",
            "/v1/campaigns/" + campaign + "/participants",
            "{\"email\": \""
                + UUID.randomUUID()
                + "@example.com\", \"referral_code\": \""
                + code
                + "\"}");
        JsonNode rewards =
            call(secret, "GET", "/v1/campaigns/" + campaign + "/rewards?state=pending", null);
        yield rewards.path("data").path(0).path("id").asString("rwd_none");
      }
      case "delivery" ->
          call(
                  secret,
                  "POST",
                  "/v1/webhook-endpoints/" + fixture("webhook-endpoints") + "/test",
                  null)
              .path("id")
              .asString();
      case "question" -> "why";
      case "webhook-endpoints" -> create(secret, "/v1/webhook-endpoints", WEBHOOK);
      case "api-keys" -> create(secret, "/v1/api-keys", API_KEY);
      case "events" -> insertEvent(workspaceId);
      case "workspaces" ->
          call(admin, "POST", "/v1/workspaces", "{\"name\": \"Acme\", \"plan\": \"free\"}")
              .path("workspace")
              .path("id")
              .asString();
      case "admin-keys" -> create(admin, "/v1/admin-keys", "{\"name\": \"ops\"}");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The live resource of {@code kind}, made anew (with what hangs on it) when used up. */
  private static String fixture(String kind) {
    if (stale.remove(kind) || !fixtures.containsKey(kind)) {
      fixtures.put(kind, make(kind));
      String type = kind.contains(":") ? kind.substring(kind.indexOf(':') + 1) : "";
      switch (kind.replaceAll(":.*", "")) {
        case "campaigns" -> {
          fixtures.remove("participant:" + type);
          fixtures.remove("reward");
          if (type.equals("waitlist")) {
            fixtures.remove("campaigns:social_proof");
          }
        }
        case "participant" -> fixtures.remove("reward");
        case "webhook-endpoints" -> fixtures.remove("delivery");
        default -> {}
      }
    }
    return fixtures.get(kind);
  }

  private static void makeOtherWorkspaceFixtures() {
    otherFixtures.put("contacts", create(otherSecret, "/v1/contacts", "{}"));
    otherFixtures.put("segments", create(otherSecret, "/v1/segments", SEGMENT));
    String campaign = create(otherSecret, "/v1/campaigns", REFERRAL);
    otherFixtures.put("campaigns", campaign);
    otherFixtures.put(
        "participant",
        create(
            otherSecret,
            "/v1/campaigns/" + campaign + "/participants",
            "{\"email\":" + " \"other@example.com\"}"));
    String hook = create(otherSecret, "/v1/webhook-endpoints", WEBHOOK);
    otherFixtures.put("webhook-endpoints", hook);
    otherFixtures.put(
        "delivery",
        call(otherSecret, "POST", "/v1/webhook-endpoints/" + hook + "/test", null)
            .path("id")
            .asString());
    otherFixtures.put("api-keys", create(otherSecret, "/v1/api-keys", API_KEY));
    otherFixtures.put("events", insertEvent(otherWorkspaceId));
  }

  private static String participant(String campaign) {
    return create(
        secret,
        "/v1/campaigns/" + campaign + "/participants",
        "{\"email\": \"" + UUID.randomUUID() + "@example.com\"}");
  }

  private static String create(String key, String path, String body) {
    return call(key, "POST", path, body).path("id").asString();
  }

  private static JsonNode call(String key, String method, String path, String body) {
    Answer a =
        HostileRequests.send(
            base, method, path, body == null ? null : "application/json", body, "Bearer " + key);
    assertThat(a.status()).as("%s %s: %s", method, path, a.body()).isBetween(200, 299);
    return a.json();
  }

  // --- valid bodies ---------------------------------------------------------------------------

  private static final String SEGMENT =
      "{\"name\": \"free\", \"filter\": {\"field\": \"traits.plan\", \"op\": \"eq\", \"value\":"
          + " \"free\"}}";
  private static final String REFERRAL =
      "{\"type\": \"referral\", \"name\": \"Refer\", \"status\": \"active\", \"settings\":"
          + " {\"landing_url\": \"https://example.com/r\", \"approval\": \"manual\","
          + " \"reward_rules\": [{\"side\": \"referrer\", \"every\": 1, \"reward\": {\"type\":"
          + " \"cash\", \"amount\": 25, \"currency\": \"EUR\"}}]}}";
  private static final String WAITLIST =
      "{\"type\": \"waitlist\", \"name\": \"Beta\", \"status\": \"active\", \"settings\":"
          + " {\"require_verification\": true}}";
  private static final String SURVEY =
      "{\"type\": \"survey\", \"name\": \"NPS\", \"audience\": {\"field\": \"email\", \"op\":"
          + " \"exists\"}, \"settings\": {\"questions\": [{\"id\": \"score\", \"type\": \"nps\","
          + " \"text\": \"Recommend us?\", \"required\": true}, {\"id\": \"why\", \"type\":"
          + " \"text\", \"text\": \"Why?\"}]}}";
  private static final String WEBHOOK =
      "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"reward.created\"]}";
  private static final String API_KEY =
      "{\"type\": \"secret\", \"name\": \"ci\", \"scopes\": [\"contacts:read\"]}";

  /** A body the operation accepts, fresh each time where uniqueness matters. */
  static String validBody(Operation op) {
    return op == null ? null : body(op.method() + " " + op.template());
  }

  private static String body(String which) {
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    String unique = UUID.randomUUID().toString();
    return switch (which) {
      case "/v1/contacts", "POST /v1/contacts" ->
          "{\"email\": \""
              + unique
              + "@example.com\", \"user_id\": \"u-"
              + unique
              + "\", \"traits\": {\"plan\": \"free\", \"seats\": 3}}";
      case "PATCH /v1/contacts/{id}" ->
          "{\"email\": \"" + unique + "@example.com\", \"traits\": {\"plan\": \"pro\"}}";
      case "POST /v1/segments" -> SEGMENT;
      case "PATCH /v1/segments/{id}" ->
          "{\"description\": \"Free plan\", \"filter\": {\"field\": \"traits.seats\", \"op\":"
              + " \"gt\", \"value\": 2}}";
      case "POST /v1/segments/preview" ->
          "{\"filter\": {\"field\": \"email\", \"op\": \"exists\"}}";
      case "POST /v1/campaigns" -> REFERRAL;
      case "PATCH /v1/campaigns/{id}" -> "{\"name\": \"Renamed\"}";
      case "POST /v1/campaigns/{id}/participants" ->
          "{\"email\": \""
              + unique
              + "@example.com\", \"vanity_code\": \"v"
              + unique.substring(0, 8)
              + "\"}";
      case "POST /v1/campaigns/{id}/participants/{pid}/verify" -> "{\"token\": \"tok\"}";
      case "POST /v1/campaigns/{id}/admit" -> "{\"count\": 1}";
      case "POST /v1/campaigns/{id}/rewards/{rid}/reject" -> "{\"reason\": \"duplicate\"}";
      case "POST /v1/webhook-endpoints" -> WEBHOOK;
      case "PATCH /v1/webhook-endpoints/{id}" ->
          "{\"description\": \"CRM\", \"events\": [\"reward.created\", \"contact.deleted\"]}";
      case "POST /v1/api-keys" -> API_KEY;
      case "POST /v1/api-keys/{id}/roll" -> "{\"grace_period_seconds\": 60}";
      case "POST /v1/analytics/query" ->
          "{\"kind\": \"trends\", \"timezone\": \"UTC\", \"from\": \""
              + today.minus(Duration.ofDays(7))
              + "\", \"to\": \""
              + today.plus(Duration.ofDays(1))
              + "\", \"interval\": \"day\", \"series\": [{\"event\": \"Signed Up\"}]}";
      case "PATCH /v1/settings" -> "{\"timezone\": \"Europe/Paris\"}";
      case "POST /v1/workspaces" -> "{\"name\": \"Acme\", \"plan\": \"free\"}";
      case "PATCH /v1/workspaces/{id}" -> "{\"name\": \"Acme 2\", \"plan\": \"growth\"}";
      case "POST /v1/admin-keys" -> "{\"name\": \"ops\"}";
      default -> null;
    };
  }

  // --- setup ----------------------------------------------------------------------------------

  private static String workspace() {
    String ws = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'fuzz', 'scale')", ws);
    return ws;
  }

  private static String key(String ws) {
    String key = ApiKeys.generate(KeyType.SECRET);
    KeyRows.insertApiKey(jdbc, ws, KeyType.SECRET, "fuzz", key, "*");
    return key;
  }

  private static String insertEvent(String ws) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, user_id, properties,"
            + " context, timestamp, received_at) values (?, ?, ?, 'track', 'Signed Up', 'u1',"
            + " '{\"n\": 1}'::jsonb, '{}'::jsonb, now(), now())",
        ws,
        id,
        "msg-" + id);
    return id;
  }
}
