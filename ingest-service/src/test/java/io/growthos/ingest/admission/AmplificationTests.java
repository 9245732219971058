package io.growthos.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Finding 3 of issue 8: a 470 KB batch whose top-level {@code context} (30 KB) is merged into each
 * of its 2,500 tiny events expands to ~75 MB; six at once exhausted a 384 MB heap. A request may
 * now store at most {@code limits.max-stored-size} once shared members are merged in, checked
 * before the per-event copies exist. The in-flight budget here is small (24 MB, about one largest
 * request), so the concurrent attack also meets the admission control.
 */
@TestPropertySource(properties = "growthos.ingest.admission.max-in-flight=24MB")
class AmplificationTests extends IngestTestBase {

  @Autowired InFlightBudget budget;

  /** The batch of the report: 2,500 tiny events under one 30 KB top-level context. */
  static String amplifiedBatch(String tag) {
    StringBuilder body = new StringBuilder(480_000);
    body.append("{\"context\":{\"library\":{\"name\":\"attack\"},\"pad\":\"")
        .append("x".repeat(30_000))
        .append("\"},\"batch\":[");
    for (int i = 0; i < 2500; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u")
          .append(i)
          .append("\",\"messageId\":\"")
          .append(tag)
          .append('-')
          .append(i)
          .append("\",\"properties\":{\"p\":\"")
          .append("y".repeat(53))
          .append("\"}}");
    }
    return body.append("]}").toString();
  }

  @Test
  void rejectsABatchThatExpandsPastTheStoredLimitBeforeStoringAnything() {
    Workspace ws = newWorkspace();
    String body = amplifiedBatch(uuid());
    assertThat(body.length()).isBetween(460_000, 480_000);

    HttpResponse<String> response = post("/v1/batch", body, "Authorization", ws.basic());

    assertThat(response.statusCode()).isEqualTo(413);
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asString()).isEqualTo("payload_too_large");
    assertThat(error.get("details").get(0).get("field").asString()).isEqualTo("batch");
    assertThat(error.get("message").asString()).contains("5242880 bytes");
    assertThat(events(ws)).isZero();
  }

  @Test
  void sixConcurrentAmplifiedBatchesAreRefusedAndNormalTrafficStillFlows() throws Exception {
    Workspace ws = newWorkspace();
    List<CompletableFuture<HttpResponse<String>>> attacks = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 6; i++) {
        String body = amplifiedBatch(uuid());
        attacks.add(
            CompletableFuture.supplyAsync(
                () -> post("/v1/batch", body, "Authorization", ws.basic()), pool));
      }
      for (CompletableFuture<HttpResponse<String>> attack : attacks) {
        assertThat(attack.get().statusCode()).isIn(413, 503);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(events(ws)).isZero();
    AdmissionTests.awaitReleased(budget);

    String ok =
        "{\"context\":{\"ip\":\"1.2.3.4\"},\"batch\":[{\"type\":\"track\",\"event\":\"e\","
            + "\"userId\":\"u\",\"messageId\":\""
            + uuid()
            + "\"}]}";
    assertThat(post("/v1/batch", ok, "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    assertThat(events(ws)).isEqualTo(1);
  }
}
