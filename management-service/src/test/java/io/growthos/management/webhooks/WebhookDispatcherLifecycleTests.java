package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a dispatcher leaves running once it has stopped. */
class WebhookDispatcherLifecycleTests {

  /** Live threads of the dispatcher's HTTP clients (HttpClient's idle-connection evictor). */
  private static long clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("idle-connection-evictor"))
        .count();
  }

  @Test
  void aStoppedOrDisabledDispatcherLeavesNoThreadOfAnyHttpClientRunning() throws Exception {
    long before = clientThreads();
    WebhookProperties.Dispatcher props = TestDispatchers.props(true, 2, 1);
    // No database: the loop's polls fail and are logged, which is all this test needs.
    WebhookDispatcher dispatcher =
        new WebhookDispatcher(null, null, props, false, JsonMapper.builder().build());
    dispatcher.start();
    dispatcher.stop();
    dispatcher.start();
    dispatcher.stop();
    // A copy that does not run the dispatcher (dispatcher.enabled=false) makes no client at all.
    WebhookDispatcher off =
        new WebhookDispatcher(
            null,
            null,
            new WebhookProperties.Dispatcher(
                false,
                props.pollInterval(),
                props.fanOutBatch(),
                props.threads(),
                props.perEndpoint(),
                props.lease(),
                props.connectTimeout(),
                props.requestTimeout(),
                props.retrySchedule(),
                props.disableAfter(),
                props.previousSecretTtl()),
            false,
            JsonMapper.builder().build());
    off.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (clientThreads() > before && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(clientThreads()).as("HTTP client threads left running").isEqualTo(before);
  }
}
