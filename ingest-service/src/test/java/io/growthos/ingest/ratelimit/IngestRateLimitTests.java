package io.growthos.ingest.ratelimit;

import static io.growthos.testsupport.TestHttp.request;
import static io.growthos.testsupport.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyRows;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rate limiter of service-common wired into the real Ingest API: keys found in the body (as
 * analytics.js sends them) are charged to the key, and guessed keys to the client address.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "growthos.ratelimit.enabled=true",
      "growthos.ratelimit.anonymous-requests-per-second=20",
      "growthos.ratelimit.browser-requests-per-second-per-address=30",
      // Visitors at addresses of their own: as behind a load balancer (docs/rate-limits.md), the
      // container takes the client address from X-Forwarded-For sent by a trusted proxy (here the
      // test itself, on loopback).
      "server.forward-headers-strategy=native"
    })
class IngestRateLimitTests {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;

  private String freeWriteKey() {
    String workspace = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update("insert into workspaces (id, name, plan) values (?, 'rl', 'free')", workspace);
    String key = ApiKeys.generate(KeyType.WRITE);
    KeyRows.insertApiKey(jdbc, workspace, KeyType.WRITE, "rl", key);
    return key;
  }

  private HttpResponse<String> trackWithBodyKey(String key) {
    return send(
        request(port, "/v1/t")
            .header("Content-Type", "text/plain")
            .header("Origin", "https://shop.example.com")
            .POST(
                BodyPublishers.ofString(
                    "{\"type\":\"track\",\"event\":\"Signed Up\",\"anonymousId\":\"a1\","
                        + "\"writeKey\":\""
                        + key
                        + "\"}")));
  }

  @Test
  void aWriteKeySentInTheBodyIsChargedToItsPlanNotToTheAddress() {
    HttpResponse<String> response = trackWithBodyKey(freeWriteKey());

    assertThat(response.statusCode()).isEqualTo(200);
    // The free plan's ingest limit, not the 20/s of requests without a valid key.
    assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
    assertThat(Long.parseLong(response.headers().firstValue("X-RateLimit-Remaining").get()))
        .isLessThan(100);
  }

  @Test
  void invalidEventsStillCarryTheHeadersOfTheirKey() {
    String key = freeWriteKey();
    HttpResponse<String> bad =
        send(
            request(port, "/v1/track")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"userId\":\"u\"}")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("X-RateLimit-Limit")).contains("100");
    assertThat(bad.headers().firstValue("X-RateLimit-Reset")).isPresent();
  }

  @Test
  void guessedKeysAreRefusedByAddressOnceItsBudgetIsSpent() {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> last = null;
    // 20 a second from one address: on a slow machine tokens come back while we send.
    for (int i = 0; i < 400 && !statuses.contains(429); i++) {
      last = trackWithBodyKey(ApiKeys.generate(KeyType.WRITE));
      statuses.add(last.statusCode());
    }
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses).contains(429);
    HttpResponse<String> refused =
        statuses.get(statuses.size() - 1) == 429 ? last : trackWithBodyKey("gos_wk_x");
    assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("20");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("\"code\":\"rate_limited\"", "client_address");
    // A browser SDK reads the 429 and its Retry-After, not an opaque network error.
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://shop.example.com");
    assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Retry-After");

    // A client that waits Retry-After gets through again, here with a valid key.
    sleepSeconds(Long.parseLong(refused.headers().firstValue("Retry-After").get()));
    assertThat(trackWithBodyKey(freeWriteKey()).statusCode()).isEqualTo(200);
  }

  /** An active waitlist in the workspace of write key {@code key}, with its counter row. */
  private String activeWaitlistOfTheWorkspaceOf(String key) {
    String workspace =
        jdbc.queryForObject(
            "select workspace_id from api_keys where key_hash = ?",
            String.class,
            (Object) ApiKeys.hash(key));
    String campaign = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'waitlist', 'Beta', 'active', '{\"spots_per_referral\": 1}'::jsonb)",
        workspace,
        campaign);
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)",
        workspace,
        campaign);
    return campaign;
  }

  @Test
  void widgetRoutesAreLimitedByTheIngestPlanOfTheirKey() {
    String key = freeWriteKey();
    String campaign = activeWaitlistOfTheWorkspaceOf(key);

    HttpResponse<String> first = widgetInfo(key, campaign);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-RateLimit-Limit")).contains("100");

    // The free plan allows 100 a second: a burst runs out. Sent from 16 threads, since one
    // thread waiting for each answer sends fewer than 100 a second on a loaded machine (a CI run
    // at load average 16 sent 3,000 in 47 s and never ran out); and from five addresses in turn,
    // as five visitors, since one address has 30 a second of its own (below).
    AtomicInteger turn = new AtomicInteger();
    HttpResponse<String> last =
        burstUntilRefused(
            16,
            20_000,
            () -> widgetInfo(key, campaign, "203.0.113." + (1 + turn.getAndIncrement() % 5)));
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.body()).contains("\"code\":\"rate_limited\"");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
    assertThat(last.headers().firstValue("X-RateLimit-Limit")).contains("100");
    assertThat(last.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://shop.example.com");
    assertThat(last.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Retry-After");
  }

  /**
   * Sends from {@code threads} threads until one is answered 429 (returned) or {@code max} were
   * sent (the last answer returned); every answer before must be 200.
   */
  private static HttpResponse<String> burstUntilRefused(
      int threads, int max, Supplier<HttpResponse<String>> call) {
    AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
    AtomicReference<HttpResponse<String>> latest = new AtomicReference<>();
    AtomicInteger sent = new AtomicInteger();
    List<Integer> unexpected = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        senders.add(
            pool.submit(
                () -> {
                  while (refused.get() == null && sent.incrementAndGet() <= max) {
                    HttpResponse<String> answer = call.get();
                    latest.set(answer);
                    if (answer.statusCode() == 429) {
                      refused.compareAndSet(null, answer);
                    } else if (answer.statusCode() != 200) {
                      unexpected.add(answer.statusCode());
                    }
                  }
                }));
      }
      for (Future<?> sender : senders) {
        sender.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    assertThat(unexpected).as("statuses other than 200 and 429").isEmpty();
    return refused.get() != null ? refused.get() : latest.get();
  }

  private HttpResponse<String> widgetInfo(String key, String campaign) {
    return send(
        request(port, "/v1/widgets/campaigns/" + campaign)
            .header("Authorization", "Bearer " + key)
            .header("Origin", "https://shop.example.com")
            .GET());
  }

  /** From a visitor at {@code address}, as a trusted proxy forwards it. */
  private HttpResponse<String> widgetInfo(String key, String campaign, String address) {
    return send(
        request(port, "/v1/widgets/campaigns/" + campaign)
            .header("Authorization", "Bearer " + key)
            .header("Origin", "https://shop.example.com")
            .header("X-Forwarded-For", address)
            .GET());
  }

  /**
   * The widget routes are called by every visitor's browser with the page's public write key. One
   * address holding that key could spend the key's whole budget, and every visitor's widgets were
   * 429 until it refilled (a black-box review, 2026-12-07). Now a key's widget calls have a bucket
   * of their own, which tracking calls do not touch, and one address gets 30 a second of it here
   * (browser-requests-per-second-per-address), so other visitors' widgets still answer.
   */
  @Test
  void oneAddressCannotSpendEveryVisitorsWidgetBudgetNorTrackingCallsAnyOfIt() {
    String key = freeWriteKey();
    String campaign = activeWaitlistOfTheWorkspaceOf(key);

    HttpResponse<String> tracked =
        burstUntilRefused(
            16,
            20_000,
            () ->
                send(
                    request(port, "/v1/track")
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString("{\"event\":\"E\",\"anonymousId\":\"a\"}"))));
    assertThat(tracked.statusCode()).as("the key's tracking budget is spent").isEqualTo(429);
    HttpResponse<String> widget = widgetInfo(key, campaign, "203.0.113.11");
    assertThat(widget.statusCode()).as(widget.body()).isEqualTo(200);
    assertThat(widget.headers().firstValue("X-RateLimit-Limit")).contains("100");
    // Its own bucket, untouched by the tracking calls: a token back in the tracking bucket after
    // the 429 would also answer 200, but with next to nothing remaining.
    assertThat(Long.parseLong(widget.headers().firstValue("X-RateLimit-Remaining").orElseThrow()))
        .isGreaterThan(50);

    HttpResponse<String> flood =
        burstUntilRefused(16, 20_000, () -> widgetInfo(key, campaign, "203.0.113.12"));
    assertThat(flood.statusCode()).isEqualTo(429);
    assertThat(flood.headers().firstValue("X-RateLimit-Limit")).contains("30");
    assertThat(flood.body()).contains("\"field\":\"client_address\"");
    HttpResponse<String> visitor = widgetInfo(key, campaign, "203.0.113.13");
    assertThat(visitor.statusCode()).as("another visitor's widgets").isEqualTo(200);
  }

  private static void sleepSeconds(long seconds) {
    try {
      Thread.sleep(seconds * 1000 + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refusalsOfARouteCarryTheHeadersOfTheirKey() {
    String key = freeWriteKey();
    String campaign = activeWaitlistOfTheWorkspaceOf(key);
    String join = "/v1/widgets/campaigns/" + campaign + "/participants";
    List<HttpResponse<String>> refusals =
        List.of(
            send(
                request(port, "/v1/track")
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Encoding", "br")
                    .POST(BodyPublishers.ofString("{}"))),
            send(
                request(port, "/v1/track")
                    .header("Authorization", "Bearer " + key)
                    .POST(BodyPublishers.ofString("{not json"))),
            send(
                request(port, "/v1/batch")
                    .header("Authorization", "Bearer " + key)
                    .POST(
                        BodyPublishers.ofString(
                            "{\"batch\":[],\"pad\":\"" + "x".repeat(600_000) + "\"}"))),
            send(
                request(port, join)
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"email\":\"nope\"}"))),
            send(
                request(port, "/v1/widgets/campaigns/cmp_doesnotexist000000")
                    .header("Authorization", "Bearer " + key)
                    .GET()));
    List<String> without = new ArrayList<>();
    for (HttpResponse<String> r : refusals) {
      assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
      if (r.headers().firstValue("X-RateLimit-Limit").isEmpty()
          || r.headers().firstValue("X-RateLimit-Remaining").isEmpty()
          || r.headers().firstValue("X-RateLimit-Reset").isEmpty()) {
        without.add(r.statusCode() + " " + r.uri().getPath());
      }
    }
    assertThat(without).as("refusals without X-RateLimit-* headers").isEmpty();

    // A widget body that is not application/json is refused when Spring matches the route (its
    // consumes), before the pipeline: not charged, no headers (docs/rate-limits.md#headers).
    HttpResponse<String> notJson =
        send(
            request(port, join)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("{\"email\":\"a@example.com\"}")));
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(notJson.headers().firstValue("X-RateLimit-Limit")).isEmpty();
  }
}
