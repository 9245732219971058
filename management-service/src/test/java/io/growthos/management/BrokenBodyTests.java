package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.testsupport.LogCapture;
import io.growthos.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body shorter than its Content-Length (the client's connection dropped mid-upload) is the
 * client's 400 naming {@code body} on the Management API too, not a 500 with an ERROR stack trace.
 */
class BrokenBodyTests extends ApiTestSupport {

  @Test
  void aBodyShorterThanItsContentLengthIsTheClients400() {
    Tenant t = newTenant();
    LogCapture logged = LogCapture.root().start();
    String answer;
    try {
      answer =
          TestHttp.rawHalfClosed(
              port,
              ("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Authorization: Bearer "
                      + t.key()
                      + "\r\nContent-Length: 1000\r\n\r\n{\"user_id\":\"cut")
                  .getBytes(StandardCharsets.UTF_8));
    } finally {
      logged.close();
    }

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"field\":\"body\"");
    logged.assertNoneAtOrAbove(Level.WARN);
    logged.assertNoStackTraces();
  }
}
