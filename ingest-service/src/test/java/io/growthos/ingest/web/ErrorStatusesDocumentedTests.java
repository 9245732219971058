package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every documented route lists exactly the error statuses it can answer: the table below says why
 * each is there (and why the others are not), and the errors provoked on each route over HTTP are
 * among those its document lists, each with the envelope.
 */
class ErrorStatusesDocumentedTests extends IngestTestBase {

  /** Every event route: a bad body, a key, the body's size and encoding, limits, failures. */
  private static final Set<String> EVENT_ROUTE =
      Set.of("400", "401", "413", "415", "429", "500", "503");

  private static final List<String> EVENT_ROUTES =
      List.of(
          "/v1/track",
          "/v1/t",
          "/v1/identify",
          "/v1/i",
          "/v1/page",
          "/v1/p",
          "/v1/screen",
          "/v1/s",
          "/v1/group",
          "/v1/g",
          "/v1/alias",
          "/v1/a",
          "/v1/batch",
          "/v1/b");

  /**
   * The widget routes: every one 400 (unknown query parameters, bodies), 401, 403
   * origin_not_allowed, 429, 500, 503; one with a campaign id 404; one that reads a body 413 and
   * 415; a join 409 (e-mail already joined) and 422 (client_id reused); a survey display, dismissal
   * or response 409 (an id of another visitor).
   */
  private static final Map<String, Set<String>> WIDGET_ROUTES =
      Map.of(
          "GET /v1/widgets/campaigns/{id}",
          Set.of("400", "401", "403", "404", "429", "500", "503"),
          "POST /v1/widgets/campaigns/{id}/participants",
          Set.of("400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"),
          "GET /v1/widgets/campaigns/{id}/participants/me",
          Set.of("400", "401", "403", "404", "429", "500", "503"),
          "GET /v1/widgets/campaigns/{id}/feed",
          Set.of("400", "401", "403", "404", "429", "500", "503"),
          "GET /v1/widgets/surveys",
          Set.of("400", "401", "403", "429", "500", "503"),
          "POST /v1/widgets/campaigns/{id}/displays",
          Set.of("400", "401", "403", "404", "409", "413", "415", "429", "500", "503"),
          "POST /v1/widgets/campaigns/{id}/dismissals",
          Set.of("400", "401", "403", "404", "409", "413", "415", "429", "500", "503"),
          "POST /v1/widgets/campaigns/{id}/responses",
          Set.of("400", "401", "403", "404", "409", "413", "415", "429", "500", "503"));

  @Test
  void everyRouteListsExactlyTheErrorsItCanAnswer() {
    JsonNode doc = apiDocs();
    Map<String, Set<String>> expected = new TreeMap<>(WIDGET_ROUTES);
    EVENT_ROUTES.forEach(r -> expected.put("POST " + r, EVENT_ROUTE));
    Map<String, Set<String>> documented = new TreeMap<>();
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          Set<String> errors = new TreeSet<>();
                          op.getValue()
                              .path("responses")
                              .properties()
                              .forEach(
                                  r -> {
                                    if (r.getKey().compareTo("400") >= 0) {
                                      errors.add(r.getKey());
                                      assertThat(
                                              r.getValue()
                                                  .at("/content/application~1json/schema/$ref")
                                                  .asString(""))
                                          .as("%s %s %s", op.getKey(), path.getKey(), r.getKey())
                                          .isEqualTo("#/components/schemas/ErrorEnvelope");
                                    }
                                  });
                          documented.put(op.getKey().toUpperCase() + " " + path.getKey(), errors);
                        }));
    documented.remove("POST /v1/noop");
    documented.remove("GET /v1/noop");
    Map<String, Set<String>> wanted = new TreeMap<>();
    expected.forEach((route, statuses) -> wanted.put(route, new TreeSet<>(statuses)));
    assertThat(documented).isEqualTo(wanted);
  }

  @Test
  void errorsProvokedOnEachRouteAreAmongThoseItDocuments() {
    JsonNode doc = apiDocs();
    Workspace ws = newWorkspace();
    jdbc.update(
        "update workspaces set allowed_origins = '{https://shop.example.com}'::text[] where id = ?",
        ws.id());
    String waitlist = campaign(ws, "waitlist", "{}");
    String feed =
        campaign(
            ws,
            "social_proof",
            "{\"source\": {\"event\": \"Signed Up\"}, \"template\": \"{first_name} signed up\"}");
    String survey =
        campaign(
            ws, "survey", "{\"questions\": [{\"id\": \"q\", \"type\": \"nps\", \"text\": \"?\"}]}");
    String unknown = "cmp_" + "0".repeat(23);
    List<String> undocumented = new ArrayList<>();
    List<String[]> routes =
        List.of(
            new String[] {"GET", "/v1/widgets/campaigns/{id}", waitlist},
            new String[] {"POST", "/v1/widgets/campaigns/{id}/participants", waitlist},
            new String[] {"GET", "/v1/widgets/campaigns/{id}/participants/me", waitlist},
            new String[] {"GET", "/v1/widgets/campaigns/{id}/feed", feed},
            new String[] {"GET", "/v1/widgets/surveys", null},
            new String[] {"POST", "/v1/widgets/campaigns/{id}/displays", survey},
            new String[] {"POST", "/v1/widgets/campaigns/{id}/dismissals", survey},
            new String[] {"POST", "/v1/widgets/campaigns/{id}/responses", survey});
    for (String[] route : routes) {
      String method = route[0];
      String template = route[1];
      String path = route[2] == null ? template : template.replace("{id}", route[2]);
      String query = template.endsWith("/surveys") ? "?anonymous_id=a" : "";
      String body =
          template.endsWith("/participants")
              ? "{\"email\": \"x@example.com\"}"
              : "{\"response_id\": \"r\", \"anonymous_id\": \"a\"}";
      if (template.endsWith("/displays") || template.endsWith("/dismissals")) {
        body = "{\"anonymous_id\": \"a\"}";
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      answers.add(call(method, path + query, body, null));
      answers.add(call(method, path + query, body, ws.bearer(), "Origin", "https://evil.example"));
      answers.add(
          call(method, path + (query.isEmpty() ? "?zzz=1" : query + "&zzz=1"), body, ws.bearer()));
      if (route[2] != null) {
        answers.add(call(method, template.replace("{id}", unknown), body, ws.bearer()));
      }
      if (method.equals("POST")) {
        answers.add(call(method, path, body, ws.bearer(), "Content-Type", "text/plain"));
        answers.add(call(method, path, body, ws.bearer(), "Content-Encoding", "br"));
        answers.add(call(method, path, "{\"x\": \"" + "a".repeat(600_000) + "\"}", ws.bearer()));
      }
      Set<Integer> seen = new TreeSet<>();
      for (HttpResponse<String> r : answers) {
        seen.add(r.statusCode());
        check(doc, method, template, r, undocumented);
      }
      List<Integer> provoked = new ArrayList<>(List.of(400, 401, 403));
      if (route[2] != null) {
        provoked.add(404);
      }
      if (method.equals("POST")) {
        provoked.addAll(List.of(413, 415));
      }
      assertThat(seen).as("%s %s answered", method, template).containsAll(provoked);
    }
    for (String route : EVENT_ROUTES) {
      List<HttpResponse<String>> answers = new ArrayList<>();
      answers.add(call("POST", route, "{\"userId\": ", ws.basic()));
      answers.add(call("POST", route, "{}", null));
      answers.add(call("POST", route, "{}", ws.basic(), "Content-Encoding", "br"));
      answers.add(call("POST", route, "{\"x\": \"" + "a".repeat(600_000) + "\"}", ws.basic()));
      Set<Integer> seen = new TreeSet<>();
      for (HttpResponse<String> r : answers) {
        seen.add(r.statusCode());
        check(doc, "POST", route, r, undocumented);
      }
      assertThat(seen).as(route).contains(400, 401, 413, 415);
    }
    assertThat(undocumented).isEmpty();
  }

  private static void check(
      JsonNode doc, String method, String template, HttpResponse<String> r, List<String> out) {
    String status = Integer.toString(r.statusCode());
    JsonNode response =
        doc.path("paths").path(template).path(method.toLowerCase()).path("responses").path(status);
    if (response.isMissingNode()) {
      out.add(method + " " + template + " answered " + status + " (" + r.body() + ")");
    } else if (r.statusCode() >= 400) {
      assertThat(json(r).at("/error/code").asString()).as(r.body()).isNotBlank();
    }
  }

  private HttpResponse<String> call(
      String method, String path, String body, String authorization, String... headers) {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    boolean contentType = false;
    for (int i = 0; i < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
      contentType |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (method.equals("GET")) {
      req.GET();
    } else {
      if (!contentType) {
        req.header("Content-Type", "application/json");
      }
      req.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return send(req.build());
  }

  private String campaign(Workspace ws, String type, String settings) {
    JsonNode validated =
        CampaignSettings.validate(
            CampaignType.ofWireName(type).orElseThrow(), JSON.readTree(settings));
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings)"
            + " values (?, ?, ?, 'c', 'active', ?::jsonb)",
        ws.id(),
        id,
        type,
        validated.toString());
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws.id(), id);
    return id;
  }

  private JsonNode apiDocs() {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build());
    assertThat(r.statusCode()).isEqualTo(200);
    return json(r);
  }
}
