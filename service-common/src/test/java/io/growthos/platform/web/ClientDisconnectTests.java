package io.growthos.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.testapp.PlatformTestApplication;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A client that hangs up before its answer is written (an SDK's timeout, a closed tab) is not an
 * error of the service: it leaves a debug line, not "Unhandled error" with a stack trace at ERROR.
 */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=false",
      "logging.level.io.growthos.platform.web.ApiExceptionHandler=debug"
    })
@ExtendWith(OutputCaptureExtension.class)
class ClientDisconnectTests {

  @LocalServerPort int port;

  @Test
  void aClientThatHangsUpMidAnswerIsLoggedAtDebugNotAsAnUnhandledError(CapturedOutput output)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /v1/large HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      // Closing with unread data makes the kernel answer with a reset: the server's next write of
      // the 32 MB body fails as a hung-up client's does.
      socket.setSoLinger(true, 0);
    }

    String handled = "Client went away before the answer to GET /v1/large";
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!output.getOut().contains(handled) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(output.getOut()).contains(handled);
    assertThat(output.getAll()).doesNotContain("Unhandled error").doesNotContain(" ERROR ");
  }
}
