package io.growthos.management.idempotency;

import io.growthos.management.web.WriteRoutes;
import io.growthos.platform.web.ErrorResponses;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@link IdempotencyInterceptor} to every POST, PATCH and DELETE handler of this app, and
 * purges expired records.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class IdempotencyConfig {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyConfig.class);

  // Infrastructure role: picked up by whichever auto-proxy creator Boot registered, with or
  // without AspectJ on the classpath. The advisor is created while the context still registers its
  // post-processors, so it holds providers and builds the interceptor on its first call: anything
  // it resolved earlier (a @Lazy JsonMapper parameter did: the mapper and all of Jackson's
  // configuration) would be created too early for those post-processors, which Spring logged as a
  // warning per bean at every start (LocalStackLifecycleIT checks the logs).
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor idempotencyAdvisor(
      ObjectProvider<IdempotencyStore> store,
      ObjectProvider<JsonMapper> json,
      ObjectProvider<ErrorResponses> errors,
      ObjectProvider<PlatformTransactionManager> transactions) {
    StaticMethodMatcherPointcut pointcut =
        new StaticMethodMatcherPointcut() {
          @Override
          public boolean matches(Method method, Class<?> targetClass) {
            return WriteRoutes.isIdempotentWrite(method, targetClass);
          }
        };
    SingletonSupplier<IdempotencyInterceptor> interceptor =
        SingletonSupplier.of(
            () ->
                new IdempotencyInterceptor(
                    store.getObject(),
                    json.getObject(),
                    errors.getObject(),
                    transactions.getObject()));
    return new DefaultPointcutAdvisor(
        pointcut, (MethodInterceptor) invocation -> interceptor.obtain().invoke(invocation));
  }

  @Bean
  IdempotencyPurger idempotencyPurger(IdempotencyStore store) {
    return new IdempotencyPurger(store);
  }

  /** Deletes records past their 24 h, so the table holds one day of writes. */
  static class IdempotencyPurger {
    private final IdempotencyStore store;

    IdempotencyPurger(IdempotencyStore store) {
      this.store = store;
    }

    @Scheduled(fixedDelayString = "${growthos.management.idempotency-purge-interval:PT10M}")
    void purge() {
      int n = store.purgeExpired();
      if (n > 0) {
        log.info("Purged {} expired idempotency records", n);
      }
    }
  }
}
