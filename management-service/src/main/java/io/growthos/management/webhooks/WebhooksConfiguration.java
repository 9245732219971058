package io.growthos.management.webhooks;

import io.growthos.core.outbox.Outbox;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The outbox writer every feature of this app emits through, and the dispatcher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhooksConfiguration {

  @Bean
  Outbox outbox(JdbcTemplate jdbc) {
    return new Outbox(jdbc);
  }

  @Bean
  WebhookRetention webhookRetention(JdbcTemplate jdbc, WebhookProperties props) {
    return new WebhookRetention(jdbc, props.retention());
  }

  /**
   * Its own JDBC transactions (no EntityManager): its statements are SQL written for the queue, and
   * each transaction is short (a claim, or one outcome).
   */
  @Bean
  WebhookDispatcher webhookDispatcher(
      DataSource dataSource, JdbcTemplate jdbc, WebhookProperties props, JsonMapper json) {
    return new WebhookDispatcher(
        jdbc,
        new TransactionTemplate(new JdbcTransactionManager(dataSource)),
        props.dispatcher(),
        props.allowPrivateUrls(),
        json);
  }
}
