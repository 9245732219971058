package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.Routes;
import io.growthos.management.Routes.Route;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.testsupport.RawHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Issue 8, "tests that attack": every live {@code /v1} route, under every spelling of its path a
 * filter or a proxy might read differently, with every credential that must not pass. Requests go
 * over a raw socket so the bytes on the wire keep their encoding and dot segments.
 */
class PathVariantAttackTests extends ApiTestSupport {

  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  /** The id prefix of the collection a path variable follows. */
  private static final Map<String, IdPrefix> PREFIX_OF =
      Map.ofEntries(
          Map.entry("contacts", IdPrefix.CONTACT),
          Map.entry("segments", IdPrefix.SEGMENT),
          Map.entry("campaigns", IdPrefix.CAMPAIGN),
          Map.entry("participants", IdPrefix.PARTICIPANT),
          Map.entry("api-keys", IdPrefix.API_KEY),
          Map.entry("admin-keys", IdPrefix.API_KEY),
          Map.entry("webhook-endpoints", IdPrefix.WEBHOOK_ENDPOINT),
          Map.entry("deliveries", IdPrefix.WEBHOOK_DELIVERY),
          Map.entry("workspaces", IdPrefix.WORKSPACE),
          Map.entry("events", IdPrefix.EVENT));

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void noPathSpellingOrWrongCredentialReachesAHandlerOrAServerError() {
    Tenant owner = newTenant();
    Tenant other = newTenant();
    String ownersContact = insertContact(owner.workspaceId(), "attack-target", "{}");
    String writeKey = newWriteKey(owner.workspaceId());
    String adminKey = newAdminKey();

    List<String> failures = new ArrayList<>();
    int requests = 0;
    for (Route route : Routes.of(mapping)) {
      String path = substitute(route.path(), ownersContact);
      boolean hasId = !path.equals(route.path());

      Map<String, String> wrongKeys = new LinkedHashMap<>();
      wrongKeys.put("no key", null);
      wrongKeys.put("write key", writeKey);
      if (route.adminOnly()) {
        wrongKeys.put("secret key with *", owner.key());
      } else {
        wrongKeys.put("admin key", adminKey);
        wrongKeys.put(
            "key without the scope", newSecretKey(owner.workspaceId(), otherScope(route)));
        if (hasId) {
          wrongKeys.put("another workspace's key", other.key());
        }
      }

      for (Map.Entry<String, UnaryOperator<String>> variant : RawHttp.PATH_VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(path);
        for (Map.Entry<String, String> credential : wrongKeys.entrySet()) {
          RawHttp.Answer r = send(route.method(), sent, credential.getValue(), route.method());
          requests++;
          String label =
              route + " as " + sent + " (" + variant.getKey() + ", " + credential.getKey() + ")";
          String problem = RawHttp.refusalProblem(r);
          if (problem != null) {
            failures.add(label + ": " + problem + " -> " + r.status() + " " + r.body());
          }
        }
      }
    }
    System.out.println("PathVariantAttackTests: " + requests + " requests");
    assertThat(requests).isGreaterThan(500);
    assertThat(failures).as("%d requests", requests).isEmpty();
  }

  @Test
  void theRightKeyReachesOnlyTheCanonicalSpelling() {
    Tenant owner = newTenant();
    String ownersContact = insertContact(owner.workspaceId(), "own", "{}");
    List<String> failures = new ArrayList<>();
    int reached = 0;
    for (Route route : Routes.of(mapping)) {
      if (!route.method().equals("GET") || route.adminOnly()) {
        continue;
      }
      String path = substitute(route.path(), ownersContact);
      // The control: the canonical spelling with the right key is answered by the handler.
      RawHttp.Answer canonical = send("GET", path, owner.key(), "GET");
      if (canonical.status() >= 500) {
        failures.add(route + " canonical -> " + canonical.status() + " " + canonical.body());
      }
      if (canonical.status() == 200) {
        reached++;
      }
      for (Map.Entry<String, UnaryOperator<String>> variant : RawHttp.PATH_VARIANTS.entrySet()) {
        if (variant.getKey().equals("as-is")) {
          continue;
        }
        String sent = variant.getValue().apply(path);
        RawHttp.Answer r = send("GET", sent, owner.key(), "GET");
        if (r.status() < 400 || r.status() >= 500 || RawHttp.envelopeProblem(r) != null) {
          failures.add(route + " as " + sent + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(reached).as("GET routes the owner's key reaches").isGreaterThan(5);
  }

  /** A scope the route does not need (so a key holding only it must be refused). */
  private static String otherScope(Route route) {
    String resource = route.resource();
    return "webhooks".equals(resource) || "webhook-endpoints".equals(resource)
        ? "contacts:read"
        : "webhooks:read";
  }

  /**
   * Fills each path variable with an id of the collection it follows (a real contact for contacts).
   */
  private static String substitute(String path, String contactId) {
    Matcher m = VARIABLE.matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String before = path.substring(0, m.start());
      String collection = before.substring(before.lastIndexOf('/', before.length() - 2) + 1);
      collection =
          collection.endsWith("/") ? collection.substring(0, collection.length() - 1) : collection;
      IdPrefix prefix = PREFIX_OF.get(collection);
      String id =
          prefix == IdPrefix.CONTACT
              ? contactId
              : prefix == null ? "x_" + m.group(1) : Ids.next(prefix);
      m.appendReplacement(out, Matcher.quoteReplacement(id));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Sends the request line byte for byte; writes send {@code {}} as a JSON body. */
  private RawHttp.Answer send(String method, String path, String key, String kind) {
    String body = kind.equals("GET") || kind.equals("DELETE") ? "" : "{}";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", body.isEmpty() ? null : "application/json");
    headers.put("Authorization", key == null ? null : "Bearer " + key);
    return RawHttp.send(port, method, path, headers, body);
  }
}
