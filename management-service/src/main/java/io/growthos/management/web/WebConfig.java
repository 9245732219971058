package io.growthos.management.web;

import io.growthos.management.auth.AuthInterceptor;
import io.growthos.management.auth.CallerArgumentResolver;
import io.growthos.platform.auth.KeyAuthenticator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.module.SimpleModule;

/** Request pipeline of the Management API: authenticate, then reject unknown query parameters. */
@Configuration
@EnableConfigurationProperties(ManagementProperties.class)
class WebConfig implements WebMvcConfigurer {

  private static final Logger log = LoggerFactory.getLogger(WebConfig.class);

  private final KeyAuthenticator authenticator;

  WebConfig(KeyAuthenticator authenticator, ManagementProperties props) {
    this.authenticator = authenticator;
    if (props.usesDevCursorSecret()) {
      log.warn(
          "growthos.management.cursor-secret is the development default: set"
              + " GROWTHOS_MANAGEMENT_CURSOR_SECRET (same value on every copy) in production");
    }
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new AuthInterceptor(authenticator)).addPathPatterns("/v1/**");
    registry.addInterceptor(new StrictQueryParameters()).addPathPatterns("/v1/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }

  @Bean
  SimpleModule timestampsModule() {
    return Timestamps.module();
  }
}
