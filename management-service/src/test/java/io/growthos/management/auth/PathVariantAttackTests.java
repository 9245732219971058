package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.Routes;
import io.growthos.management.Routes.Route;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.JsonNode;

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

  /** Each spelling of {@code /v1/rest}; all but the first must never reach a handler. */
  static final Map<String, UnaryOperator<String>> VARIANTS = new LinkedHashMap<>();

  static {
    VARIANTS.put("as-is", p -> p);
    VARIANTS.put("%76 for v", p -> "/%761" + p.substring(3));
    VARIANTS.put("v%31", p -> "/v%31" + p.substring(3));
    VARIANTS.put("matrix after v1", p -> "/v1;x=1" + p.substring(3));
    VARIANTS.put("matrix on last segment", p -> p + ";x=1");
    VARIANTS.put("doubled slash", p -> "/v1/" + p.substring(3));
    VARIANTS.put("dot segment", p -> "/v1/." + p.substring(3));
    VARIANTS.put("dot-dot segment", p -> "/v1/.." + p);
    VARIANTS.put("upper-case V1", p -> "/V1" + p.substring(3));
    VARIANTS.put("trailing %2F", p -> p + "%2F");
    VARIANTS.put("encoded %2e%2e", p -> "/v1/%2e%2e" + p);
  }

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /** One answer read off the socket. */
  record Raw(int status, String head, String body) {}

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

      for (Map.Entry<String, UnaryOperator<String>> variant : VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(path);
        for (Map.Entry<String, String> credential : wrongKeys.entrySet()) {
          Raw r = send(route.method(), sent, credential.getValue(), route.method());
          requests++;
          String label =
              route + " as " + sent + " (" + variant.getKey() + ", " + credential.getKey() + ")";
          String problem = problem(r);
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
      Raw canonical = send("GET", path, owner.key(), "GET");
      if (canonical.status() >= 500) {
        failures.add(route + " canonical -> " + canonical.status() + " " + canonical.body());
      }
      if (canonical.status() == 200) {
        reached++;
      }
      for (Map.Entry<String, UnaryOperator<String>> variant : VARIANTS.entrySet()) {
        if (variant.getKey().equals("as-is")) {
          continue;
        }
        String sent = variant.getValue().apply(path);
        Raw r = send("GET", sent, owner.key(), "GET");
        if (r.status() < 400 || r.status() >= 500 || envelopeProblem(r) != null) {
          failures.add(route + " as " + sent + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(reached).as("GET routes the owner's key reaches").isGreaterThan(5);
  }

  /** Null when the answer is acceptable for a request without the right key. */
  private static String problem(Raw r) {
    if (r.status() >= 500) {
      return "server error";
    }
    if (r.status() < 400) {
      return "not refused";
    }
    return envelopeProblem(r);
  }

  private static String envelopeProblem(Raw r) {
    if (r.status() < 400) {
      return null;
    }
    try {
      JsonNode json = JSON.readTree(r.body());
      if (!json.path("request_id").asString("").startsWith("req_")) {
        return "no request_id";
      }
      if (json.path("error").path("code").asString("").isEmpty()) {
        return "no error code";
      }
      return null;
    } catch (RuntimeException e) {
      return "no envelope";
    }
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
  private Raw send(String method, String path, String key, String kind) {
    String body = kind.equals("GET") || kind.equals("DELETE") ? "" : "{}";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String request =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + (body.isEmpty() ? "" : "Content-Type: application/json\r\n")
              + "Content-Length: "
              + body.length()
              + "\r\n"
              + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
              + "\r\n"
              + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Raw parse(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    String head = text.substring(0, split);
    String rest = text.substring(split + 4);
    if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int at = 0;
      while (true) {
        int eol = rest.indexOf("\r\n", at);
        int size = Integer.parseInt(rest.substring(at, eol).trim().split(";")[0], 16);
        if (size == 0) {
          break;
        }
        body.write(rest.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
        at = eol + 2 + size + 2;
      }
      rest = body.toString(StandardCharsets.UTF_8);
    } else {
      rest = new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
    return new Raw(Integer.parseInt(head.split(" ", 3)[1]), head, rest);
  }
}
