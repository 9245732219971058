package io.growthos.ingest.widgets.socialproof;

import com.github.benmanes.caffeine.cache.Ticker;
import io.growthos.core.campaigns.SocialProofFeeds;
import java.time.Clock;
import java.util.concurrent.ForkJoinPool;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SocialProofProperties.class)
class SocialProofWidgetConfiguration {

  @Bean
  WidgetFeeds widgetFeeds(JdbcTemplate jdbc, JsonMapper json, SocialProofProperties properties) {
    return new WidgetFeeds(
        new SocialProofFeeds(jdbc),
        json,
        Clock.systemUTC(),
        properties.cacheTtl(),
        properties.cacheSize(),
        Ticker.systemTicker(),
        ForkJoinPool.commonPool());
  }
}
