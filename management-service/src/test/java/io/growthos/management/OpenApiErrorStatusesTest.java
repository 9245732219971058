package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.Routes.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The errors the whole API answers are listed on the routes that answer them (docs/security.md):
 * 406 on every route (an {@code Accept} without JSON, refused before the handler runs), 413 and 415
 * on every route that reads a body (larger than {@code growthos.http.max-body-size}; a Content-Type
 * other than JSON, or a wildcard or malformed one) and on no other, 503 on every route (the
 * database unavailable). Provoked over HTTP, each is one the route documents.
 */
class OpenApiErrorStatusesTest extends ApiTestSupport {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void everyRouteListsTheErrorsOfTheWholeApiThatApplyToIt() {
    JsonNode doc = apiDocs();
    for (Route route : Routes.of(mapping)) {
      JsonNode responses =
          doc.path("paths").path(route.path()).path(route.method().toLowerCase()).path("responses");
      String what = route.toString();
      boolean body = false;
      for (MethodParameter p : route.handler().getMethodParameters()) {
        body |= p.hasParameterAnnotation(RequestBody.class);
      }
      for (String status : List.of("406", "503")) {
        assertThat(errorSchema(responses, status)).as("%s %s", what, status).isNotEmpty();
      }
      for (String status : List.of("413", "415")) {
        assertThat(responses.has(status)).as("%s %s", what, status).isEqualTo(body);
        if (body) {
          assertThat(errorSchema(responses, status)).as("%s %s", what, status).isNotEmpty();
        }
      }
    }
  }

  @Test
  void theErrorsProvokedAreDocumented() {
    JsonNode doc = apiDocs();
    Tenant t = newTenant();
    List<String> undocumented = new ArrayList<>();
    // 406: an Accept without JSON, on a read and on a write.
    expect(
        doc,
        "GET",
        "/v1/contacts",
        "/v1/contacts",
        t,
        null,
        406,
        undocumented,
        "Accept",
        "text/html");
    expect(
        doc,
        "POST",
        "/v1/contacts",
        "/v1/contacts",
        t,
        "{}",
        406,
        undocumented,
        "Accept",
        "text/html",
        "Content-Type",
        "application/json");
    // 415: a body that is not JSON, and a wildcard Content-Type.
    expect(
        doc,
        "POST",
        "/v1/contacts",
        "/v1/contacts",
        t,
        "email=a",
        415,
        undocumented,
        "Content-Type",
        "application/x-www-form-urlencoded");
    expect(
        doc,
        "POST",
        "/v1/segments/preview",
        "/v1/segments/preview",
        t,
        "{}",
        415,
        undocumented,
        "Content-Type",
        "application/*");
    expect(
        doc,
        "PATCH",
        "/v1/settings",
        "/v1/settings",
        t,
        "{}",
        415,
        undocumented,
        "Content-Type",
        "text/plain");
    // 413: a body over the limit (1 MB).
    expect(
        doc,
        "POST",
        "/v1/contacts",
        "/v1/contacts",
        t,
        "{\"traits\": {\"x\": \"" + "a".repeat(1_100_000) + "\"}}",
        413,
        undocumented,
        "Content-Type",
        "application/json");
    assertThat(undocumented).isEmpty();
  }

  private void expect(
      JsonNode doc,
      String method,
      String route,
      String path,
      Tenant t,
      String body,
      int status,
      List<String> undocumented,
      String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + t.key())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r;
    try {
      r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
    JsonNode responses = doc.path("paths").path(route).path(method.toLowerCase()).path("responses");
    if (!responses.has(Integer.toString(status))) {
      undocumented.add(method + " " + route + " answered " + status);
    }
  }

  private static String errorSchema(JsonNode responses, String status) {
    return responses
        .path(status)
        .path("content")
        .path("application/json")
        .path("schema")
        .path("$ref")
        .asString("");
  }

  private JsonNode apiDocs() {
    Response r = get("/v3/api-docs", null);
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }
}
