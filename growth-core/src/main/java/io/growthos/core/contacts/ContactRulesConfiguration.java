package io.growthos.core.contacts;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The contact rules that need the database, wired once for both services (each imports this class
 * into its own contacts configuration): suppressions, and the history back-fill with its worker and
 * its two settings.
 *
 * <p>A {@link ContactChanges} bean, when the service defines one (its webhooks' outbox), receives
 * every change the back-fill makes; without one, changes go nowhere. The back-fill runs its chunks
 * in transactions of its own, sharing the queue with every other service copy.
 */
@Configuration(proxyBeanMethods = false)
public class ContactRulesConfiguration {

  @Bean
  ContactSuppressions contactSuppressions(JdbcTemplate jdbc) {
    return new ContactSuppressions(jdbc);
  }

  /**
   * @param chunkSize events linked per back-fill transaction ({@code
   *     growthos.contacts.backfill.chunk-size})
   */
  @Bean
  ContactBackfills contactBackfills(
      DataSource dataSource,
      JdbcTemplate jdbc,
      ObjectProvider<ContactChanges> changes,
      @Value("${growthos.contacts.backfill.chunk-size:1000}") int chunkSize) {
    TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    return new ContactBackfills(
        jdbc, tx, changes.getIfAvailable(() -> ContactChanges.NONE), chunkSize);
  }

  /**
   * @param intervalMillis how often the worker runs the queue until it is empty ({@code
   *     growthos.contacts.backfill.interval-millis})
   */
  @Bean(initMethod = "start", destroyMethod = "stop")
  ContactBackfills.Worker contactBackfillWorker(
      ContactBackfills backfills,
      @Value("${growthos.contacts.backfill.interval-millis:200}") long intervalMillis) {
    return new ContactBackfills.Worker(backfills, intervalMillis);
  }
}
