package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.values.JsonNesting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Documents stored before bodies were held to {@code JsonNesting.MAX_DEPTH} (100 levels) keep being
 * read: until 2026-12-06 the Management API stored traits nested up to 499 levels, and {@code
 * jsonb} holds them (an upgraded install, or a row written by SQL). Each route that reads a stored
 * document answers 200 with the document whole, never 500. The module's tests run with the
 * services' 512 kB thread stack (pom.xml), which bounds how deep a document Jackson can write.
 */
class StoredDeepDocumentsTests extends ApiTestSupport {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static String nested(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  /** Status and body, the body left unparsed (the test's reader has its own depth limit). */
  private String[] raw(String path, String key) {
    return raw("GET", path, key, null);
  }

  private String[] raw(String method, String path, String key, String body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> r =
          HTTP.send(
              request
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + key)
                  .method(
                      method,
                      body == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new String[] {String.valueOf(r.statusCode()), r.body()};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void traitsAndPropertiesStoredDeeperThanBodiesMayNestAreReadBackWhole() {
    List<String> failures = new ArrayList<>();
    for (int depth : new int[] {150, 400, 499, JsonNesting.MAX_STORED_DEPTH}) {
      Tenant t = newTenant();
      String contact = insertContact(t.workspaceId(), "deep-" + depth, nested(depth));
      String event =
          insertTrackEvent(t.workspaceId(), contact, "Deep", "2026-12-01T00:00:00Z", nested(depth));
      Response segment =
          post("/v1/segments", t.key(), "{\"name\": \"All\", \"filter\": {\"all\": []}}");
      assertThat(segment.status()).as(segment.raw()).isEqualTo(201);
      String segmentId = segment.body().path("id").asString();
      for (String path :
          List.of(
              "/v1/contacts",
              "/v1/contacts?user_id=deep-" + depth,
              "/v1/contacts/" + contact,
              "/v1/segments/" + segmentId + "/contacts",
              "/v1/events",
              "/v1/events?contact_id=" + contact,
              "/v1/events/" + event)) {
        String[] r = raw(path, t.key());
        if (!r[0].equals("200") || !r[1].contains(nested(depth))) {
          failures.add(
              depth
                  + " levels, GET "
                  + path
                  + ": "
                  + r[0]
                  + " "
                  + r[1].substring(0, Math.min(200, r[1].length())));
        }
      }
      // A change of another trait merges into the stored ones and writes them back whole.
      String[] patched =
          raw("PATCH", "/v1/contacts/" + contact, t.key(), "{\"traits\": {\"plan\": \"pro\"}}");
      String stored =
          jdbc.queryForObject(
              "select traits::text from contacts where workspace_id = ? and id = ?",
              String.class,
              t.workspaceId(),
              contact);
      if (!patched[0].equals("200") || !stored.contains("\"plan\": \"pro\"")) {
        failures.add(depth + " levels, PATCH /v1/contacts/{id}: " + patched[0]);
      }
    }
    assertThat(failures).isEmpty();
  }
}
