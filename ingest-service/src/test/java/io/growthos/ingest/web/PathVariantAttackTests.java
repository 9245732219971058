package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.testsupport.RawHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Issue 8, "tests that attack", for the Ingest API: every live {@code /v1} route under every
 * spelling of its path, with every credential that must not pass, over a raw socket so the bytes on
 * the wire keep their encoding and dot segments. The bodies are valid, so only the path or the key
 * can be the reason for a refusal.
 */
class PathVariantAttackTests extends IngestTestBase {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /**
   * The live routes with their path variables filled for {@code ws}: widget routes get a live
   * campaign of it (so the right key on the canonical path really gets through) and, for the
   * participant's own state, a participant token in {@link #extraHeaders}.
   */
  private List<Route> routes(Workspace ws) {
    waitlist = liveCampaign(ws);
    survey = liveSurvey(ws);
    socialProof = liveSocialProof(ws);
    return routes();
  }

  /** Live campaigns of the workspace under attack, one per type a widget route serves. */
  private String waitlist;

  private String survey;

  private String socialProof;

  private final Map<String, String> extraHeaders = new LinkedHashMap<>();

  private String liveCampaign(Workspace ws) {
    String id = io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'waitlist', 'Attack', 'active', '{\"spots_per_referral\": 1}'::jsonb)",
        ws.id(),
        id);
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws.id(), id);
    var joined =
        post(
            "/v1/widgets/campaigns/" + id + "/participants",
            "{\"email\":\"attack-" + uuid() + "@example.com\"}",
            "Authorization",
            ws.bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    extraHeaders.put(
        "GrowthOS-Participant-Token", json(joined).path("participant_token").asString());
    return id;
  }

  private List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String path : info.getPatternValues()) {
                if (path.startsWith("/v1/")) {
                  for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                    routes.add(new Route(m.name(), path));
                  }
                }
              }
            });
    return routes;
  }

  @Test
  void noPathSpellingOrWrongCredentialReachesAHandlerOrAServerError() {
    Workspace ws = newWorkspace();
    Map<String, String> wrongKeys = new LinkedHashMap<>();
    wrongKeys.put("no key", null);
    wrongKeys.put("secret key", "Bearer " + newKey(ws.id(), KeyType.SECRET));
    wrongKeys.put("admin-shaped key", "Bearer " + ApiKeys.generate(KeyType.ADMIN));
    wrongKeys.put("unknown write key", "Bearer " + ApiKeys.generate(KeyType.WRITE));
    wrongKeys.put("malformed basic credentials", "Basic Onxmb28=");
    String revoked = newKey(ws.id(), KeyType.WRITE);
    jdbc.update(
        "update api_keys set status = 'revoked' where key_hash = ?",
        (Object) ApiKeys.hash(revoked));
    wrongKeys.put("revoked write key", "Bearer " + revoked);
    String rolled = newKey(ws.id(), KeyType.WRITE);
    jdbc.update(
        "update api_keys set expires_at = now() - interval '1 second' where key_hash = ?",
        (Object) ApiKeys.hash(rolled));
    wrongKeys.put("rolled write key past its grace period", "Bearer " + rolled);
    wrongKeys.put("write key of another workspace", newWorkspace().bearer());

    List<Route> routes = routes(ws);
    assertThat(routes).hasSizeGreaterThanOrEqualTo(14);
    List<String> failures = new ArrayList<>();
    int requests = 0;
    for (Route route : routes) {
      for (Map.Entry<String, UnaryOperator<String>> variant : RawHttp.PATH_VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(concrete(route.path())) + query(route);
        for (Map.Entry<String, String> credential : wrongKeys.entrySet()) {
          if (credential.getKey().equals("write key of another workspace")
              && !route.path().contains("{")) {
            continue; // a tracking route takes any workspace's key: only ids belong to one
          }
          RawHttp.Answer r =
              send(route.method(), sent, credential.getValue(), bodyFor(route.path()));
          requests++;
          String problem = RawHttp.refusalProblem(r);
          if (problem == null
              && variant.getKey().equals("as-is")
              && credential.getKey().equals("write key of another workspace")
              && r.status() != 404) {
            problem = "another workspace's campaign is not 404 like an unknown one";
          }
          if (problem != null) {
            failures.add(
                route
                    + " as "
                    + sent
                    + " ("
                    + variant.getKey()
                    + ", "
                    + credential.getKey()
                    + "): "
                    + problem
                    + " -> "
                    + r.status()
                    + " "
                    + r.body());
          }
        }
      }
    }
    System.out.println("ingest PathVariantAttackTests: " + requests + " requests");
    assertThat(failures).as("%d requests", requests).isEmpty();
    assertThat(events(ws)).isZero();
  }

  @Test
  void theRightKeyReachesOnlyTheCanonicalSpelling() {
    Workspace ws = newWorkspace();
    List<String> failures = new ArrayList<>();
    for (Route route : routes(ws)) {
      for (Map.Entry<String, UnaryOperator<String>> variant : RawHttp.PATH_VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(concrete(route.path())) + query(route);
        RawHttp.Answer r = send(route.method(), sent, ws.bearer(), bodyFor(route.path()));
        boolean canonical = variant.getKey().equals("as-is");
        boolean ok =
            canonical
                ? r.status() >= 200 && r.status() < 300
                : r.status() >= 400 && r.status() < 500 && RawHttp.envelopeProblem(r) == null;
        if (!ok) {
          failures.add(route + " as " + sent + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  /** A live survey campaign of {@code ws}: what a widget route's {id} is filled with. */
  private String liveSurvey(Workspace ws) {
    String id = io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'survey', 's', 'active', ?::jsonb)",
        ws.id(),
        id,
        "{\"questions\": [{\"id\": \"q\", \"type\": \"nps\", \"text\": \"t\", \"logic\": []}],"
            + " \"targeting\": {}}");
    return id;
  }

  /** A live social-proof campaign of {@code ws}, with its settings as the API stores them. */
  private String liveSocialProof(Workspace ws) {
    String id = io.growthos.model.ids.Ids.next(io.growthos.model.ids.IdPrefix.CAMPAIGN);
    String settings =
        io.growthos.core.campaigns.CampaignSettings.validate(
                io.growthos.core.campaigns.CampaignType.SOCIAL_PROOF,
                JSON.readTree(
                    "{\"source\": {\"event\": \"Signed Up\"},"
                        + " \"template\": \"{first_name} signed up {time_ago}\"}"))
            .toString();
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'social_proof', 'p', 'active', ?::jsonb)",
        ws.id(),
        id,
        settings);
    return id;
  }

  /** The route's path with {id} filled by a live campaign of the type the route serves. */
  private String concrete(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    String campaign =
        switch (last) {
          case "displays", "dismissals", "responses" -> survey;
          case "feed" -> socialProof;
          default -> waitlist;
        };
    return path.replace("{id}", campaign);
  }

  /** The query a GET route needs to be a valid call (after the path, whatever its spelling). */
  private static String query(Route route) {
    return route.path().equals("/v1/widgets/surveys") ? "?anonymous_id=a1" : "";
  }

  /** A valid call for the route, so a 2xx would mean the request got through. */
  private static String bodyFor(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    String track = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Attack\"}";
    if (path.startsWith("/v1/widgets/") && last.equals("participants")) {
      // A fresh e-mail each time: a second join of the same one would be 409.
      return "{\"email\":\"p-" + uuid() + "@example.com\"}";
    }
    return switch (last) {
      case "displays", "dismissals" -> "{\"anonymous_id\":\"a1\"}";
      case "responses" ->
          "{\"response_id\":\"r-attack\",\"anonymous_id\":\"a1\",\"answers\":{\"q\":9}}";
      case "identify", "i" -> "{\"userId\":\"u1\",\"traits\":{\"plan\":\"x\"}}";
      case "page", "p" -> "{\"userId\":\"u1\",\"name\":\"Home\"}";
      case "screen", "s" -> "{\"userId\":\"u1\",\"name\":\"Home\"}";
      case "group", "g" -> "{\"userId\":\"u1\",\"groupId\":\"g1\"}";
      case "alias", "a" -> "{\"userId\":\"u1\",\"previousId\":\"anon-1\"}";
      case "batch", "b" -> "{\"batch\":[" + track + "]}";
      default -> "{\"userId\":\"u1\",\"event\":\"Attack\"}";
    };
  }

  private RawHttp.Answer send(String method, String path, String authorization, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Authorization", authorization);
    headers.putAll(extraHeaders);
    return RawHttp.send(port, method, path, headers, body);
  }
}
