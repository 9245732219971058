package io.growthos.management.webhooks;

import static io.growthos.management.webhooks.WebhookDeliveryTests.await;
import static io.growthos.management.webhooks.WebhookEndpointsTests.endpointBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * docs/webhook_receiver.py, exactly as the docs tell a user to run it, as the receiver of real
 * deliveries: it answers 204 only when the signature verifies (400 otherwise), so a delivery that
 * succeeds is one the documented check accepted. Payloads with odd Unicode and a large one; after a
 * rotation the receiver still holds the old secret, which keeps signing.
 */
class WebhookReceiverScriptTests extends ApiTestSupport {

  private static boolean hasPython() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private JsonNode delivery(Tenant t, String endpointId, String deliveryOrNull, int index) {
    Response list = get("/v1/webhook-endpoints/" + endpointId + "/deliveries", t.key());
    assertThat(list.status()).as(list.raw()).isEqualTo(200);
    return list.body().path("data").path(index);
  }

  @Test
  void theDocumentedPythonReceiverVerifiesRealDeliveries(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(hasPython(), "python3 is not installed");
    int port = freePort();
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/webhook-endpoints",
            t.key(),
            endpointBody(
                "http://127.0.0.1:" + port + "/hooks", "contact.created", "contact.updated"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String endpointId = created.body().path("id").asString();
    String secret = created.body().path("secret").asString();

    Path log = dir.resolve("receiver.log");
    Process receiver = startReceiver(port, secret, log);
    try {
      String odd =
          "Zoë 🚀 𝒳 e\u0301 \u202Eevil\u202C \u2028line\u2029para \uFEFF \\\"quoted\\\" </script> 中文"
              + " \u00A0\u200B";
      String big = "ü".repeat(30_000); // traits are at most 64 KiB of JSON
      Response contact =
          post(
              "/v1/contacts",
              t.key(),
              "{\"email\":\"zoë@example.com\",\"traits\":{\"odd\":\""
                  + odd
                  + "\",\"big\":\""
                  + big
                  + "\"}}");
      assertThat(contact.status()).as(contact.raw().substring(0, 300)).isEqualTo(201);
      await(
          Duration.ofSeconds(20),
          () -> delivery(t, endpointId, null, 0).path("status").asString().equals("succeeded"));
      assertThat(delivery(t, endpointId, null, 0).path("response_status").asInt()).isEqualTo(204);

      // Rotated: the receiver still has the old secret, which signs for 24 hours more.
      assertThat(
              post("/v1/webhook-endpoints/" + endpointId + "/rotate-secret", t.key(), null)
                  .status())
          .isEqualTo(200);
      Response patched =
          patch(
              "/v1/contacts/" + contact.body().path("id").asString(),
              t.key(),
              "{\"traits\":{\"odd\":\"" + odd + odd + "\"}}");
      assertThat(patched.status()).as(patched.raw().substring(0, 300)).isEqualTo(200);
      await(
          Duration.ofSeconds(20),
          () ->
              delivery(t, endpointId, null, 0)
                      .path("event_type")
                      .asString()
                      .equals("contact.updated")
                  && delivery(t, endpointId, null, 0)
                      .path("status")
                      .asString()
                      .equals("succeeded"));
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(out)
          .as(out.length() > 2000 ? out.substring(0, 2000) : out)
          .doesNotContain("NOT VERIFIED");
      assertThat(out.lines().filter(l -> l.startsWith("verified"))).hasSize(2);
    } finally {
      receiver.destroy();
      receiver.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Runs the script as the docs say, and waits until it listens. */
  private static Process startReceiver(int port, String secret, Path log) throws Exception {
    Path script = Path.of("..", "docs", "webhook_receiver.py");
    assertThat(script).exists();
    ProcessBuilder pb =
        new ProcessBuilder("python3", script.toString(), Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("WEBHOOK_SECRET", secret);
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    Process receiver = pb.start();
    await(
        Duration.ofSeconds(20),
        () -> {
          try {
            return Files.readString(log).contains("Listening");
          } catch (java.io.IOException e) {
            return false;
          }
        });
    return receiver;
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  @Test
  void theDocumentedPythonReceiverAnswers400ToMalformedRequestsInsteadOfDroppingThem(
      @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(hasPython(), "python3 is not installed");
    int port = freePort();
    Process receiver =
        startReceiver(port, "whsec_" + "A".repeat(43) + "=", dir.resolve("receiver.log"));
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String[][] cases = {
        {"abc", "v1,x", "{}"}, // a timestamp that is no number
        {
          Long.toString(System.currentTimeMillis() / 1000), "v1,x", "not json"
        }, // unverified, no JSON
      };
      for (String[] c : cases) {
        java.net.http.HttpRequest request =
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/hooks"))
                .header("webhook-id", "evt_x")
                .header("webhook-timestamp", c[0])
                .header("webhook-signature", c[1])
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c[2]))
                .build();
        int status;
        try {
          status =
              http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
          status = -1; // the handler raised: the connection closed without an answer
        }
        assertThat(status).as(String.join(" | ", c)).isEqualTo(400);
      }
    } finally {
      receiver.destroy();
      receiver.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
