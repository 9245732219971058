package io.growthos.management.contacts;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shared contact rules that need the database (growth-core), wired for the Management API. Its
 * JdbcTemplate joins the JPA transaction of {@link ContactService}; the back-fill worker runs its
 * chunks in transactions of its own, sharing the queue with every other service copy.
 */
@Configuration(proxyBeanMethods = false)
class ContactsConfiguration {

  @Bean
  ContactSuppressions contactSuppressions(JdbcTemplate jdbc) {
    return new ContactSuppressions(jdbc);
  }

  @Bean
  ContactDeletion contactDeletion(JdbcTemplate jdbc, ContactSuppressions suppressions) {
    return new ContactDeletion(jdbc, suppressions);
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

  @Bean(initMethod = "start", destroyMethod = "stop")
  ContactBackfills.Worker contactBackfillWorker(
      ContactBackfills backfills,
      @Value("${growthos.contacts.backfill.interval-millis:200}") long intervalMillis) {
    return new ContactBackfills.Worker(backfills, intervalMillis);
  }
}
