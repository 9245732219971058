package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8, "tests that attack", for the Ingest API: every live {@code /v1} route under every
 * spelling of its path, with every credential that must not pass, over a raw socket so the bytes on
 * the wire keep their encoding and dot segments. The bodies are valid, so only the path or the key
 * can be the reason for a refusal.
 */
class PathVariantAttackTests extends IngestTestBase {

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

  /**
   * @param variable whether the path had variables, filled with the id of nothing
   */
  record Route(String method, String path, boolean variable) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  record Raw(int status, String head, String body) {}

  private List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/v1/")) {
                  // Path variables get a well-formed id of nothing: the handler answers 404.
                  String path = pattern.replaceAll("\\{[^}]+}", Ids.next(IdPrefix.CAMPAIGN));
                  for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                    routes.add(new Route(m.name(), path, !path.equals(pattern)));
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

    List<Route> routes = routes();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(14);
    List<String> failures = new ArrayList<>();
    int requests = 0;
    for (Route route : routes) {
      for (Map.Entry<String, UnaryOperator<String>> variant : VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(route.path());
        for (Map.Entry<String, String> credential : wrongKeys.entrySet()) {
          Raw r = send(route.method(), sent, credential.getValue(), bodyFor(route.path()));
          requests++;
          String problem = problem(r);
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
    for (Route route : routes()) {
      for (Map.Entry<String, UnaryOperator<String>> variant : VARIANTS.entrySet()) {
        String sent = variant.getValue().apply(route.path());
        Raw r = send(route.method(), sent, ws.bearer(), bodyFor(route.path()));
        boolean canonical = variant.getKey().equals("as-is");
        boolean ok =
            canonical
                ? (r.status() >= 200 && r.status() < 300) || answeredByHandler(route, r)
                : r.status() >= 400 && r.status() < 500 && envelopeProblem(r) == null;
        if (!ok) {
          failures.add(route + " as " + sent + " -> " + r.status() + " " + r.body());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  /** The handler of a route with an id of nothing reached and said so: 404, not unknown_route. */
  private static boolean answeredByHandler(Route route, Raw r) {
    return route.variable()
        && r.status() == 404
        && envelopeProblem(r) == null
        && !r.body().contains("unknown_route");
  }

  /** A valid call for the route, so a 2xx would mean the request got through. */
  private static String bodyFor(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    String track = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Attack\"}";
    return switch (last) {
      case "identify", "i" -> "{\"userId\":\"u1\",\"traits\":{\"plan\":\"x\"}}";
      case "page", "p" -> "{\"userId\":\"u1\",\"name\":\"Home\"}";
      case "screen", "s" -> "{\"userId\":\"u1\",\"name\":\"Home\"}";
      case "group", "g" -> "{\"userId\":\"u1\",\"groupId\":\"g1\"}";
      case "alias", "a" -> "{\"userId\":\"u1\",\"previousId\":\"anon-1\"}";
      case "batch", "b" -> "{\"batch\":[" + track + "]}";
      default -> "{\"userId\":\"u1\",\"event\":\"Attack\"}";
    };
  }

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

  private Raw send(String method, String path, String authorization, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String head =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + bytes.length
              + "\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bytes);
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Raw parse(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    String head = text.substring(0, split);
    String rest = text.substring(split + 4);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
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
