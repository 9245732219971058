package io.growthos.management.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings ({@code growthos.webhooks.*}).
 *
 * @param allowPrivateUrls accept endpoint URLs on loopback and private addresses (and plain http
 *     for them). Off by default: such URLs would let a key holder reach the operator's internal
 *     network. The local stack turns it on.
 * @param dispatcher the delivery worker
 * @param retention how long an event (outbox row) and its delivery log are kept: 30 days, as Stripe
 *     keeps its events; zero keeps them forever ({@link WebhookRetention})
 * @param retentionCheckInterval how often each copy deletes what is past the retention
 */
@ConfigurationProperties("growthos.webhooks")
public record WebhookProperties(
    @DefaultValue("false") boolean allowPrivateUrls,
    @DefaultValue Dispatcher dispatcher,
    @DefaultValue("30d") Duration retention,
    @DefaultValue("1h") Duration retentionCheckInterval) {

  /**
   * @param enabled run the dispatcher in this copy (any number of copies may run it)
   * @param pollInterval pause between two polls when there was nothing to do
   * @param fanOutBatch outbox events fanned out per transaction
   * @param threads deliveries in flight at once in this copy
   * @param perEndpoint deliveries in flight at once per endpoint in this copy: a slow or dead
   *     receiver holds at most this many threads
   * @param lease how long a claimed delivery belongs to the copy that claimed it; a copy that dies
   *     mid-delivery releases it when the lease ends. Longer than connect + request timeout.
   * @param connectTimeout time to open the TCP connection
   * @param requestTimeout time for the rest: the TLS handshake, sending the request and the head
   *     (status and headers) of the receiver's answer
   * @param retrySchedule waits after each failed attempt (Standard Webhooks' schedule); after the
   *     last the delivery is given up
   * @param disableAfter an endpoint whose deliveries failed without a success for this long is
   *     disabled
   * @param previousSecretTtl how long the old secret also signs after a rotation
   */
  public record Dispatcher(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("200ms") Duration pollInterval,
      @DefaultValue("100") int fanOutBatch,
      @DefaultValue("16") int threads,
      @DefaultValue("2") int perEndpoint,
      @DefaultValue("60s") Duration lease,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("15s") Duration requestTimeout,
      @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
      @DefaultValue("3d") Duration disableAfter,
      @DefaultValue("24h") Duration previousSecretTtl) {}
}
