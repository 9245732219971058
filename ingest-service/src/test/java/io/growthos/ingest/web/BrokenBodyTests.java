package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.growthos.ingest.IngestTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Red-team finding 1: a body that ends early (the client's connection dropped mid-upload) or is
 * badly chunked is the client's 400 naming {@code body}, on every POST route and without a key, and
 * never an ERROR with a stack trace.
 */
class BrokenBodyTests extends IngestTestBase {

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void capture() {
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void release() {
    root.detachAppender(logged);
  }

  /** Sends {@code head} and {@code body}, closes the sending side, and reads the whole answer. */
  private String exchange(String head, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((head + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private void assertClientError(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"field\":\"body\"");
    assertThat(logged.list)
        .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .noneMatch(e -> e.getThrowableProxy() != null);
  }

  @Test
  void aBodyShorterThanItsContentLengthIsTheClients400() throws IOException {
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
      logged.list.clear();
    }
  }

  @Test
  void aBadlyChunkedBodyIsTheClients400() throws IOException {
    String head =
        "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked";
    assertClientError(exchange(head, "{\"userId\":\"u\",\"event\":\"E\"}"));
    logged.list.clear();
    assertClientError(exchange(head, "zz\r\n{}\r\n0\r\n\r\n"));
  }
}
