package io.growthos.platform;

import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.auth.KeyChangeListener;
import io.growthos.platform.bootstrap.BootstrapProperties;
import io.growthos.platform.bootstrap.Bootstrapper;
import io.growthos.platform.lifecycle.ParentProcessWatchdog;
import io.growthos.platform.web.ApiExceptionHandler;
import io.growthos.platform.web.BodySizeLimitFilter;
import io.growthos.platform.web.EnvelopeErrorController;
import io.growthos.platform.web.EnvelopeErrorReportValve;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.FilterOrder;
import io.growthos.platform.web.JsonOnlyConverters;
import io.growthos.platform.web.NoDuplicateKeys;
import io.growthos.platform.web.RequestIdFilter;
import io.growthos.platform.web.StrictJsonTypes;
import io.growthos.platform.web.StrictQueryBooleans;
import io.growthos.platform.web.StrictTextBodies;
import io.growthos.platform.web.WireTimestamps;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * What every GrowthOS service gets by having this module on its classpath. Runs before Boot's error
 * auto-configuration so that its error controller (the envelope) replaces Boot's.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration",
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"
    })
@EnableConfigurationProperties(BootstrapProperties.class)
@Import({
  ApiExceptionHandler.class,
  EnvelopeErrorController.class,
  StrictTextBodies.class,
  StrictQueryBooleans.class
})
public class PlatformAutoConfiguration {

  /** JSON only: no YAML converter (see the class). */
  @Bean
  JsonOnlyConverters jsonOnlyConverters() {
    return new JsonOnlyConverters();
  }

  /** Wrong JSON types are refused, not converted (see the class). */
  @Bean
  StrictJsonTypes strictJsonTypes() {
    return new StrictJsonTypes();
  }

  /** A key given twice in one object is refused (see the class). */
  @Bean
  NoDuplicateKeys noDuplicateKeys() {
    return new NoDuplicateKeys();
  }

  /** Timestamps leave with exactly three fractional digits, from both services (see the class). */
  @Bean
  SimpleModule wireTimestampsModule() {
    return WireTimestamps.module();
  }

  @Bean
  ErrorResponses errorResponses(JsonMapper json) {
    return new ErrorResponses(json);
  }

  @Bean
  FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
    FilterRegistrationBean<RequestIdFilter> reg =
        new FilterRegistrationBean<>(new RequestIdFilter());
    reg.setOrder(FilterOrder.REQUEST_ID);
    reg.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
    return reg;
  }

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
      @Value("${growthos.http.max-body-size:1MB}") DataSize maxBodySize, ErrorResponses errors) {
    FilterRegistrationBean<BodySizeLimitFilter> reg =
        new FilterRegistrationBean<>(new BodySizeLimitFilter(maxBodySize.toBytes(), errors));
    reg.setOrder(FilterOrder.BODY_SIZE);
    return reg;
  }

  /**
   * Runs after Boot's own Tomcat customizer, which installs Tomcat's HTML error report valve, and
   * puts the envelope in its place for requests Tomcat refuses before the application sees them.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> envelopeErrorReportValve(
      JsonMapper json) {
    return new WebServerFactoryCustomizer<>() {
      @Override
      public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                  if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                  }
                }
                host.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
                host.getPipeline().addValve(new EnvelopeErrorReportValve(json));
              }
            });
      }
    };
  }

  @Bean
  KeyAuthenticator keyAuthenticator(
      JdbcTemplate jdbc, @Value("${growthos.auth.cache-ttl:5s}") Duration cacheTtl) {
    return new KeyAuthenticator(jdbc, cacheTtl);
  }

  /**
   * Clears the key cache when a key, an admin key or a plan changes anywhere (see the class), so a
   * revoke applies in every copy of both services at once rather than within the cache TTL.
   */
  @Bean
  KeyChangeListener keyChangeListener(
      ObjectProvider<JdbcConnectionDetails> database, KeyAuthenticator authenticator) {
    JdbcConnectionDetails details = database.getIfAvailable();
    return details == null ? null : new KeyChangeListener(details, authenticator);
  }

  @Bean
  Bootstrapper bootstrapper(BootstrapProperties props, JdbcTemplate jdbc, TransactionTemplate tx) {
    return new Bootstrapper(props, jdbc, tx);
  }

  /**
   * Always defined, watching only when {@code growthos.parent-pid} is set: chosen at run time, not
   * by a condition, which Spring AOT would fix at build time (when no launcher is there).
   */
  @Bean
  ParentProcessWatchdog parentProcessWatchdog(
      @Value("${growthos.parent-pid:0}") long parentPid, ApplicationContext context) {
    return new ParentProcessWatchdog(parentPid, context);
  }
}
