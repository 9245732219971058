package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A body shorter than its Content-Length (the client's connection dropped mid-upload) is the
 * client's 400 naming {@code body} on the Management API too, not a 500 with an ERROR stack trace.
 */
class BrokenBodyTests extends ApiTestSupport {

  @Test
  void aBodyShorterThanItsContentLengthIsTheClients400() throws IOException {
    Tenant t = newTenant();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    logged.start();
    root.addAppender(logged);
    String answer;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Authorization: Bearer "
                      + t.key()
                      + "\r\nContent-Length: 1000\r\n\r\n{\"user_id\":\"cut")
                  .getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      root.detachAppender(logged);
    }

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"field\":\"body\"");
    assertThat(logged.list)
        .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .noneMatch(e -> e.getThrowableProxy() != null);
  }
}
