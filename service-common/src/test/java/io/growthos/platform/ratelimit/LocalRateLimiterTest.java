package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.plans.Plan;
import io.growthos.platform.ratelimit.RateLimitDecision.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bucket arithmetic of SPEC §2 on the in-process backend, with time moved by hand. */
class LocalRateLimiterTest {

  private final ManualTimeMeter clock = new ManualTimeMeter(0);
  private final LocalRateLimiter limiter = new LocalRateLimiter(1_000, clock);

  static Stream<Arguments> everyPlanOnEveryApi() {
    return Stream.of(Plan.values())
        .flatMap(p -> Stream.of(ServiceApi.values()).map(api -> Arguments.of(p, api)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("everyPlanOnEveryApi")
  void grantsExactlyThePlanLimitWithinOneInstantAndRefusesTheRest(Plan plan, ServiceApi api) {
    int limit = api.requestsPerSecond(plan);
    List<RateLimitDecision> decisions = new ArrayList<>();
    for (int i = 0; i < limit + 7; i++) {
      decisions.add(limiter.tryConsume("key:k:" + limit, limit));
    }
    assertThat(decisions.stream().filter(RateLimitDecision::allowed)).hasSize(limit);
    assertThat(decisions.subList(limit, limit + 7))
        .allSatisfy(d -> assertThat(d.outcome()).isEqualTo(Outcome.REJECTED));
    assertThat(decisions.get(0).remaining()).isEqualTo(limit - 1);
    assertThat(decisions.get(limit - 1).remaining()).isZero();
  }

  @Test
  void refillsOneTokenEveryOneOverLimitSeconds() {
    drain("b", 10);
    clock.advance(Duration.ofMillis(99));
    assertThat(limiter.tryConsume("b", 10).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryConsume("b", 10).allowed()).isTrue();
    assertThat(limiter.tryConsume("b", 10).allowed()).isFalse();
  }

  @Test
  void refusedClientThatWaitsRetryAfterSucceeds() {
    drain("b", 10);
    RateLimitDecision refused = limiter.tryConsume("b", 10);
    assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(refused.retryAfterSeconds()));
    assertThat(limiter.tryConsume("b", 10).allowed()).isTrue();
  }

  @Test
  void emptyBucketIsFullAgainAfterOneSecond() {
    RateLimitDecision last = drain("b", 50);
    assertThat(last.nanosToReset()).isEqualTo(Duration.ofSeconds(1).toNanos());
    clock.advance(Duration.ofSeconds(1));
    assertThat(drain("b", 50).allowed()).isTrue();
    assertThat(limiter.tryConsume("b", 50).allowed()).isFalse();
  }

  @Test
  void aNewLimitIsANewFullBucket() {
    drain("key:k:10", 10);
    assertThat(limiter.tryConsume("key:k:10", 10).allowed()).isFalse();
    assertThat(drain("key:k:50", 50).allowed()).isTrue();
  }

  @Test
  void hasTokensLooksWithoutTaking() {
    assertThat(limiter.hasTokens("b", 2)).isTrue();
    limiter.tryConsume("b", 2);
    assertThat(limiter.hasTokens("b", 2)).isTrue();
    assertThat(limiter.hasTokens("b", 2)).isTrue();
    limiter.tryConsume("b", 2);
    assertThat(limiter.hasTokens("b", 2)).isFalse();
  }

  @Test
  void bucketsAreSeparatePerId() {
    drain("a", 5);
    assertThat(limiter.tryConsume("a", 5).allowed()).isFalse();
    assertThat(limiter.tryConsume("b", 5).allowed()).isTrue();
  }

  /** Takes all {@code limit} tokens; returns the last (allowed) decision. */
  private RateLimitDecision drain(String id, long limit) {
    RateLimitDecision last = null;
    for (int i = 0; i < limit; i++) {
      last = limiter.tryConsume(id, limit);
      assertThat(last.allowed()).isTrue();
    }
    return last;
  }
}
