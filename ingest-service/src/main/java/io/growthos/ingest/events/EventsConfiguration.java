package io.growthos.ingest.events;

import io.growthos.core.campaigns.ReferralWatch;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.core.outbox.Outbox;
import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.contacts.ContactLinker;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

/** Wiring of the write path. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class EventsConfiguration {

  @Bean
  IngestJson ingestJson(IngestProperties props) {
    return new IngestJson(props.limits());
  }

  @Bean
  EventParser eventParser(IngestJson json, IngestProperties props) {
    return new EventParser(json, props.limits());
  }

  @Bean
  DedupeWindows dedupeWindows(JdbcTemplate jdbc, IngestProperties props) {
    return new DedupeWindows(jdbc, props.dedupe());
  }

  /**
   * A plain JDBC transaction manager of its own on the pool: the writer's transactions are as cheap
   * as a raw connection's, whatever else the application's transaction manager is made to do.
   */
  @Bean
  EventStore eventStore(
      DataSource dataSource,
      JdbcTemplate jdbc,
      DedupeWindows windows,
      ContactLinker contacts,
      ContactSuppressions suppressions,
      ReferralWatch referrals) {
    TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    return new EventStore(jdbc, tx, windows, contacts, suppressions, new Outbox(jdbc), referrals);
  }

  @Bean
  EventWriter eventWriter(EventStore store, IngestProperties props) {
    return new EventWriter(store, props.writer());
  }

  @Bean
  DedupePurger dedupePurger(JdbcTemplate jdbc, IngestProperties props) {
    return new DedupePurger(jdbc, props.dedupe());
  }

  @Bean
  IngestService ingestService(EventParser parser, EventWriter writer) {
    return new IngestService(parser, writer);
  }
}
