package io.growthos.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The in-flight budget as clients see it: 503 {@code overloaded} while full, given back always. */
class AdmissionTests extends IngestTestBase {

  @Autowired InFlightBudget budget;

  private String track() {
    return "{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u\",\"messageId\":\"" + uuid() + "\"}";
  }

  @Test
  void refusesWith503OverloadedAndRetryAfterWhileTheBudgetIsFull() {
    Workspace ws = newWorkspace();
    HttpResponse<String> refused;
    try (InFlightBudget.Reservation hog = budget.open()) {
      hog.charge(budget.capacity() - budget.used() - 1000);

      refused =
          post("/v1/track", track(), "Authorization", ws.basic(), "Origin", "https://a.example");
    }

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(refused).at("/error/code").asString()).isEqualTo("overloaded");
    assertThat(json(refused).at("/error/details/0/reason").asString()).isEqualTo("overloaded");
    // A browser SDK can read it (and its Retry-After) and retries later.
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://a.example");
    assertThat(events(ws)).isZero();

    assertThat(post("/v1/track", track(), "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    assertThat(events(ws)).isEqualTo(1);
  }

  @Test
  void givesTheBudgetBackOnEveryOutcome() throws InterruptedException {
    Workspace ws = newWorkspace();
    assertThat(post("/v1/track", track(), "Authorization", ws.basic()).statusCode()).isEqualTo(200);
    assertThat(post("/v1/track", "{\"type\":\"track\"}", "Authorization", ws.basic()).statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/track", "{not json", "Authorization", ws.basic()).statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/track", track(), "Authorization", "Bearer gos_wk_nope").statusCode())
        .isEqualTo(401);
    assertThat(
            post("/v1/track", track(), "Authorization", ws.basic(), "Content-Encoding", "compress")
                .statusCode())
        .isEqualTo(415);
    assertThat(
            post(
                    "/v1/batch",
                    gzip(new byte[5 * 1024 * 1024]),
                    "Authorization",
                    ws.basic(),
                    "Content-Encoding",
                    "gzip")
                .statusCode())
        .isEqualTo(413);
    assertThat(
            post(
                    "/v1/batch",
                    AmplificationTests.amplifiedBatch(uuid()),
                    "Authorization",
                    ws.basic())
                .statusCode())
        .isEqualTo(413);

    awaitReleased(budget);
  }

  /** Asynchronous responses give their share back just after the client has read them. */
  static void awaitReleased(InFlightBudget budget) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (budget.used() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(budget.used()).isZero();
  }
}
