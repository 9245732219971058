package io.growthos.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running ingest service (shared by every test class extending this, so Spring starts it once)
 * on a random port, the real PostgreSQL of test-support, and helpers to create a workspace with
 * keys and to call the API over HTTP as SDKs do.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ingest.bench-noop-endpoint=true",
      // Bursts from one address are the point of many tests here; limits have their own tests.
      "growthos.ratelimit.enabled=false"
    })
public abstract class IngestTestBase {

  protected static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  protected static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort protected int port;

  @Autowired protected JdbcTemplate jdbc;

  @Autowired private ContactBackfills backfillWorker;

  /** Runs the workspace's queued history back-fills until none is left (at most a minute). */
  protected void awaitBackfilled(Workspace ws) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (jdbc.queryForObject(
            "select count(*) from contact_backfills where workspace_id = ?", Long.class, ws.id())
        > 0) {
      assertThat(System.nanoTime()).as("back-fill done in time").isLessThan(deadline);
      if (backfillWorker.runChunk() < 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
      }
    }
  }

  /** A fresh workspace with one write key. */
  protected record Workspace(String id, String writeKey) {

    public String basic() {
      return "Basic "
          + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    public String bearer() {
      return "Bearer " + writeKey;
    }
  }

  protected Workspace newWorkspace() {
    String id = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'test', 'scale')", id);
    return new Workspace(id, newKey(id, KeyType.WRITE));
  }

  protected String newKey(String workspaceId, KeyType type) {
    String key = ApiKeys.generate(type);
    KeyRows.insertApiKey(jdbc, workspaceId, type, "test", key);
    return key;
  }

  protected static String uuid() {
    return UUID.randomUUID().toString();
  }

  protected URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** POSTs JSON text with the given headers (name, value, name, value...). */
  protected HttpResponse<String> post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  protected HttpResponse<String> post(String path, byte[] body, String... headers) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    boolean contentType = false;
    for (int i = 0; i < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
      contentType |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!contentType) {
      req.header("Content-Type", "application/json");
    }
    return send(req.build());
  }

  protected HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  protected static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected long events(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from events where workspace_id = ?", Long.class, ws.id());
  }

  /** The version of the contact whose user id is {@code userId}. */
  protected int contactVersion(Workspace ws, String userId) {
    return jdbc.queryForObject(
        "select version from contacts where workspace_id = ? and user_id = ?",
        Integer.class,
        ws.id(),
        userId);
  }

  protected long events(Workspace ws, String messageId) {
    return jdbc.queryForObject(
        "select count(*) from events where workspace_id = ? and message_id = ?",
        Long.class,
        ws.id(),
        messageId);
  }
}
