package io.growthos.management.webhooks;

import static io.growthos.management.webhooks.WebhookDeliveryTests.await;
import static io.growthos.management.webhooks.WebhookEndpointsTests.endpointBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.NodeProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real deliveries of the dispatcher verified by the Standard Webhooks reference library for Node
 * (npm {@code standardwebhooks} 1.1.1, pinned in {@code src/test/standard-webhooks}), run with the
 * machine's Node: an implementation that is not ours accepts our signatures, including the two
 * signatures sent while a rotated secret's old value still signs, and rejects a tampered body or a
 * wrong secret.
 */
class StandardWebhooksLibraryTests extends ApiTestSupport {

  @Test
  void theStandardWebhooksNodeLibraryVerifiesRealDeliveriesBeforeAndAfterRotation()
      throws Exception {
    NodeProject library =
        NodeProject.install(
            Path.of("src", "test", "standard-webhooks"),
            Path.of("target", "standard-webhooks"),
            List.of("package.json", "package-lock.json", "verify.mjs"));
    Tenant t = newTenant();
    try (Receiver receiver = new Receiver()) {
      Response created =
          post(
              "/v1/webhook-endpoints",
              t.key(),
              endpointBody(receiver.url(), "contact.created", "contact.updated"));
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      String endpointId = created.body().path("id").asString();
      String oldSecret = created.body().path("secret").asString();

      Response contact =
          post("/v1/contacts", t.key(), "{\"email\":\"ada@example.com\",\"traits\":{\"n\":1}}");
      assertThat(contact.status()).as(contact.raw()).isEqualTo(201);
      await(Duration.ofSeconds(10), () -> receiver.received().size() == 1);

      Response rotated =
          post("/v1/webhook-endpoints/" + endpointId + "/rotate-secret", t.key(), null);
      assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
      String newSecret = rotated.body().path("secret").asString();
      Response patched =
          patch(
              "/v1/contacts/" + contact.body().path("id").asString(),
              t.key(),
              "{\"traits\":{\"n\":2}}");
      assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
      await(Duration.ofSeconds(10), () -> receiver.received().size() == 2);

      Receiver.Received before = receiver.received().get(0);
      Receiver.Received after = receiver.received().get(1);
      assertThat(after.signature().split(" ")).hasSize(2);
      List<Map<String, Object>> checks = new ArrayList<>();
      checks.add(check(oldSecret, before, before.body())); // verified
      checks.add(check(oldSecret, after, after.body())); // verified: old secret still signs
      checks.add(check(newSecret, after, after.body())); // verified
      checks.add(check(newSecret, before, before.body())); // rejected: signed before rotation
      checks.add(check(oldSecret, before, before.body().replace("ada", "eve"))); // rejected
      Path file = Path.of("target", "standard-webhooks", "deliveries.json");
      Files.writeString(file, JSON.writeValueAsString(checks));

      NodeProject.Run run =
          library.run(Duration.ofMinutes(1), "node", "verify.mjs", "deliveries.json");
      assertThat(run.exitCode()).as(run.output()).isZero();
      List<String> lines = run.output().lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines).as(run.output()).hasSize(5);
      assertThat(lines.get(0)).isEqualTo("verified " + before.id() + " contact.created");
      assertThat(lines.get(1)).isEqualTo("verified " + after.id() + " contact.updated");
      assertThat(lines.get(2)).isEqualTo("verified " + after.id() + " contact.updated");
      assertThat(lines.get(3)).startsWith("rejected " + before.id());
      assertThat(lines.get(4)).startsWith("rejected " + before.id());
    }
  }

  private static Map<String, Object> check(String secret, Receiver.Received r, String body) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("webhook-id", r.id());
    headers.put("webhook-timestamp", r.timestamp());
    headers.put("webhook-signature", r.signature());
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("secret", secret);
    check.put("headers", headers);
    check.put("body", body);
    return check;
  }
}
