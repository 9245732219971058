package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's {@code /v1/noop} is mapped at run time by the property (not by a condition Spring
 * AOT would fix at build time): on in {@link IngestTestBase}'s service; off by default ({@link
 * NoopEndpointOffTests}).
 */
class NoopEndpointTests extends IngestTestBase {

  private static final String TRACK =
      "{\"userId\":\"u1\",\"event\":\"Signed Up\",\"messageId\":\"m-noop-1\"}";

  @Test
  void whenTurnedOnItAcksAValidTrackCallAndStoresNothing() {
    Workspace ws = newWorkspace();

    var post =
        post("/v1/noop", TRACK, "Authorization", ws.basic(), "Content-Type", "application/json");
    var get =
        send(HttpRequest.newBuilder(uri("/v1/noop")).header("Authorization", ws.basic()).build());

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(events(ws)).isZero();
  }

  @Test
  void whenTurnedOnItStillNeedsAWriteKey() {
    assertThat(post("/v1/noop", TRACK, "Content-Type", "application/json").statusCode())
        .isEqualTo(401);
  }
}
