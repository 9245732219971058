package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.testsupport.TestPostgres;
import io.growthos.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several copies of a service on the Redis backend, each a full application on its own port over
 * one database: they enforce one limit together; with Redis gone they fail open or closed as
 * configured.
 */
class SharedRedisRateLimitTest {

  private static final List<ConfigurableApplicationContext> copies = new ArrayList<>();
  private static final String prefix = TestRedis.uniquePrefix("shared");
  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void startTwoCopies() {
    first = start(TestRedis.url().toString(), "open");
    second = start(TestRedis.url().toString(), "open");
  }

  @AfterAll
  static void stopAll() {
    copies.forEach(ConfigurableApplicationContext::close);
  }

  private static ConfigurableApplicationContext start(String redisUrl, String failureMode) {
    TestPostgres pg = TestPostgres.get();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(RateLimitTestApplication.class)
            .properties(
                "server.port=0",
                "spring.datasource.url=" + pg.jdbcUrl(),
                "spring.datasource.username=" + pg.username(),
                "spring.datasource.password=" + pg.password(),
                "growthos.ratelimit.api=management",
                "growthos.ratelimit.backend=redis",
                "growthos.ratelimit.redis.url=" + redisUrl,
                "growthos.ratelimit.redis.key-prefix=" + prefix,
                "growthos.ratelimit.redis.failure-mode=" + failureMode)
            .run();
    copies.add(context);
    return context;
  }

  private static URI ping(ConfigurableApplicationContext copy) {
    return URI.create(
        "http://localhost:" + copy.getEnvironment().getProperty("local.server.port") + "/v1/ping");
  }

  private static String newKey(Plan plan) {
    return new TestKeys(first.getBean(JdbcTemplate.class)).create(plan, KeyType.SECRET).secret();
  }

  @Test
  void twoCopiesEnforceOneSharedLimit() {
    String key = newKey(Plan.FREE);

    Http.Burst burst = Http.burst(List.of(ping(first), ping(second)), Optional.of(key), 30);

    // Each copy receives more than the limit, so with a bucket of its own each would let 10
    // through (20 in all); sharing one bucket, together they let 10 through. Which copy got the
    // tokens is a race and does not matter.
    for (ConfigurableApplicationContext copy : List.of(first, second)) {
      assertThat(burst.responses())
          .filteredOn(r -> r.uri().getPort() == ping(copy).getPort())
          .hasSizeGreaterThan(10);
    }
    burst.assertLimitedTo(10);
  }

  @Test
  void failsOpenWhenRedisIsUnreachable() {
    ConfigurableApplicationContext copy = start("redis://127.0.0.1:1", "open");
    String key = newKey(Plan.FREE);

    Http.Burst burst = Http.burst(List.of(ping(copy)), Optional.of(key), 15);

    assertThat(burst.count(200)).isEqualTo(15);
    assertThat(burst.responses())
        .allSatisfy(r -> assertThat(r.headers().firstValue("X-RateLimit-Limit")).contains("10"));
  }

  @Test
  void failsClosedWithA503WhenRedisIsUnreachable() {
    ConfigurableApplicationContext copy = start("redis://127.0.0.1:1", "closed");
    String key = newKey(Plan.FREE);

    HttpResponse<String> r = Http.get(ping(copy), key);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("\"code\":\"service_unavailable\"");
    assertThat(r.headers().firstValue("Retry-After")).contains("1");
    assertThat(r.headers().firstValue("X-RateLimit-Limit")).isPresent();
  }

  @Test
  void aRedisThatAcceptsButNeverAnswersCostsARequestAtMostItsTimeout() throws Exception {
    // A Redis that hangs (overloaded, a network partition after the handshake): connections are
    // accepted and nothing is ever answered. The docs promise that a check waits at most
    // growthos.ratelimit.redis.timeout (500 ms), then the failure mode applies.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      List<java.net.Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept());
                  } catch (java.io.IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      ConfigurableApplicationContext copy =
          start("redis://127.0.0.1:" + silent.getLocalPort(), "open");
      String key = newKey(Plan.FREE);

      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        HttpResponse<String> r = Http.get(ping(copy), key);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-RateLimit-Limit")).contains("10");
        // The timeout plus the request's own time on a loaded machine.
        assertThat(millis).as("request %d took %d ms", i, millis).isLessThan(2_500);
      }
      copy.close();
      synchronized (held) {
        for (java.net.Socket s : held) {
          s.close();
        }
      }
    }
  }
}
