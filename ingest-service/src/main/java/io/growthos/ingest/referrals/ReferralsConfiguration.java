package io.growthos.ingest.referrals;

import io.growthos.core.campaigns.ReferralAttribution;
import io.growthos.core.campaigns.ReferralWatch;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wiring of referral attribution. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReferralProperties.class)
class ReferralsConfiguration {

  @Bean
  ReferralWatch referralWatch(JdbcTemplate jdbc) {
    return new ReferralWatch(jdbc);
  }

  @Bean
  ReferralAttribution referralAttribution(
      DataSource dataSource, JdbcTemplate jdbc, ReferralProperties props) {
    return new ReferralAttribution(
        jdbc,
        new TransactionTemplate(new JdbcTransactionManager(dataSource)),
        props.unresolvedRetention(),
        props.maxRetryDelay());
  }

  @Bean
  ReferralWorker referralWorker(
      ReferralAttribution attribution, ReferralWatch watch, ReferralProperties props) {
    return new ReferralWorker(attribution, watch, props);
  }
}
