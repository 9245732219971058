package io.growthos.ingest.events;

import io.growthos.ingest.IngestApplication;
import io.growthos.testsupport.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An ingest service of a test's own, on its own database, for tests that change its settings or
 * break its database (the shared one of {@code IngestTestBase} must stay healthy).
 */
record StandaloneIngest(ConfigurableApplicationContext app, int port) implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Starts the service on {@code url} with the bootstrap write key {@code key} and {@code extra}.
   */
  static StandaloneIngest start(TestPostgres pg, String url, String key, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--growthos.ratelimit.enabled=false");
    args.add("--spring.datasource.url=" + url);
    args.add("--spring.datasource.username=" + pg.username());
    args.add("--spring.datasource.password=" + pg.password());
    args.add("--growthos.bootstrap.write-key=" + key);
    args.addAll(List.of(extra));
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(IngestApplication.class).run(args.toArray(String[]::new));
    return new StandaloneIngest(app, ((WebServerApplicationContext) app).getWebServer().getPort());
  }

  /** {@code POST /v1/track} with {@code body} and the key as a bearer token. */
  HttpResponse<String> track(String key, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/track"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    app.close();
  }
}
