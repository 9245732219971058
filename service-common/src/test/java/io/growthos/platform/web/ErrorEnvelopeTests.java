package io.growthos.platform.web;

import static io.growthos.testsupport.TestHttp.request;
import static io.growthos.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.platform.testapp.PlatformTestApplication;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every error class leaves as the envelope of SPEC §2 with the request id of its response. */
@SpringBootTest(
    classes = PlatformTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "growthos.ratelimit.enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class ErrorEnvelopeTests {

  @LocalServerPort int port;
  @Autowired JsonMapper json;

  private JsonNode envelope(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("error").path("code").asString()).isEqualTo(code);
    assertThat(body.path("error").path("message").asString()).isNotBlank();
    assertThat(body.path("error").path("details").isArray()).isTrue();
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(body.path("request_id").asString()).isEqualTo(requestId);
    return body;
  }

  private HttpResponse<String> postJson(String path, String body) {
    return send(
        request(port, path)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  @Test
  void unknownRouteIs404WithTheEnvelope() {
    JsonNode body = envelope(send(request(port, "/v1/nope").GET()), 404, "not_found");
    assertThat(body.path("error").path("details").get(0).path("field").asString())
        .isEqualTo("path");
  }

  @Test
  void unknownApiVersionIs404WithTheEnvelope() {
    envelope(send(request(port, "/v2/echo").GET()), 404, "not_found");
  }

  @Test
  void wrongMethodIs405AndSaysWhichAreAllowed() {
    HttpResponse<String> response = send(request(port, "/v1/boom").DELETE());
    envelope(response, 405, "method_not_allowed");
    assertThat(response.headers().firstValue("Allow"))
        .hasValueSatisfying(v -> assertThat(v).contains("GET"));
  }

  @Test
  void unsupportedContentTypeIs415() {
    HttpResponse<String> response =
        send(
            request(port, "/v1/echo")
                .header("Content-Type", "application/xml")
                .POST(BodyPublishers.ofString("<a/>")));
    envelope(response, 415, "unsupported_media_type");
  }

  @Test
  void malformedJsonIs400InvalidJson() {
    envelope(postJson("/v1/echo", "{\"name\": \"x\""), 400, "invalid_json");
  }

  @Test
  void wrongTypeNamesTheField() {
    JsonNode body =
        envelope(
            postJson("/v1/echo", "{\"name\":\"x\",\"count\":\"many\"}"), 400, "validation_error");
    assertThat(body.path("error").path("details").get(0).path("field").asString())
        .isEqualTo("count");
  }

  @Test
  void unknownFieldIsRejectedByName() {
    JsonNode body =
        envelope(postJson("/v1/echo", "{\"name\":\"x\",\"nmae\":\"y\"}"), 400, "validation_error");
    JsonNode detail = body.path("error").path("details").get(0);
    assertThat(detail.path("field").asString()).isEqualTo("nmae");
    assertThat(detail.path("reason").asString()).isEqualTo("unknown_field");
  }

  @Test
  void badEnumValueListsTheAllowedOnes() {
    JsonNode body =
        envelope(
            postJson("/v1/echo", "{\"name\":\"x\",\"color\":\"BLUE\"}"), 400, "validation_error");
    JsonNode detail = body.path("error").path("details").get(0);
    assertThat(detail.path("field").asString()).isEqualTo("color");
    assertThat(body.path("error").path("message").asString()).contains("red", "green");
  }

  @Test
  void missingRequiredFieldIsNamed() {
    JsonNode body = envelope(postJson("/v1/echo", "{\"count\":1}"), 400, "validation_error");
    JsonNode detail = body.path("error").path("details").get(0);
    assertThat(detail.path("field").asString()).isEqualTo("name");
    assertThat(detail.path("reason").asString()).isEqualTo("required");
  }

  @Test
  void wrongQueryParameterTypeNamesTheParameter() {
    JsonNode body =
        envelope(send(request(port, "/v1/echo?page=two").GET()), 400, "validation_error");
    assertThat(body.path("error").path("details").get(0).path("field").asString())
        .isEqualTo("page");
  }

  @Test
  void oversizeBodyIs413BeforeTheHandlerReadsIt() {
    String big = "{\"name\":\"" + "a".repeat(70_000) + "\"}";
    envelope(postJson("/v1/echo", big), 413, "payload_too_large");
  }

  @Test
  void oversizeChunkedBodyIs413WhileReading() {
    byte[] big = ("{\"name\":\"" + "a".repeat(70_000) + "\"}").getBytes();
    HttpResponse<String> response =
        send(
            request(port, "/v1/echo")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    envelope(response, 413, "payload_too_large");
  }

  @Test
  void apiErrorRaisedInAFilterIsTheEnvelope() {
    envelope(
        send(request(port, "/v1/echo").header("X-Test-Fail", "api").GET()), 401, "unauthorized");
  }

  @Test
  void crashInAFilterIs500WithoutInternals() {
    HttpResponse<String> response =
        send(request(port, "/v1/echo").header("X-Test-Fail", "crash").GET());
    envelope(response, 500, "internal_error");
    assertThat(response.body()).doesNotContain("NullPointer", "com.example", "Exception");
  }

  /** Sends bytes no HTTP client library would send, and reads the whole answer. */
  private String raw(String request) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void requestsTomcatRefusesBeforeTheApplicationStillGetTheEnvelope() throws Exception {
    String[] unreadable = {
      "GET /v1/ec|ho HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      "GET /v1/echo HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\nConnection: close\r\n\r\n"
    };
    for (String request : unreadable) {
      String answer = raw(request);
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).containsIgnoringCase("Content-Type: application/json");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      if (answer.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = body.substring(body.indexOf("\r\n") + 2);
      }
      assertThat(body).contains("\"code\":\"validation_error\"", "\"request_id\":\"req_");
      assertThat(body).doesNotContain("<html", "Tomcat");
    }
  }

  @Test
  void unhandledExceptionIs500WithoutStackTraceClassOrSql(CapturedOutput output) {
    HttpResponse<String> response = send(request(port, "/v1/boom").GET());
    envelope(response, 500, "internal_error");
    assertThat(response.body())
        .doesNotContain("select", "internal_table", "IllegalState", "Exception", "at io.");
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(output.getOut()).contains("[" + requestId + "]");
  }

  @ParameterizedTest(name = "SQLSTATE {0}")
  @ValueSource(strings = {"40P01", "40001", "55P03", "23503"})
  void aRaceWithAnotherRequestIs409ConcurrentUpdateToRetry(String state) {
    HttpResponse<String> response = send(request(port, "/v1/database-error?state=" + state).GET());
    JsonNode body = envelope(response, 409, "concurrent_update");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(body.path("error").path("details").get(0).path("field").asString())
        .isEqualTo("request");
    assertThat(response.body()).doesNotContain("secret_table", "SQL", "Exception");
  }

  @Test
  void aUniqueValueTakenByAConcurrentRequestIs409DuplicateResource() {
    HttpResponse<String> response = send(request(port, "/v1/database-error?state=23505").GET());
    envelope(response, 409, "duplicate_resource");
    assertThat(response.body()).doesNotContain("secret_table", "SQL", "Exception");
  }

  @Test
  void aRaceReachingTheHandlerWrappedByJpaInsteadOfSpringIsThe409Too() {
    HttpResponse<String> response =
        send(request(port, "/v1/database-error?state=40P01&wrapped=jpa").GET());
    envelope(response, 409, "concurrent_update");
  }

  @Test
  void anyOtherDatabaseErrorStaysA500WithoutItsSql() {
    HttpResponse<String> response = send(request(port, "/v1/database-error?state=XX000").GET());
    envelope(response, 500, "internal_error");
    assertThat(response.body()).doesNotContain("secret_table", "SQL", "Exception");
  }
}
