package io.growthos.platform.pipeline;

import io.growthos.platform.PlatformAutoConfiguration;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.AuthenticatedKeyArgumentResolver;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.ratelimit.RateLimitAutoConfiguration;
import io.growthos.platform.ratelimit.RateLimitGate;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.FilterOrder;
import io.growthos.platform.web.RouteMethods;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The request pipeline every service gets: the canonical-path filter first of all, then {@link
 * RequestPipeline} as the first interceptor of every Spring MVC handler mapping (the actuator's
 * too), and the {@code AuthenticatedKey} handler parameter.
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
      AccessDeclarations declarations,
      RateLimitGate gate,
      ObjectProvider<BodyKeyReader> bodyKeys,
      ObjectProvider<AbstractWebMvcEndpointHandlerMapping> actuatorMappings,
      ObjectProvider<PathMappedEndpoints> actuatorPaths,
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> routes,
      ErrorResponses errors) {
    return new RequestPipeline(
        declarations,
        gate,
        bodyKeys.getIfAvailable(),
        new ActuatorRoutes(actuatorMappings, actuatorPaths),
        new RouteMethods(routes),
        errors);
  }

  /**
   * The pipeline as a mapped interceptor: every handler mapping of the context picks it up, before
   * the interceptors registered through {@code WebMvcConfigurer}s, the actuator's own mappings
   * included, which take no {@code WebMvcConfigurer} interceptor (registered there, the pipeline
   * never saw an actuator request, and widening the actuator's exposure published {@code env} or
   * {@code beans} on the API port). A separate {@code management.server.port} runs its own child
   * context, which finds this bean too; requests there pass: that port is the operator's.
   */
  @Bean
  MappedInterceptor requestPipelineInterceptor(
      RequestPipeline pipeline, ApplicationContext context) {
    HandlerInterceptor onThisContext =
        new HandlerInterceptor() {
          @Override
          public boolean preHandle(
              HttpServletRequest request, HttpServletResponse response, Object handler)
              throws IOException {
            return RequestContextUtils.findWebApplicationContext(request) != context
                || pipeline.preHandle(request, response, handler);
          }
        };
    return new MappedInterceptor(null, onThisContext);
  }

  @Bean
  WebMvcConfigurer requestPipelineConfigurer() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AuthenticatedKeyArgumentResolver());
      }
    };
  }
}
