package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.Routes.Route;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every 404 for an unknown id names the request field that carried it (SPEC §2: each 4xx names the
 * field at fault): {@code details[0]} is {@code {field: <path variable as in the OpenAPI document>,
 * reason: not_found}}. It once answered {@code details: []} on most Management API routes.
 */
class NotFoundNamesTheFieldTest extends ApiTestSupport {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_]+)}");

  /** One request: {@code route} with its variables replaced by {@code values}, in order. */
  private record Case(
      String method, String route, String body, boolean admin, String field, String path) {

    @Override
    public String toString() {
      return method + " " + path + " (" + route + ")";
    }
  }

  /** Ids that exist in the tenant, so that a nested unknown id is the only thing at fault. */
  private record Known(
      String waitlist, String referral, String survey, String endpoint, String workspace) {}

  private static Case c(String method, String route, String field, String body, String... values) {
    return c(method, route, field, body, false, values);
  }

  private static Case c(
      String method, String route, String field, String body, boolean admin, String... values) {
    Matcher m = VARIABLE.matcher(route);
    StringBuilder path = new StringBuilder();
    int i = 0;
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(values[i++]));
    }
    m.appendTail(path);
    assertThat(i).as(route).isEqualTo(values.length);
    return new Case(method, route, body, admin, field, path.toString());
  }

  private static List<Case> cases(Known k) {
    String cmp = Ids.next(IdPrefix.CAMPAIGN);
    String part = Ids.next(IdPrefix.PARTICIPANT);
    String rwd = Ids.next(IdPrefix.REWARD);
    String we = Ids.next(IdPrefix.WEBHOOK_ENDPOINT);
    String dlv = Ids.next(IdPrefix.WEBHOOK_DELIVERY);
    String contact = Ids.next(IdPrefix.CONTACT);
    String segment = Ids.next(IdPrefix.SEGMENT);
    String event = Ids.next(IdPrefix.EVENT);
    String key = Ids.next(IdPrefix.API_KEY);
    String ws = Ids.next(IdPrefix.WORKSPACE);
    List<Case> cases = new ArrayList<>();
    // Contacts and events
    cases.add(c("GET", "/v1/contacts/{id}", "id", null, contact));
    cases.add(c("PATCH", "/v1/contacts/{id}", "id", "{}", contact));
    cases.add(c("DELETE", "/v1/contacts/{id}", "id", null, contact));
    cases.add(c("GET", "/v1/contacts/{id}/segments", "id", null, contact));
    cases.add(c("GET", "/v1/events/{id}", "id", null, event));
    // Keys of the workspace; operator routes with an admin key
    cases.add(c("GET", "/v1/api-keys/{id}", "id", null, key));
    cases.add(c("POST", "/v1/api-keys/{id}/revoke", "id", null, key));
    cases.add(c("POST", "/v1/api-keys/{id}/roll", "id", null, key));
    cases.add(c("POST", "/v1/admin-keys/{id}/revoke", "id", null, true, key));
    cases.add(c("GET", "/v1/workspaces/{id}", "id", null, true, ws));
    cases.add(c("PATCH", "/v1/workspaces/{id}", "id", "{}", true, ws));
    cases.add(
        c(
            "POST",
            "/v1/workspaces/{id}/api-keys",
            "id",
            "{\"type\": \"secret\", \"scopes\": [\"*\"]}",
            true,
            ws));
    // Segments
    cases.add(c("GET", "/v1/segments/{id}", "id", null, segment));
    cases.add(c("PATCH", "/v1/segments/{id}", "id", "{}", segment));
    cases.add(c("DELETE", "/v1/segments/{id}", "id", null, segment));
    cases.add(c("GET", "/v1/segments/{id}/contacts", "id", null, segment));
    cases.add(c("GET", "/v1/segments/{id}/count", "id", null, segment));
    // Campaigns, and each of their sub-resources under an unknown campaign
    cases.add(c("GET", "/v1/campaigns/{id}", "id", null, cmp));
    cases.add(c("PATCH", "/v1/campaigns/{id}", "id", "{}", cmp));
    cases.add(c("DELETE", "/v1/campaigns/{id}", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/feed", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/leaderboard", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/stats", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/referrals", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/results", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/responses", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/participants", "id", null, cmp));
    cases.add(
        c("POST", "/v1/campaigns/{id}/participants", "id", "{\"email\": \"a@example.com\"}", cmp));
    cases.add(c("POST", "/v1/campaigns/{id}/admit", "id", "{\"count\": 1}", cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/participants/{pid}", "id", null, cmp, part));
    cases.add(c("GET", "/v1/campaigns/{id}/rewards", "id", null, cmp));
    cases.add(c("GET", "/v1/campaigns/{id}/rewards/{rid}", "id", null, cmp, rwd));
    cases.add(
        c("GET", "/v1/campaigns/{id}/results/questions/{qid}/answers", "id", null, cmp, "score"));
    // Participants of an existing waitlist
    cases.add(c("GET", "/v1/campaigns/{id}/participants/{pid}", "pid", null, k.waitlist(), part));
    cases.add(
        c("POST", "/v1/campaigns/{id}/participants/{pid}/admit", "pid", null, k.waitlist(), part));
    cases.add(
        c(
            "POST",
            "/v1/campaigns/{id}/participants/{pid}/verify",
            "pid",
            "{\"token\": \"t\"}",
            k.waitlist(),
            part));
    // Rewards of an existing referral program
    cases.add(c("GET", "/v1/campaigns/{id}/rewards/{rid}", "rid", null, k.referral(), rwd));
    cases.add(
        c("POST", "/v1/campaigns/{id}/rewards/{rid}/approve", "rid", null, k.referral(), rwd));
    cases.add(c("POST", "/v1/campaigns/{id}/rewards/{rid}/reject", "rid", null, k.referral(), rwd));
    cases.add(c("POST", "/v1/campaigns/{id}/rewards/{rid}/fulfil", "rid", null, k.referral(), rwd));
    // A question the survey does not have
    cases.add(
        c(
            "GET",
            "/v1/campaigns/{id}/results/questions/{qid}/answers",
            "qid",
            null,
            k.survey(),
            "nope"));
    // Webhook endpoints and their deliveries
    cases.add(c("GET", "/v1/webhook-endpoints/{id}", "id", null, we));
    cases.add(c("PATCH", "/v1/webhook-endpoints/{id}", "id", "{}", we));
    cases.add(c("DELETE", "/v1/webhook-endpoints/{id}", "id", null, we));
    cases.add(c("POST", "/v1/webhook-endpoints/{id}/rotate-secret", "id", null, we));
    cases.add(c("POST", "/v1/webhook-endpoints/{id}/test", "id", null, we));
    cases.add(c("GET", "/v1/webhook-endpoints/{id}/deliveries", "id", null, we));
    cases.add(
        c(
            "POST",
            "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend",
            "delivery_id",
            null,
            k.endpoint(),
            dlv));
    // An unknown endpoint is what is at fault, whatever the delivery id.
    cases.add(
        c(
            "POST",
            "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend",
            "id",
            null,
            we,
            dlv));
    return cases;
  }

  private String created(Tenant t, String path, String body) {
    Response r = post(path, t.key(), body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  @Test
  void anUnknownIdIsA404NamingThePathVariableThatCarriedIt() {
    Tenant t = newTenant();
    String adminKey = newAdminKey();
    Known known =
        new Known(
            created(t, "/v1/campaigns", "{\"type\": \"waitlist\", \"name\": \"W\"}"),
            created(
                t,
                "/v1/campaigns",
                "{\"type\": \"referral\", \"name\": \"R\", \"settings\": {\"landing_url\":"
                    + " \"https://example.com/r\"}}"),
            created(
                t,
                "/v1/campaigns",
                "{\"type\": \"survey\", \"name\": \"S\", \"settings\": {\"questions\": [{\"id\":"
                    + " \"score\", \"type\": \"nps\", \"text\": \"Recommend us?\"}]}}"),
            created(
                t,
                "/v1/webhook-endpoints",
                "{\"url\": \"https://hooks.example.com/h\", \"events\": [\"contact.created\"]}"),
            t.workspaceId());
    SoftAssertions soft = new SoftAssertions();
    for (Case c : cases(known)) {
      Response r = call(c.method(), c.path(), c.admin() ? adminKey : t.key(), c.body());
      soft.assertThat(r.status()).as("%s: %s", c, r.raw()).isEqualTo(404);
      soft.assertThat(r.errorCode()).as("%s: %s", c, r.raw()).isEqualTo("not_found");
      soft.assertThat(r.body().path("error").path("details").size())
          .as("%s: %s", c, r.raw())
          .isEqualTo(1);
      soft.assertThat(r.firstDetail().path("field").asString())
          .as("%s: %s", c, r.raw())
          .isEqualTo(c.field());
      soft.assertThat(r.firstDetail().path("reason").asString())
          .as("%s: %s", c, r.raw())
          .isEqualTo("not_found");
    }
    soft.assertAll();
  }

  /** A new route with an id in its path gets a row above, or this fails. */
  @Test
  void everyRouteWithAPathVariableHasACase() {
    Set<String> covered = new TreeSet<>();
    for (Case c : cases(new Known("w", "r", "s", "e", "ws"))) {
      covered.add(c.method() + " " + c.route());
    }
    Set<String> routes = new TreeSet<>();
    for (Route route : Routes.of(mapping)) {
      if (route.path().contains("{")) {
        routes.add(route.toString());
      }
    }
    assertThat(covered).containsExactlyInAnyOrderElementsOf(routes);
  }
}
