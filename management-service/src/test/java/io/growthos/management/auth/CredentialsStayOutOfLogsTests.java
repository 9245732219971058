package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A key sent in a header line Tomcat cannot parse (a stray control character after it) gets the 400
 * envelope and never reaches the log: Tomcat writes such a line verbatim at INFO, so its logger
 * runs at WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsStayOutOfLogsTests extends ApiTestSupport {

  @Test
  void aKeyInAHeaderLineTomcatRefusesIsAnsweredWithTheEnvelopeAndNeverLogged(
      CapturedOutput output) {
    Tenant t = newTenant();
    String answer =
        TestHttp.raw(
            port,
            ("GET /v1/contacts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer "
                    + t.key()
                    + "\u0001\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));

    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\"");
    assertThat(output.getAll()).doesNotContain(t.key());
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
