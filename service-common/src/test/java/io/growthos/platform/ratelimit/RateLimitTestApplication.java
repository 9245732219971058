package io.growthos.platform.ratelimit;

import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.PublicRoute;
import io.growthos.platform.pipeline.Access;
import io.growthos.platform.pipeline.AccessDeclarations;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;

/**
 * A stand-in service for the rate-limit tests: the real auto-configuration (request ids, error
 * envelope, key authentication, rate limits) in front of a few {@code /v1} routes that succeed or
 * fail in each way a real service can, and a data source that counts its connections.
 */
@SpringBootApplication
class RateLimitTestApplication {

  @Bean
  static BeanPostProcessor countingDataSource() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof DataSource ds && !(bean instanceof CountingDataSource)
            ? new CountingDataSource(ds)
            : bean;
      }
    };
  }

  /** Counts connections taken, i.e. database round trips of a request. */
  static final class CountingDataSource extends DelegatingDataSource {

    final AtomicLong connections = new AtomicLong();

    CountingDataSource(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
      connections.incrementAndGet();
      return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      connections.incrementAndGet();
      return super.getConnection(username, password);
    }
  }

  record Echo(String text) {}

  /** The key type a route of this test service takes. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  @interface Takes {
    KeyType value();
  }

  /** Routes declare their key with {@link Takes}; the service-wide declarations apply too. */
  @Bean
  AccessDeclarations testAccessDeclarations(
      @org.springframework.beans.factory.annotation.Value("${growthos.ratelimit.api}") String api) {
    return new AccessDeclarations() {
      @Override
      public ServiceName service() {
        return api.equals("ingest") ? ServiceName.INGEST : ServiceName.MANAGEMENT;
      }

      @Override
      public Optional<Access> of(HandlerMethod handler) {
        Takes takes = handler.getMethodAnnotation(Takes.class);
        return takes != null
            ? Optional.of(Access.key(takes.value()))
            : AccessDeclarations.common(handler);
      }
    };
  }

  @RestController
  static class Routes {

    @GetMapping("/v1/ping")
    @Takes(KeyType.SECRET)
    Map<String, Object> ping() {
      return Map.of("ok", true);
    }

    @GetMapping("/v1/ping/write")
    @Takes(KeyType.WRITE)
    Map<String, Object> pingWithWriteKey() {
      return Map.of("ok", true);
    }

    @GetMapping("/v1/ping/admin")
    @Takes(KeyType.ADMIN)
    Map<String, Object> pingWithAdminKey() {
      return Map.of("ok", true);
    }

    /** Echoes the key the pipeline authenticated, taken as a handler parameter. */
    @GetMapping("/v1/private")
    @Takes(KeyType.SECRET)
    Map<String, Object> whoAmI(AuthenticatedKey caller) {
      return Map.of("key", caller.keyId());
    }

    @GetMapping("/v1/public")
    @PublicRoute
    Map<String, Object> open() {
      return Map.of("ok", true);
    }

    @PostMapping("/v1/echo")
    @Takes(KeyType.SECRET)
    Echo echo(@RequestBody Echo echo) {
      return echo;
    }

    /** An error raised below Spring MVC: the container dispatches it to /error. */
    @GetMapping("/v1/container-error")
    @Takes(KeyType.SECRET)
    void containerError(HttpServletResponse response) throws IOException {
      response.sendError(413);
    }
  }
}
