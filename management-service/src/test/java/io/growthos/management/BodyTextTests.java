package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Red-team findings D9 and D13 of the Management API: a body is strict UTF-8 (an overlong {@code C0
 * AF} was stored as {@code /}) and no field stores a lone surrogate ({@code \}{@code ud800} was
 * stored as {@code ?} while the 201 echoed the original): both are 400, by the rule the Ingest API
 * applies too, and nothing is stored.
 */
class BodyTextTests extends ApiTestSupport {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Response postBytes(String path, String key, byte[] body) {
    return postBytes(path, key, body, "application/json");
  }

  private Response postBytes(String path, String key, byte[] body, String contentType) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().map(), JSON.readTree(r.body()), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private long rows(String table, String workspaceId) {
    return jdbc.queryForObject(
        "select count(*) from " + table + " where workspace_id = ?", Long.class, workspaceId);
  }

  /**
   * JSON is UTF-8 (RFC 8259 §8.1; §11: a {@code charset} parameter "has no effect on compliant
   * recipients"), and the bytes are checked as UTF-8: they are read as UTF-8 too, whatever charset
   * the Content-Type names, as the Ingest API reads them. A client whose library labels its UTF-8
   * body ISO-8859-1 had "café" stored as "cafÃ©", with a 201.
   */
  @Test
  void aUtf8BodyLabelledWithAnotherCharsetIsStoredAsTheUtf8ItIs() {
    Tenant t = newTenant();
    byte[] body = "{\"traits\":{\"city\":\"Zürich\"}}".getBytes(StandardCharsets.UTF_8);
    for (String type :
        new String[] {
          "application/json; charset=ISO-8859-1", "application/json; charset=windows-1252"
        }) {
      Response r = postBytes("/v1/contacts", t.key(), body, type);
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
      assertThat(r.body().path("traits").path("city").asString()).as(type).isEqualTo("Zürich");
      assertThat(
              jdbc.queryForObject(
                  "select traits->>'city' from contacts where workspace_id = ? and id = ?",
                  String.class,
                  t.workspaceId(),
                  r.body().path("id").asString()))
          .as(type)
          .isEqualTo("Zürich");
    }
  }

  @Test
  void overlongUtf8InABodyIsRefusedAndNothingIsStored() {
    Tenant t = newTenant();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"type\":\"waitlist\",\"name\":\"overlong ".getBytes(StandardCharsets.UTF_8));
    body.write(0xc0);
    body.write(0xaf);
    body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

    Response r = postBytes("/v1/campaigns", t.key(), body.toByteArray());

    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.firstDetail().path("field").asString()).isEqualTo("body");
    assertThat(r.firstDetail().path("reason").asString()).isEqualTo("invalid_encoding");
    assertThat(rows("campaigns", t.workspaceId())).isZero();
  }

  @Test
  void aLoneSurrogateIsRefusedNamingItsFieldAndNothingIsStored() {
    Tenant t = newTenant();

    Response campaign =
        post("/v1/campaigns", t.key(), "{\"type\":\"waitlist\",\"name\":\"lone \\ud800 x\"}");
    Response webhook =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            "{\"url\":\"https://example.com/\\udc00\",\"events\":[\"*\"]}");
    Response traits = post("/v1/contacts", t.key(), "{\"traits\":{\"k\":\"\\ud800\"}}");

    assertThat(campaign.status()).as(campaign.raw()).isEqualTo(400);
    assertThat(campaign.firstDetail().path("field").asString()).isEqualTo("name");
    assertThat(campaign.firstDetail().path("reason").asString()).isEqualTo("invalid_character");
    assertThat(webhook.status()).as(webhook.raw()).isEqualTo(400);
    assertThat(webhook.firstDetail().path("field").asString()).isEqualTo("url");
    assertThat(traits.status()).as(traits.raw()).isEqualTo(400);
    assertThat(traits.firstDetail().path("field").asString()).isEqualTo("traits.k");
    assertThat(rows("campaigns", t.workspaceId())).isZero();
    assertThat(rows("contacts", t.workspaceId())).isZero();
    // A NUL in a key is named by the object that holds it (it named only "body"), without
    // echoing the key; at the top level, the body.
    Response nulKey = post("/v1/contacts", t.key(), "{\"traits\":{\"plan\":{\"k\\u0000\":1}}}");
    assertThat(nulKey.status()).as(nulKey.raw()).isEqualTo(400);
    assertThat(nulKey.firstDetail().path("field").asString()).isEqualTo("traits.plan");
    assertThat(nulKey.firstDetail().path("reason").asString()).isEqualTo("invalid_character");
    assertThat(nulKey.firstDetail().path("message").asString())
        .isEqualTo(
            "A key of 'traits.plan' contains the NUL character (\\u0000), which cannot be stored.");
    Response topKey = post("/v1/contacts", t.key(), "{\"k\\u0000\":1}");
    assertThat(topKey.firstDetail().path("field").asString()).isEqualTo("body");
    assertThat(rows("contacts", t.workspaceId())).isZero();
    // A pair of surrogates is one character (an emoji), stored as sent.
    Response emoji = post("/v1/contacts", t.key(), "{\"traits\":{\"k\":\"\\ud83d\\ude00\"}}");
    assertThat(emoji.status()).as(emoji.raw()).isEqualTo(201);
  }
}
