package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.platform.ratelimit.RateLimitTestApplication.CountingDataSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rate limits as a client of the Management API sees them, over HTTP, on the in-process backend,
 * against real keys in PostgreSQL.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.api=management",
      "growthos.ratelimit.anonymous-requests-per-second=5",
      "growthos.ratelimit.admin-requests-per-second=30",
      "growthos.ratelimit.key-lookups-per-second=3",
      "growthos.auth.cache-ttl=200ms"
    })
class ManagementRateLimitTest {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;

  private TestKeys keys() {
    return new TestKeys(jdbc);
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Plan.class)
  void grantsEachKeyExactlyItsPlanLimitPerSecond(Plan plan) {
    String key = keys().create(plan, KeyType.SECRET).secret();
    int limit = plan.managementRequestsPerSecond();

    Http.Burst burst = Http.burst(uri("/v1/ping"), Optional.of(key), limit + 10);

    burst.assertLimitedTo(limit);
  }

  @Test
  void keysOfOneWorkspaceDoNotShareABucket() {
    TestKeys.Key first = keys().create(Plan.FREE, KeyType.SECRET);
    String other = keys().create(Plan.FREE, KeyType.SECRET).secret();
    Http.burst(uri("/v1/ping"), Optional.of(first.secret()), 15).assertLimitedTo(10);

    assertThat(Http.get(uri("/v1/ping"), other).statusCode()).isEqualTo(200);
  }

  @Test
  void adminKeysGetTheFixedAdminLimit() {
    String admin = keys().createAdmin();

    Http.burst(uri("/v1/ping/admin"), Optional.of(admin), 40).assertLimitedTo(30);
  }

  @Test
  void successCarriesLimitRemainingAndReset() {
    String key = keys().create(Plan.FREE, KeyType.SECRET).secret();
    long before = Instant.now().getEpochSecond();

    HttpResponse<String> r = Http.get(uri("/v1/ping"), key);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-RateLimit-Limit")).isEqualTo("10");
    assertThat(header(r, "X-RateLimit-Remaining")).isEqualTo("9");
    // One token out of ten is back within 0.1 s: full again within the next second.
    assertThat(Long.parseLong(header(r, "X-RateLimit-Reset"))).isBetween(before, before + 2);
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void everyKindOfErrorResponseCarriesTheHeadersToo() {
    String key = keys().create(Plan.FREE, KeyType.SECRET).secret();
    List<HttpResponse<String>> responses = new ArrayList<>();
    // 400 malformed JSON, through the exception handler
    responses.add(
        Http.send(
            Http.request(uri("/v1/echo"), key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build()));
    // 413 raised below Spring MVC, through the container's /error dispatch
    responses.add(Http.get(uri("/v1/container-error"), key));

    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(400, 413);
    assertThat(responses)
        .allSatisfy(
            r -> {
              assertThat(header(r, "X-RateLimit-Limit")).isEqualTo("10");
              // each took a token; how many came back meanwhile depends on timing
              assertThat(Integer.parseInt(header(r, "X-RateLimit-Remaining"))).isBetween(0, 9);
              assertThat(header(r, "X-RateLimit-Reset")).isNotBlank();
              assertThat(r.body()).contains("\"request_id\"");
            });
  }

  @Test
  void unauthorizedResponseCarriesTheAddressLimit() {
    Http.Raw r = Http.getFrom(Http.freshLoopbackAddress(), port, "/v1/private", Map.of());

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("X-RateLimit-Limit")).isEqualTo("5");
    assertThat(r.header("X-RateLimit-Remaining")).isEqualTo("4");
    assertThat(r.header("X-RateLimit-Reset")).isNotBlank();
  }

  @Test
  void refusalIsA429EnvelopeWithRetryAfterThatIsHonoured() throws InterruptedException {
    String key = keys().create(Plan.FREE, KeyType.SECRET).secret();

    Http.Burst burst = Http.burst(uri("/v1/ping"), Optional.of(key), 15);

    HttpResponse<String> refused =
        burst.responses().stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(refused.body())
        .contains("\"code\":\"rate_limited\"")
        .contains("\"request_id\"")
        .contains("\"field\":\"api_key\"");
    assertThat(header(refused, "X-RateLimit-Limit")).isEqualTo("10");
    assertThat(header(refused, "X-RateLimit-Remaining")).isEqualTo("0");
    long retryAfter = Long.parseLong(header(refused, "Retry-After"));
    assertThat(retryAfter).isGreaterThanOrEqualTo(1);
    assertThat(Long.parseLong(header(refused, "X-RateLimit-Reset")))
        .isGreaterThanOrEqualTo(Instant.now().getEpochSecond());

    Thread.sleep(retryAfter * 1000);

    assertThat(Http.get(uri("/v1/ping"), key).statusCode()).isEqualTo(200);
  }

  @Test
  void planChangeAppliesWithinSecondsWithoutRestart() throws InterruptedException {
    TestKeys.Key key = keys().create(Plan.FREE, KeyType.SECRET);
    Http.burst(uri("/v1/ping"), Optional.of(key.secret()), 15).assertLimitedTo(10);

    keys().changePlan(key.workspaceId(), Plan.GROWTH);
    Thread.sleep(400); // > growthos.auth.cache-ttl

    Http.burst(uri("/v1/ping"), Optional.of(key.secret()), 60).assertLimitedTo(50);

    keys().changePlan(key.workspaceId(), Plan.FREE);
    Thread.sleep(1_100); // cache TTL, and the free bucket refilled since its burst

    Http.burst(uri("/v1/ping"), Optional.of(key.secret()), 15).assertLimitedTo(10);
  }

  @Test
  void requestsWithoutAValidKeyAreLimitedByClientAddress() {
    String address = Http.freshLoopbackAddress();
    String unknownKey = "Bearer " + ApiKeys.generate(KeyType.SECRET);
    List<Http.Raw> responses = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      responses.add(Http.getFrom(address, port, "/v1/private", Map.of()));
      responses.add(
          Http.getFrom(address, port, "/v1/private", Map.of("Authorization", unknownKey)));
    }
    // A forged X-Forwarded-For does not buy a new bucket: the address is the connection's.
    responses.add(
        Http.getFrom(address, port, "/v1/private", Map.of("X-Forwarded-For", "203.0.113.9")));
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;

    long unauthorized = responses.stream().filter(r -> r.status() == 401).count();
    long limited = responses.stream().filter(r -> r.status() == 429).count();
    assertThat(unauthorized).isBetween(5L, 5L + (long) Math.ceil(elapsedSeconds * 5));
    assertThat(unauthorized + limited).isEqualTo(responses.size());
    Http.Raw refused = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(refused.body()).contains("rate_limited").contains("client_address");
    assertThat(refused.header("Retry-After")).isEqualTo("1");

    // Another address is not affected.
    assertThat(Http.getFrom(Http.freshLoopbackAddress(), port, "/v1/private", Map.of()).status())
        .isEqualTo(401);
  }

  @Test
  void guessesFromASpentAddressReachTheDatabaseOnlyWithinTheLookupBudget() {
    CountingDataSource db = (CountingDataSource) dataSource;
    String address = Http.freshLoopbackAddress();
    int refusals = 0;
    int refusalsThatLookedUp = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      // A different well-formed key each time: every one would be a cache miss.
      String guess = "Bearer " + ApiKeys.generate(KeyType.SECRET);
      long before = db.connections.get();
      Http.Raw r = Http.getFrom(address, port, "/v1/private", Map.of("Authorization", guess));
      long used = db.connections.get() - before;
      if (r.status() == 429) {
        refusals++;
        refusalsThatLookedUp += used > 0 ? 1 : 0;
      } else {
        assertThat(r.status()).isEqualTo(401);
      }
    }
    double elapsedSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(refusals).isGreaterThan(0);
    // key-lookups-per-second=3: a burst of 3, then 3 per second, shared by every spent address.
    assertThat(refusalsThatLookedUp).isLessThanOrEqualTo(3 + (int) Math.ceil(elapsedSeconds * 3));
    assertThat(refusalsThatLookedUp).isLessThan(refusals);

    // A valid key over its limit: refused from the cache, no database either.
    String key = keys().create(Plan.FREE, KeyType.SECRET).secret();
    Http.burst(uri("/v1/ping"), Optional.of(key), 12);
    long before = db.connections.get();
    Http.Burst more = Http.burst(uri("/v1/ping"), Optional.of(key), 5);
    if (more.count(200) == 0) {
      assertThat(db.connections.get() - before).isZero();
    }
    // The lookup budget is shared by the whole service (this context's other tests too): leave it
    // full again (burst 3, 3 per second), so no test depends on the order the tests run in.
    sleepQuietly(Duration.ofMillis(1_100));
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void frameworkRoutesAndUnknownRoutesAreNotCharged() {
    assertThat(Http.get(uri("/actuator/health"), null).headers().firstValue("X-RateLimit-Limit"))
        .isEmpty();
    // No handler matched, so no work to bound: a plain 404.
    HttpResponse<String> unknown = Http.get(uri("/v1/no-such-route"), null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("X-RateLimit-Limit")).isEmpty();
  }

  @Test
  void publicRoutesAreChargedToTheAddress() {
    Http.Raw r = Http.getFrom(Http.freshLoopbackAddress(), port, "/v1/public", Map.of());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-RateLimit-Limit")).isEqualTo("5");
  }

  @Test
  void aValidKeyIsServedWhileItsAddressHasSpentItsBudget() {
    String address = Http.freshLoopbackAddress();
    // Spend the address's budget (5 per second) until it is refused; on a slow machine the bucket
    // refills while the first requests are answered, so a fixed count would not be enough.
    int status = 0;
    for (int i = 0; i < 50 && status != 429; i++) {
      status = Http.getFrom(address, port, "/v1/private", Map.of()).status();
    }
    assertThat(status).isEqualTo(429);
    // A neighbour behind the same address with a valid key the cache has not seen yet.
    String key = keys().create(Plan.FREE, KeyType.SECRET).secret();

    Http.Raw r =
        Http.getFrom(address, port, "/v1/private", Map.of("Authorization", "Bearer " + key));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-RateLimit-Limit")).isEqualTo("10");
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }
}
