package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * SPEC §2: an error's request id is in the server log line of that request. The line names the
 * status and code, never what the client sent.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorLogLineTests extends ApiTestSupport {

  @Test
  void anErrorAnswerLeavesALogLineWithItsRequestIdAndNoneOfTheClientsText(CapturedOutput output) {
    Tenant t = newTenant();
    Response r = post("/v1/contacts", t.key(), "{\"email\":\"secret-address\"}");
    assertThat(r.status()).isEqualTo(400);
    String id = r.body().path("request_id").asString();

    assertThat(output.getOut())
        .containsPattern("\\[" + id + "\\].*POST /v1/contacts answered 400 validation_error");
    assertThat(output.getOut()).doesNotContain("secret-address");
  }
}
