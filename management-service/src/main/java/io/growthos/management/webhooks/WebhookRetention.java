package io.growthos.management.webhooks;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes webhook events older than {@code growthos.webhooks.retention}, and their deliveries with
 * them (foreign key), so neither the outbox nor the delivery log grows without bound and a payload
 * (a contact as it was, a survey's answers) is not kept forever. Never an event the dispatcher
 * still owes: one not fanned out yet, or one with a delivery still pending (a disabled endpoint's
 * deliveries wait for it to be enabled again).
 *
 * <p>In batches, oldest first, so no statement holds many locks or runs long. Every management copy
 * runs it; concurrent runs are harmless (a row is deleted once, the other copy skips it).
 */
public class WebhookRetention {

  private static final Logger log = LoggerFactory.getLogger(WebhookRetention.class);

  static final int BATCH = 1000;

  private static final String PURGE =
      """
      delete from webhook_outbox o
       where (o.workspace_id, o.id) in (
             select x.workspace_id, x.id
               from webhook_outbox x
              where x.created_at < now() - make_interval(secs => ?)
                and x.dispatched_at is not null
                and not exists (select 1 from webhook_deliveries d
                                 where d.workspace_id = x.workspace_id and d.event_id = x.id
                                   and d.status = 'pending')
              order by x.created_at
              limit ?
                for update of x skip locked)
      """;

  private final JdbcTemplate jdbc;
  private final Duration retention;

  /**
   * @param retention how long an event and its deliveries are kept; zero or negative keeps them
   *     forever
   */
  public WebhookRetention(JdbcTemplate jdbc, Duration retention) {
    this.jdbc = jdbc;
    this.retention = retention;
  }

  /** Deletes every event past the retention that nothing is owed for; returns how many. */
  public long purgeExpired() {
    if (retention.isZero() || retention.isNegative()) {
      return 0;
    }
    long total = 0;
    int deleted;
    do {
      deleted = jdbc.update(PURGE, retention.toSeconds(), BATCH);
      total += deleted;
    } while (deleted >= BATCH);
    if (total > 0) {
      log.info("Deleted {} webhook events older than {} with their deliveries", total, retention);
    }
    return total;
  }

  @Scheduled(
      fixedDelayString = "${growthos.webhooks.retention-check-interval:1h}",
      initialDelayString = "${growthos.webhooks.retention-check-interval:1h}")
  void scheduledPurge() {
    try {
      purgeExpired();
    } catch (RuntimeException e) {
      log.warn("Webhook retention failed; will retry: {}", e.toString());
    }
  }
}
