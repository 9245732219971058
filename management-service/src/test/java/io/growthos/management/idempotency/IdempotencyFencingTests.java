package io.growthos.management.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Issue 8, finding 4: idempotency claims have an owner, and the stored response commits with the
 * change.
 */
class IdempotencyFencingTests extends ApiTestSupport {

  /** Header that makes the test filter fail after the handler returned and committed. */
  static final String FAIL_AFTER_HANDLER = "X-Test-Fail-After-Handler";

  /**
   * Stands for a crash after the change committed and before the response left: the handler's
   * response is swallowed and the request fails.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class FailAfterHandler {
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> failAfterHandlerFilter() {
      OncePerRequestFilter filter =
          new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(
                HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
              if (request.getHeader(FAIL_AFTER_HANDLER) == null) {
                chain.doFilter(request, response);
                return;
              }
              chain.doFilter(request, new ContentCachingResponseWrapper(response));
              throw new IllegalStateException("simulated crash after the handler");
            }
          };
      FilterRegistrationBean<OncePerRequestFilter> reg = new FilterRegistrationBean<>(filter);
      reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
      return reg;
    }
  }

  @Autowired IdempotencyStore store;

  private long contactsWithEmail(Tenant t, String email) {
    return jdbc.queryForObject(
        "select count(*) from contacts where workspace_id = ? and email = ?",
        Long.class,
        t.workspaceId(),
        email);
  }

  private static final byte[] HASH = new byte[32];

  @Test
  void aTakenOverClaimCannotBeCompletedOrReleasedWithTheOldOwnersToken() {
    Tenant t = newTenant();
    IdempotencyStore.Scope scope =
        new IdempotencyStore.Scope(t.workspaceId(), "key_fence", UUID.randomUUID().toString());
    UUID first = ((IdempotencyStore.Claimed) store.claim(scope, HASH, "POST", "/v1/x")).token();
    assertThat(store.claim(scope, HASH, "POST", "/v1/x"))
        .isInstanceOf(IdempotencyStore.Existing.class);
    // The first owner is still running, but its claim went stale: a second request takes it over.
    jdbc.update(
        "update idempotency_records set created_at = now() - interval '5 minutes'"
            + " where idempotency_key = ?",
        scope.key());
    UUID second = ((IdempotencyStore.Claimed) store.claim(scope, HASH, "POST", "/v1/x")).token();
    assertThat(second).isNotEqualTo(first);

    assertThat(store.complete(scope, first, 201, "{\"owner\":1}", "{}")).isFalse();
    store.release(scope, first);
    assertThat(
            jdbc.queryForObject(
                "select state from idempotency_records where idempotency_key = ?",
                String.class,
                scope.key()))
        .isEqualTo("in_flight");

    assertThat(store.complete(scope, second, 201, "{\"owner\":2}", "{}")).isTrue();
    IdempotencyStore.Existing done =
        (IdempotencyStore.Existing) store.claim(scope, HASH, "POST", "/v1/x");
    assertThat(done.completed()).isTrue();
    assertThat(done.body()).isEqualTo("{\"owner\":2}");
    // A late release by either owner does not give a completed key back.
    store.release(scope, first);
    store.release(scope, second);
    assertThat(store.claim(scope, HASH, "POST", "/v1/x"))
        .isInstanceOf(IdempotencyStore.Existing.class);
  }

  @Test
  void aRequestWhoseClaimWasTakenOverCommitsNothing() {
    Tenant t = newTenant();
    String key = UUID.randomUUID().toString();
    String email = "fenced-" + key + "@example.com";
    // While the handler runs, the claim changes owner (as when it went stale and another copy of
    // the service took it over).
    jdbc.execute(
        """
        create or replace function test_take_over_claim() returns trigger language plpgsql as $$
        begin
          update idempotency_records set owner_token = gen_random_uuid()
           where idempotency_key = '%s';
          return new;
        end $$
        """
            .formatted(key));
    jdbc.execute(
        "create trigger test_take_over_claim after insert on contacts for each row"
            + " when (new.email = '"
            + email
            + "') execute function test_take_over_claim()");
    try {
      Response r =
          post("/v1/contacts", t.key(), "{\"email\":\"" + email + "\"}", "Idempotency-Key", key);

      assertThat(r.status()).isEqualTo(409);
      assertThat(r.errorCode()).isEqualTo("idempotency_key_in_use");
      assertThat(contactsWithEmail(t, email)).isZero();
    } finally {
      jdbc.execute("drop trigger test_take_over_claim on contacts");
      jdbc.execute("drop function test_take_over_claim()");
    }
  }

  @Test
  void aFailureWhileStoringTheResponseRollsTheChangeBackSoTheRetryRunsOnce() {
    Tenant t = newTenant();
    String key = UUID.randomUUID().toString();
    String email = "once-" + key + "@example.com";
    String body = "{\"email\":\"" + email + "\"}";
    // The first attempt to store the response fails (a crash or lost connection at that point).
    jdbc.execute("create sequence test_fail_once_" + key.replace('-', '_'));
    jdbc.execute(
        """
        create or replace function test_fail_complete_once() returns trigger language plpgsql as $$
        begin
          if nextval('test_fail_once_%s') = 1 then
            raise exception 'simulated failure while storing the response';
          end if;
          return new;
        end $$
        """
            .formatted(key.replace('-', '_')));
    jdbc.execute(
        "create trigger test_fail_complete_once before update on idempotency_records"
            + " for each row when (new.state = 'completed' and new.idempotency_key = '"
            + key
            + "') execute function test_fail_complete_once()");
    try {
      Response first = post("/v1/contacts", t.key(), body, "Idempotency-Key", key);
      assertThat(first.status()).isEqualTo(500);
      assertThat(contactsWithEmail(t, email)).isZero();

      Response retry = post("/v1/contacts", t.key(), body, "Idempotency-Key", key);

      assertThat(retry.status()).isEqualTo(201);
      assertThat(retry.header("Idempotent-Replayed")).isNull();
      assertThat(contactsWithEmail(t, email)).isEqualTo(1);
    } finally {
      jdbc.execute("drop trigger test_fail_complete_once on idempotency_records");
      jdbc.execute("drop function test_fail_complete_once()");
      jdbc.execute("drop sequence test_fail_once_" + key.replace('-', '_'));
    }
  }

  @Test
  void aFailureAfterTheChangeCommittedIsAnsweredFromTheStoredResponseOnRetry() {
    Tenant t = newTenant();
    String key = UUID.randomUUID().toString();
    String email = "lost-" + key + "@example.com";
    String body = "{\"email\":\"" + email + "\"}";

    Response lost =
        post("/v1/contacts", t.key(), body, "Idempotency-Key", key, FAIL_AFTER_HANDLER, "1");
    assertThat(lost.status()).isEqualTo(500);
    assertThat(contactsWithEmail(t, email)).isEqualTo(1);

    Response retry = post("/v1/contacts", t.key(), body, "Idempotency-Key", key);

    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.body().get("email").asString()).isEqualTo(email);
    assertThat(contactsWithEmail(t, email)).isEqualTo(1);
  }
}
