package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.LogCapture;
import io.growthos.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Red-team finding 1: a body that ends early (the client's connection dropped mid-upload) or is
 * badly chunked is the client's 400 naming {@code body}, on every POST route and without a key, and
 * never an ERROR with a stack trace.
 */
class BrokenBodyTests extends IngestTestBase {

  @RegisterExtension final LogCapture logged = LogCapture.root();

  /** Sends {@code head} and {@code body}, closes the sending side, and reads the whole answer. */
  private String exchange(String head, String body) {
    return TestHttp.rawHalfClosed(
        port, (head + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
  }

  private void assertClientError(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"field\":\"body\"");
    logged.assertNoneAtOrAbove(Level.WARN);
    logged.assertNoStackTraces();
  }

  @Test
  void aBodyShorterThanItsContentLengthIsTheClients400() {
    // The tracking routes read the body to find a key in it; widget routes take the header's.
    String key = "\r\nAuthorization: " + newWorkspace().bearer();
    String[][] routes = {
      {"/v1/track", ""},
      {"/v1/batch", ""},
      {"/v1/widgets/campaigns/cmp_x/participants", key},
      {"/v1/widgets/campaigns/cmp_x/responses", key}
    };
    for (String[] route : routes) {
      String answer =
          exchange(
              "POST "
                  + route[0]
                  + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000"
                  + route[1],
              "{\"writeKey\":\"gos_wk_x\",\"userId\":\"u\"");
      assertClientError(answer);
      logged.start();
    }
  }

  @Test
  void aBadlyChunkedBodyIsTheClients400() {
    String head =
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked";
    assertClientError(exchange(head, "{\"userId\":\"u\",\"event\":\"E\"}"));
    logged.start();
    assertClientError(exchange(head, "zz\r\n{}\r\n0\r\n\r\n"));
  }
}
