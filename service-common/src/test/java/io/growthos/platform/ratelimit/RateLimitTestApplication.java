package io.growthos.platform.ratelimit;

import io.growthos.model.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
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

  @RestController
  static class Routes {

    @GetMapping("/v1/ping")
    Map<String, Object> ping() {
      return Map.of("ok", true);
    }

    /** 401 through the exception handler unless the filter authenticated a key. */
    @GetMapping("/v1/private")
    Map<String, Object> whoAmI(HttpServletRequest request) {
      Object caller = request.getAttribute(RateLimitFilter.AUTHENTICATED_KEY_ATTRIBUTE);
      if (caller == null) {
        throw ApiException.unauthorized("A valid API key is required.");
      }
      return Map.of("key", caller.toString());
    }

    @PostMapping("/v1/echo")
    Echo echo(@RequestBody Echo echo) {
      return echo;
    }

    /** An error raised below Spring MVC: the container dispatches it to /error. */
    @GetMapping("/v1/container-error")
    void containerError(HttpServletResponse response) throws IOException {
      response.sendError(413);
    }
  }
}
