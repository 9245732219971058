package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 8 finding: the Ingest API charges a request without a header key to its address before it
 * reads the body (which may carry the key). A client over budget gets its 429 while its body is
 * still unsent, so a flood of large bodies costs the service no reading or parsing.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=true",
      "growthos.ratelimit.anonymous-requests-per-second=1",
      "growthos.ratelimit.body-key-requests-per-second=1"
    })
class RateLimitBeforeBodyTests {

  private static final int DECLARED_LENGTH = 400_000;

  @LocalServerPort int port;

  /**
   * The status of a request whose body is declared {@code declared} bytes, of which only {@code
   * sent} are sent.
   */
  private int partialRequest(String sent, int declared, int readTimeoutMillis) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(readTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/track HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + declared
                  + "\r\n\r\n"
                  + sent)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] statusLine = new byte[12];
      int read = 0;
      while (read < statusLine.length) {
        int n = in.read(statusLine, read, statusLine.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      String line = new String(statusLine, 0, read, StandardCharsets.US_ASCII);
      return Integer.parseInt(line.substring(9, 12));
    }
  }

  @Test
  void aRequestOverBudgetIsRefusedBeforeItsBodyArrives() throws IOException {
    // Spend the address's budgets with small complete requests without a key.
    String small = "{}";
    int last = 0;
    for (int i = 0; i < 4; i++) {
      last = partialRequest(small, small.length(), 10_000);
    }
    assertThat(last).isEqualTo(429);

    long start = System.nanoTime();
    int status;
    try {
      // 400 KB declared, 12 bytes sent: a server reading the body first would wait for the rest.
      status = partialRequest("{\"writeKey\":", DECLARED_LENGTH, 5_000);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within 5 s: the body was awaited before the limit", e);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(status).isEqualTo(429);
    assertThat(millis).isLessThan(2_000);
  }

  @Test
  void withinBudgetTheBodyIsAwaited() throws IOException, InterruptedException {
    // The control: with tokens left, the same partial request waits for its body (no answer yet).
    Thread.sleep(2_100); // both buckets refill (1 token a second)
    boolean answered;
    try {
      partialRequest("{\"writeKey\":", DECLARED_LENGTH, 1_500);
      answered = true;
    } catch (SocketTimeoutException e) {
      answered = false;
    }
    assertThat(answered).isFalse();
  }
}
