package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A write key sent in a header line Tomcat cannot parse (a stray control character after it) gets
 * the 400 envelope and never reaches the log: Tomcat writes such a line verbatim at INFO, so its
 * logger runs at WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsStayOutOfLogsTests extends IngestTestBase {

  @Test
  void aKeyInAHeaderLineTomcatRefusesIsAnsweredWithTheEnvelopeAndNeverLogged(
      CapturedOutput output) {
    Workspace ws = newWorkspace();
    String body = "{\"userId\":\"u1\",\"event\":\"E\"}";
    String answer =
        TestHttp.raw(
            port,
            ("POST /v1/track HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + body.length()
                    + "\r\nAuthorization: Bearer "
                    + ws.writeKey()
                    + "\u0001\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.ISO_8859_1));

    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\"");
    assertThat(output.getAll()).doesNotContain(ws.writeKey());
    // Tomcat logs such a line at INFO only once a day per JVM, so another test may have had it:
    // the level is what keeps every later one out.
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(
            logback
                .getLogger("org.apache.coyote.http11.Http11Processor")
                .getEffectiveLevel()
                .isGreaterOrEqual(Level.WARN))
        .isTrue();
  }
}
