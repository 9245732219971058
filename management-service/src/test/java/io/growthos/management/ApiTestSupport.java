package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the end-to-end tests: the whole app on a random port over real PostgreSQL, driven with
 * plain HTTP. Each test makes its own workspaces and keys, so tests share one database and one
 * Spring context without seeing each other's rows.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.auth.cache-ttl=5s",
      // Bursts from one address are the point of many tests here; limits have their own tests.
      "growthos.ratelimit.enabled=false",
      // Webhook tests deliver to receivers on loopback.
      "growthos.webhooks.allow-private-urls=true"
    })
@Import(DocumentedAnswers.Recorder.class)
@ExtendWith(DocumentedAnswers.class)
public abstract class ApiTestSupport {

  /** Reads answers as a client would, numbers as long as the API can return included. */
  protected static final JsonMapper JSON =
      JsonMapper.builder(
              tools.jackson.core.json.JsonFactory.builder()
                  .streamReadConstraints(io.growthos.model.values.NumberRange.STORED_READS)
                  .build())
          .build();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @LocalServerPort protected int port;
  @Autowired protected JdbcTemplate jdbc;

  /** A workspace with a secret key of scope {@code *}. */
  protected record Tenant(String workspaceId, String key) {}

  /** A response with its body parsed (null when empty). */
  public record Response(int status, Map<String, List<String>> headers, JsonNode body, String raw) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public String errorCode() {
      return body == null ? null : body.path("error").path("code").asString();
    }

    public JsonNode firstDetail() {
      return body.path("error").path("details").path(0);
    }
  }

  protected Tenant newTenant() {
    String ws = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, ?, 'scale')", ws, "test " + ws);
    return new Tenant(ws, newSecretKey(ws, "*"));
  }

  /** The id of the API key {@code key}. */
  protected String keyIdOf(String key) {
    return jdbc.queryForObject(
        "select id from api_keys where key_hash = ?",
        String.class,
        (Object) io.growthos.model.keys.ApiKeys.hash(key));
  }

  protected String newSecretKey(String workspaceId, String... scopes) {
    return insertKey(workspaceId, KeyType.SECRET, scopes);
  }

  protected String newWriteKey(String workspaceId) {
    return insertKey(workspaceId, KeyType.WRITE);
  }

  protected String newAdminKey() {
    String key = ApiKeys.generate(KeyType.ADMIN);
    KeyRows.insertAdminKey(jdbc, "test", key);
    return key;
  }

  private String insertKey(String workspaceId, KeyType type, String... scopes) {
    String key = ApiKeys.generate(type);
    KeyRows.insertApiKey(jdbc, workspaceId, type, "test", key, scopes);
    return key;
  }

  /**
   * Inserts a track event (plain SQL, received now) of {@code contact}, or of an anonymous visitor
   * when it is null, at {@code at} (RFC 3339), returning its id.
   */
  protected String insertTrackEvent(
      String ws, String contact, String name, String at, String properties) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, anonymous_id, contact_id,"
            + " properties, context, timestamp, received_at)"
            + " values (?, ?, ?, 'track', ?, ?, ?, ?::jsonb, '{}'::jsonb, ?::timestamptz, now())",
        ws,
        id,
        "m-" + id,
        name,
        contact == null ? "anon-x" : null,
        contact,
        properties,
        // As text, as EventStore binds it: a java.sql.Timestamp would move a year before 1582.
        java.time.Instant.parse(at).toString());
    return id;
  }

  /** How many contacts the workspace holds (a refused request must have stored none). */
  protected long contactCount(String workspaceId) {
    return jdbc.queryForObject(
        "select count(*) from contacts where workspace_id = ?", Long.class, workspaceId);
  }

  /** Inserts a contact the way the Ingest API does (plain SQL), returning its id. */
  protected String insertContact(String workspaceId, String userId, String traitsJson) {
    String id = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, traits, first_seen_at, last_seen_at)"
            + " values (?, ?, ?, ?::jsonb, now(), now())",
        workspaceId,
        id,
        userId,
        traitsJson);
    if (userId != null) {
      jdbc.update(
          "insert into contact_identities (workspace_id, kind, value, contact_id)"
              + " values (?, 'user_id', ?, ?)",
          workspaceId,
          userId,
          id);
    }
    return id;
  }

  /** Inserts a track event the way the Ingest API does, returning its id. */
  protected String insertEvent(String workspaceId, String contactId, String userId, String event) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, user_id, contact_id,"
            + " properties, context, timestamp, received_at)"
            + " values (?, ?, ?, 'track', ?, ?, ?, '{\"n\": 1}'::jsonb, '{}'::jsonb, now(), now())",
        workspaceId,
        id,
        "msg-" + id,
        event,
        userId,
        contactId);
    return id;
  }

  /** Joins {@code campaign} by e-mail (with a referral code when given); must be 201. */
  protected JsonNode join(Tenant t, String campaign, String email, String code) {
    Response r =
        post(
            "/v1/campaigns/" + campaign + "/participants",
            t.key(),
            code == null
                ? json(Map.of("email", email))
                : json(Map.of("email", email, "referral_code", code)));
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body();
  }

  protected Response get(String path, String key) {
    return call("GET", path, key, null);
  }

  protected Response post(String path, String key, String body, String... headers) {
    return call("POST", path, key, body, headers);
  }

  protected Response patch(String path, String key, String body, String... headers) {
    return call("PATCH", path, key, body, headers);
  }

  protected Response delete(String path, String key, String... headers) {
    return call("DELETE", path, key, null, headers);
  }

  /** One request; {@code headers} are name/value pairs. */
  protected Response call(String method, String path, String key, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode json = raw == null || raw.isBlank() ? null : JSON.readTree(raw);
      return new Response(response.statusCode(), response.headers().map(), json, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The status of one request sent byte for byte as given (no URI parsing or normalisation on the
   * client side), for paths and queries a well-behaved client would refuse to send.
   */
  protected int rawStatus(String method, String pathAndQuery, String key) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String request =
          method
              + " "
              + pathAndQuery
              + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n"
              + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
              + "\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return Integer.parseInt(response.split(" ", 3)[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of {@code data} in a list response. */
  protected static List<String> ids(Response list) {
    List<String> out = new ArrayList<>();
    list.body().path("data").forEach(n -> out.add(n.path("id").asString()));
    return out;
  }

  protected static String json(Object value) {
    return JSON.writeValueAsString(value);
  }
}
