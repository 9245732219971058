package io.growthos.platform.pipeline;

import io.growthos.platform.PlatformAutoConfiguration;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.AuthenticatedKeyArgumentResolver;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.ratelimit.RateLimitAutoConfiguration;
import io.growthos.platform.ratelimit.RateLimitGate;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.FilterOrder;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The request pipeline every service gets: the canonical-path filter first of all, then {@link
 * RequestPipeline} as the first interceptor of Spring MVC, and the {@code AuthenticatedKey} handler
 * parameter.
 */
@AutoConfiguration(after = {PlatformAutoConfiguration.class, RateLimitAutoConfiguration.class})
public class RequestPipelineAutoConfiguration {

  static {
    // A handler parameter filled by the pipeline, not a request parameter of the API.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedKey.class);
  }

  @Bean
  FilterRegistrationBean<CanonicalPathFilter> canonicalPathFilter(ErrorResponses errors) {
    FilterRegistrationBean<CanonicalPathFilter> reg =
        new FilterRegistrationBean<>(new CanonicalPathFilter(errors));
    // After the request id and a service's CORS filters: nothing else runs on a non-canonical
    // path.
    reg.setOrder(FilterOrder.CANONICAL_PATH);
    return reg;
  }

  /** Without rate limits ({@code growthos.ratelimit.enabled=false}) the gate only authenticates. */
  @Bean
  @ConditionalOnMissingBean
  RateLimitGate unlimitedRateLimitGate(KeyAuthenticator authenticator) {
    return RateLimitGate.unlimited(authenticator);
  }

  /** A service that declares none knows only the shared declarations. */
  @Bean
  @ConditionalOnMissingBean
  AccessDeclarations commonAccessDeclarations(
      @Value("${growthos.ratelimit.api:management}") String api) {
    AccessDeclarations.ServiceName name =
        api.equalsIgnoreCase("ingest")
            ? AccessDeclarations.ServiceName.INGEST
            : AccessDeclarations.ServiceName.MANAGEMENT;
    return new AccessDeclarations() {
      @Override
      public ServiceName service() {
        return name;
      }

      @Override
      public java.util.Optional<Access> of(org.springframework.web.method.HandlerMethod handler) {
        return AccessDeclarations.common(handler);
      }
    };
  }

  @Bean
  RequestPipeline requestPipeline(
      AccessDeclarations declarations, RateLimitGate gate, ObjectProvider<BodyKeyReader> bodyKeys) {
    return new RequestPipeline(declarations, gate, bodyKeys.getIfAvailable());
  }

  @Bean
  WebMvcConfigurer requestPipelineConfigurer(RequestPipeline pipeline) {
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(pipeline).order(Ordered.HIGHEST_PRECEDENCE);
      }

      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AuthenticatedKeyArgumentResolver());
      }
    };
  }
}
