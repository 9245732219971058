package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document is checked against what the API really answered: every answer a test class
 * of {@link ApiTestSupport} received from a route ({@code POST /v1/contacts} answered 409) must be
 * a status that route's operation documents, else the class fails after its last test, naming them.
 * {@code OpenApiCompletenessTest} and {@code OpenApiErrorStatusesTest} check what every route (or
 * every write) must document; a status only some handlers answer (a 409 {@code duplicate_resource},
 * a 422 of one business rule) is caught only here, by a test that provokes it. Answers refused
 * before a route was matched (unknown route, 405, non-canonical path, a body over the size limit)
 * are not a route's and are not recorded.
 */
public final class DocumentedAnswers implements BeforeAllCallback, AfterAllCallback {

  /** {@code "POST /v1/contacts 409"}, as the API answered them since the class started. */
  static final Set<String> ANSWERED = ConcurrentHashMap.newKeySet();

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Override
  public void beforeAll(ExtensionContext context) {
    ANSWERED.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Set<String> answered = new TreeSet<>(ANSWERED);
    ANSWERED.clear();
    if (answered.isEmpty()) {
      return;
    }
    ApplicationContext spring = SpringExtension.getApplicationContext(context);
    String port = spring.getEnvironment().getProperty("local.server.port");
    HttpResponse<String> docs =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode paths = JSON.readTree(docs.body()).path("paths");
    List<String> undocumented =
        answered.stream()
            .filter(
                a -> {
                  String[] parts = a.split(" ");
                  return !paths
                      .path(parts[1])
                      .path(parts[0].toLowerCase(Locale.ROOT))
                      .path("responses")
                      .has(parts[2]);
                })
            .toList();
    assertThat(undocumented)
        .as("answers of %s that the OpenAPI document does not list", context.getDisplayName())
        .isEmpty();
  }

  /** Records the status of every answer of a matched {@code /v1} route. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Recorder {
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> documentedAnswersRecorder() {
      FilterRegistrationBean<OncePerRequestFilter> reg =
          new FilterRegistrationBean<>(
              new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(
                    HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                  try {
                    chain.doFilter(request, response);
                  } finally {
                    Object handler =
                        request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
                    Object pattern =
                        request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                    // A CORS preflight is the browser's question, no operation of the document.
                    if (handler instanceof HandlerMethod
                        && pattern instanceof String path
                        && path.startsWith("/v1/")
                        && !CorsUtils.isPreFlightRequest(request)) {
                      // HEAD is GET without the body (RFC 9110 §9.3.2): OpenAPI lists GET only.
                      String method =
                          request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
                      ANSWERED.add(method + " " + path + " " + response.getStatus());
                    }
                  }
                }
              });
      reg.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return reg;
    }
  }
}
