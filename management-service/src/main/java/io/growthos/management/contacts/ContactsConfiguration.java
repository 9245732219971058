package io.growthos.management.contacts;

import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactRulesConfiguration;
import io.growthos.core.contacts.ContactSuppressions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shared contact rules that need the database (growth-core, {@link ContactRulesConfiguration}),
 * wired for the Management API, plus the deletion. Their JdbcTemplate joins the JPA transaction of
 * {@link ContactService}.
 */
@Configuration(proxyBeanMethods = false)
@Import(ContactRulesConfiguration.class)
class ContactsConfiguration {

  @Bean
  ContactDeletion contactDeletion(JdbcTemplate jdbc, ContactSuppressions suppressions) {
    return new ContactDeletion(jdbc, suppressions);
  }
}
