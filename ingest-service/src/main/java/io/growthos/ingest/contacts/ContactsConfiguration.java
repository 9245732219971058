package io.growthos.ingest.contacts;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactRulesConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wiring of the Ingest API's contact writes: its fast SQL path ({@link ContactLinker}) over the
 * shared rules ({@link ContactRulesConfiguration}). A {@link ContactChanges} bean, when one is
 * defined (webhooks' outbox), receives every contact change; without one, changes go nowhere.
 */
@Configuration(proxyBeanMethods = false)
@Import(ContactRulesConfiguration.class)
class ContactsConfiguration {

  @Bean
  ContactLinker contactLinker(
      JdbcTemplate jdbc, ContactBackfills backfills, ObjectProvider<ContactChanges> changes) {
    return new ContactLinker(jdbc, backfills, changes.getIfAvailable(() -> ContactChanges.NONE));
  }
}
