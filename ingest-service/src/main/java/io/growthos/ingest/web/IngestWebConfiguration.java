package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.auth.WriteKeyExtractor;
import io.growthos.ingest.auth.WriteKeys;
import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.events.IngestJson;
import io.growthos.model.errors.ApiException;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.ratelimit.PresentedKeyResolver;
import io.growthos.platform.ratelimit.RateLimitAutoConfiguration;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.RequestIds;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.util.List;
import java.util.Optional;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Filters in front of the ingest routes, in this order: CORS; reading and parsing the body (no
 * database work); the rate limiter of service-common, which charges the key found in the header or
 * the body; then the key check; then the controller.
 */
@Configuration(proxyBeanMethods = false)
class IngestWebConfiguration {

  /** After the request-id filter, before everything else (preflights are answered here). */
  static final int CORS_ORDER = RateLimitAutoConfiguration.FILTER_ORDER - 5;

  /** Before the rate limiter, so that it sees a key sent in the body. */
  static final int INGEST_ORDER = RateLimitAutoConfiguration.FILTER_ORDER - 2;

  /** After the rate limiter: refused requests never reach the key lookup. */
  static final int AUTH_ORDER = RateLimitAutoConfiguration.FILTER_ORDER + 5;

  /** The rate limiter charges the write key from the header or, failing that, from the body. */
  @Bean
  PresentedKeyResolver ingestPresentedKeyResolver(WriteKeyExtractor extractor) {
    return request -> {
      try {
        return extractor.presentedKey(request);
      } catch (ApiException malformedHeader) {
        return Optional.empty();
      }
    };
  }

  @Bean
  FilterRegistrationBean<IngestAuthFilter> ingestAuthFilter(
      WriteKeyExtractor extractor, WriteKeys writeKeys, ErrorResponses errors) {
    FilterRegistrationBean<IngestAuthFilter> reg =
        new FilterRegistrationBean<>(new IngestAuthFilter(extractor, writeKeys, errors));
    reg.setOrder(AUTH_ORDER);
    return reg;
  }

  /**
   * Every ingest route reads its body as JSON whether it is sent as application/json or as
   * text/plain (analytics.js, sendBeacon); the routes document the JSON body once and this mirrors
   * it as text/plain in the OpenAPI document.
   */
  @Bean
  OperationCustomizer textPlainRequestBodies() {
    return (operation, handler) -> {
      RequestBody body = operation.getRequestBody();
      if (body != null && body.getContent() != null) {
        io.swagger.v3.oas.models.media.MediaType json = body.getContent().get("application/json");
        if (json != null) {
          body.getContent().addMediaType("text/plain", json);
        }
      }
      return operation;
    };
  }

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
      IngestJson json,
      ErrorResponses errors,
      InFlightBudget budget) {
    IngestRequestFilter filter =
        new IngestRequestFilter(
            IngestRoutes.all(props.benchNoopEndpoint()),
            extractor,
            new BodyReader(props.limits().maxBodySize().toBytes()),
            json,
            errors,
            budget);
    FilterRegistrationBean<IngestRequestFilter> reg = new FilterRegistrationBean<>(filter);
    reg.setOrder(INGEST_ORDER);
    return reg;
  }
}
