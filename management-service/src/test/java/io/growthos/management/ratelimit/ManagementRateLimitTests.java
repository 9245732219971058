package io.growthos.management.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The rate limiter of service-common wired into the real Management API: the plan's management
 * column, headers on successes and on errors of every kind, and a 429 a client can act on.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"growthos.auth.cache-ttl=5s", "growthos.ratelimit.enabled=true"})
class ManagementRateLimitTests extends ApiTestSupport {

  private Tenant freeTenant() {
    Tenant tenant = newTenant();
    jdbc.update("update workspaces set plan = 'free' where id = ?", tenant.workspaceId());
    return tenant;
  }

  @Test
  void successesAndErrorsCarryTheKeysRateLimitHeaders() {
    Tenant tenant = freeTenant();
    String readOnly = newSecretKey(tenant.workspaceId(), "events:read");
    long before = System.currentTimeMillis() / 1000;

    Response list = get("/v1/contacts", tenant.key());
    Response missing = get("/v1/contacts/cntct_00000000000000000000000", tenant.key());
    Response forbidden = get("/v1/contacts", readOnly);

    assertThat(list.status()).isEqualTo(200);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(forbidden.status()).isEqualTo(403);
    for (Response r : List.of(list, missing, forbidden)) {
      assertThat(r.header("X-RateLimit-Limit")).isEqualTo("10");
      assertThat(r.header("X-RateLimit-Remaining")).isNotNull();
      // When the bucket is full again: not before the request (on a loaded machine the
      // assertion may run seconds after the answer, so it compares with the time before).
      assertThat(Long.parseLong(r.header("X-RateLimit-Reset"))).isGreaterThanOrEqualTo(before);
    }
  }

  @Test
  void aFreeSecretKeyIsRefusedPastTenRequestsWithRetryAfter() {
    Tenant tenant = freeTenant();
    List<Response> responses = new ArrayList<>();
    // Until refused: on a slow machine the bucket refills while the burst is answered, so a
    // fixed count of requests may never reach the limit.
    for (int i = 0; i < 60 && responses.stream().noneMatch(r -> r.status() == 429); i++) {
      responses.add(get("/v1/contacts?limit=1", tenant.key()));
    }
    Response refused = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(refused.errorCode()).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
    assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
    // The burst of ten is served before the first refusal (plus what refilled meanwhile).
    assertThat(responses.stream().filter(r -> r.status() == 200).count())
        .isGreaterThanOrEqualTo(10L);
  }

  @Test
  void errorsOfAMatchedRouteDecidedBeforeTheHandlerCarryTheHeadersToo() {
    Tenant tenant = freeTenant();
    String big = "{\"traits\": {\"x\": \"" + "a".repeat(1_100_000) + "\"}}";
    List<Response> refusals =
        List.of(
            // 415 of a body that is not JSON, 406 of an Accept without JSON.
            call("POST", "/v1/contacts", tenant.key(), null, "Content-Type", "text/plain"),
            call("GET", "/v1/contacts", tenant.key(), null, "Accept", "text/html"),
            post("/v1/contacts", tenant.key(), "{not json"),
            get("/v1/contacts?limit=0", tenant.key()),
            get("/v1/contacts?nope=1", tenant.key()),
            get("/v1/contacts", "gos_sk_nope"),
            get("/v1/contacts", null));
    List<Integer> statuses = refusals.stream().map(Response::status).toList();
    assertThat(statuses).doesNotContain(200, 201, 429);
    List<String> without = new ArrayList<>();
    for (Response r : refusals) {
      if (r.header("X-RateLimit-Limit") == null
          || r.header("X-RateLimit-Remaining") == null
          || r.header("X-RateLimit-Reset") == null) {
        without.add(r.status() + " " + r.errorCode());
      }
    }
    assertThat(without).as("refusals without X-RateLimit-* headers").isEmpty();

    // A body whose Content-Length is over the limit is refused before a route is matched, like a
    // non-canonical path (docs/rate-limits.md#headers): not charged, no headers.
    Response tooLarge = post("/v1/contacts", tenant.key(), big);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.header("X-RateLimit-Limit")).isNull();
  }

  @Test
  void aRateLimitedWriteDoesNotClaimItsIdempotencyKey() throws InterruptedException {
    Tenant tenant = freeTenant();
    String body = "{\"email\":\"limited@example.com\"}";
    Response limited = null;
    for (int i = 0; i < 60 && limited == null; i++) {
      Response r = post("/v1/contacts", tenant.key(), body, "Idempotency-Key", "limited");
      if (r.status() == 429) {
        limited = r;
      } else {
        // Spend the bucket with reads; the write above may have gone through (then it replays).
        get("/v1/contacts?limit=1", tenant.key());
      }
    }
    assertThat(limited).as("a write was rate limited").isNotNull();
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    Thread.sleep(Long.parseLong(limited.header("Retry-After")) * 1000 + 200);
    Response retry = post("/v1/contacts", tenant.key(), body, "Idempotency-Key", "limited");
    // Either the first write ran before the limit (a replay of its 201) or none did (a fresh 201):
    // never a replay of the 429.
    assertThat(retry.status()).as(retry.raw()).isEqualTo(201);
  }
}
