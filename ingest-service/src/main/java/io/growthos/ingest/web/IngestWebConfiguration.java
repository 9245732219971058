package io.growthos.ingest.web;

import io.growthos.ingest.auth.WriteKeyExtractor;
import io.growthos.ingest.auth.WriteKeys;
import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.events.IngestJson;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.RequestIds;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/** Filters in front of the ingest routes: CORS first, then authentication and body reading. */
@Configuration(proxyBeanMethods = false)
class IngestWebConfiguration {

  /** After the request-id filter (HIGHEST_PRECEDENCE), before everything else. */
  static final int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  static final int INGEST_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

  @Bean
  WriteKeyExtractor writeKeyExtractor() {
    return new WriteKeyExtractor();
  }

  @Bean
  WriteKeys writeKeys(KeyAuthenticator authenticator) {
    return new WriteKeys(authenticator);
  }

  /**
   * Any origin may call (write keys are public by design), with the Authorization and Content-Type
   * headers analytics libraries send; preflights are cached for {@code cors.max-age}. Errors
   * written by later filters carry these headers too, so browsers can read them.
   */
  @Bean
  FilterRegistrationBean<CorsFilter> ingestCorsFilter(IngestProperties props) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.addAllowedOriginPattern("*");
    cors.setAllowedMethods(List.of("POST", "OPTIONS"));
    cors.addAllowedHeader("*");
    cors.setExposedHeaders(
        List.of(
            RequestIds.HEADER,
            "Retry-After",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(props.cors().maxAge());
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/v1/**", cors);
    FilterRegistrationBean<CorsFilter> reg = new FilterRegistrationBean<>(new CorsFilter(source));
    reg.setOrder(CORS_ORDER);
    return reg;
  }

  @Bean
  FilterRegistrationBean<IngestRequestFilter> ingestRequestFilter(
      IngestProperties props,
      WriteKeyExtractor extractor,
      WriteKeys writeKeys,
      IngestJson json,
      ErrorResponses errors) {
    IngestRequestFilter filter =
        new IngestRequestFilter(
            IngestRoutes.all(props.benchNoopEndpoint()),
            extractor,
            writeKeys,
            new BodyReader(props.limits().maxBodySize().toBytes()),
            json,
            errors);
    FilterRegistrationBean<IngestRequestFilter> reg = new FilterRegistrationBean<>(filter);
    reg.setOrder(INGEST_ORDER);
    return reg;
  }
}
