package io.growthos.management.webhooks;

import java.time.Duration;
import java.util.List;

/** Dispatcher settings for tests that build a {@link WebhookDispatcher} by hand. */
final class TestDispatchers {

  private TestDispatchers() {}

  /**
   * Short timeouts (connect 1 s, request 2 s, one retry after 5 s), the other settings as
   * configured by default except {@code enabled}, {@code threads} and {@code perEndpoint}.
   */
  static WebhookProperties.Dispatcher props(boolean enabled, int threads, int perEndpoint) {
    return new WebhookProperties.Dispatcher(
        enabled,
        Duration.ofMillis(200),
        100,
        threads,
        perEndpoint,
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        List.of(Duration.ofSeconds(5)),
        Duration.ofDays(3),
        Duration.ofHours(24));
  }
}
