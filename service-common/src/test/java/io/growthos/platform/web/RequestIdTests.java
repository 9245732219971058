package io.growthos.platform.web;

import static io.growthos.testsupport.TestHttp.request;
import static io.growthos.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.testapp.PlatformTestApplication;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "growthos.ratelimit.enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTests {

  @LocalServerPort int port;

  @Test
  void everyResponseCarriesAGeneratedRequestId() {
    HttpResponse<String> ok = send(request(port, "/v1/echo").GET());
    HttpResponse<String> notFound = send(request(port, "/v1/nope").GET());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(id -> assertThat(id).matches("req_[0-9A-Za-z]{23}"));
    assertThat(notFound.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(ok.headers().firstValue("X-Request-Id"))
        .isNotEqualTo(notFound.headers().firstValue("X-Request-Id"));
  }

  @Test
  void aSaneIncomingRequestIdIsKept(CapturedOutput output) {
    HttpResponse<String> response =
        send(
            request(port, "/v1/echo")
                .header("X-Request-Id", "client-7f3a.9")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"kept\"}")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-Id")).contains("client-7f3a.9");
    assertThat(output.getOut()).containsPattern("\\[client-7f3a\\.9\\].*echoing kept");
  }

  @Test
  void anIncomingRequestIdOfOddFormIsReplaced() {
    HttpResponse<String> response =
        send(request(port, "/v1/nope").header("X-Request-Id", "x".repeat(300)).GET());
    assertThat(response.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(response.body()).contains(response.headers().firstValue("X-Request-Id").get());
  }
}
