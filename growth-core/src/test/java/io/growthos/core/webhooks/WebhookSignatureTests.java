package io.growthos.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

  // The published example of the Standard Webhooks / Svix libraries (their test suites use it):
  // computed by an implementation that is not this one.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signsLikeTheStandardWebhooksReferenceVector() {
    assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void verifiesTheReferenceVectorWithinTolerance() {
    Instant now = Instant.ofEpochSecond(TIMESTAMP + 60);
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    SECRET, ID, "" + TIMESTAMP, EXPECTED, BODY, now, Duration.ofMinutes(5)))
        .doesNotThrowAnyException();
    byte[] raw = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    SECRET, ID, "" + TIMESTAMP, EXPECTED, raw, now, Duration.ofMinutes(5)))
        .as("the raw bytes, as received")
        .doesNotThrowAnyException();
    assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, raw)).isEqualTo(EXPECTED);
  }

  @Test
  void rejectsATamperedBodyAnOtherIdOrAnOldTimestamp() {
    Instant now = Instant.ofEpochSecond(TIMESTAMP);
    Duration tol = WebhookSignature.DEFAULT_TOLERANCE;
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(SECRET, ID, "" + TIMESTAMP, EXPECTED, BODY + " ", now, tol))
        .isInstanceOf(WebhookSignature.VerificationException.class);
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    SECRET, "msg_other", "" + TIMESTAMP, EXPECTED, BODY, now, tol))
        .isInstanceOf(WebhookSignature.VerificationException.class);
    Instant later = now.plus(Duration.ofMinutes(6));
    assertThatThrownBy(
            () -> WebhookSignature.verify(SECRET, ID, "" + TIMESTAMP, EXPECTED, BODY, later, tol))
        .hasMessageContaining("tolerance");
  }

  @Test
  void acceptsWhenAnyOfSeveralSignaturesMatches() throws Exception {
    String other = WebhookSignature.newSecret();
    String header = WebhookSignature.header(List.of(other, SECRET), ID, TIMESTAMP, BODY);
    assertThat(header.split(" ")).hasSize(2).contains(EXPECTED);
    Instant now = Instant.ofEpochSecond(TIMESTAMP);
    WebhookSignature.verify(SECRET, ID, "" + TIMESTAMP, header, BODY, now, Duration.ofMinutes(5));
    WebhookSignature.verify(other, ID, "" + TIMESTAMP, header, BODY, now, Duration.ofMinutes(5));
    String third = WebhookSignature.newSecret();
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    third, ID, "" + TIMESTAMP, header, BODY, now, Duration.ofMinutes(5)))
        .isInstanceOf(WebhookSignature.VerificationException.class);
  }

  @Test
  void newSecretsAreWellFormedAndDistinct() {
    String a = WebhookSignature.newSecret();
    assertThat(a).startsWith("whsec_");
    assertThat(WebhookSignature.isWellFormed(a)).isTrue();
    assertThat(WebhookSignature.newSecret()).isNotEqualTo(a);
    assertThat(WebhookSignature.isWellFormed("whsec_not base64!")).isFalse();
  }
}
