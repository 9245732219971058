package io.growthos.platform.testapp;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.platform.auth.PublicRoute;
import jakarta.persistence.PersistenceException;
import jakarta.servlet.Filter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal service with the platform auto-configuration, to test what both real services get from
 * service-common without depending on either.
 */
@SpringBootApplication
public class PlatformTestApplication {

  private static final Logger log = LoggerFactory.getLogger(PlatformTestApplication.class);

  enum Color {
    RED,
    GREEN
  }

  record EchoRequest(@NotBlank String name, Integer count, Color color) {}

  @RestController
  @PublicRoute
  static class EchoController {

    @PostMapping(path = "/v1/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
    EchoRequest echo(@Valid @RequestBody EchoRequest body) {
      log.info("echoing {}", body.name());
      return body;
    }

    @GetMapping("/v1/echo")
    String page(@RequestParam(defaultValue = "1") int page) {
      return "{\"page\":" + page + "}";
    }

    /** 32 MB: more than the socket buffers hold, so writing it fails once the client hangs up. */
    @GetMapping(path = "/v1/large", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    byte[] large() {
      return new byte[32 << 20];
    }

    @GetMapping("/v1/boom")
    String boom() {
      throw new IllegalStateException("select secret_column from internal_table");
    }
  }

  /**
   * Raises a real PostgreSQL error with the SQLSTATE asked for, through JDBC and Spring's exception
   * translation, the way a handler that lost a race with another request sees it; {@code
   * wrapped=jpa} rethrows it wrapped as JPA does outside a repository.
   */
  @RestController
  @PublicRoute
  static class DatabaseErrorController {

    private final JdbcTemplate jdbc;

    DatabaseErrorController(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @GetMapping("/v1/database-error")
    String fail(@RequestParam String state, @RequestParam(defaultValue = "") String wrapped) {
      if (!state.matches("[0-9A-Z]{5}")) {
        throw ApiException.invalid("state", "invalid_value", "A SQLSTATE is five characters.");
      }
      try {
        jdbc.execute(
            "do $$ begin raise exception 'test failure in secret_table' using errcode = '"
                + state
                + "'; end $$");
      } catch (DataAccessException e) {
        if (wrapped.equals("jpa")) {
          throw new PersistenceException("could not execute statement", e.getCause());
        }
        throw e;
      }
      return "{}";
    }
  }

  /** Fails before any handler, the way an auth or rate-limit filter can. */
  @Bean
  FilterRegistrationBean<Filter> failingFilter() {
    Filter filter =
        (request, response, chain) -> {
          String mode =
              ((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Test-Fail");
          if ("api".equals(mode)) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "Filter says no.");
          }
          if ("crash".equals(mode)) {
            throw new IllegalStateException("NullPointerException at com.example.Secret");
          }
          chain.doFilter(request, response);
        };
    FilterRegistrationBean<Filter> reg = new FilterRegistrationBean<>(filter);
    reg.setOrder(100);
    return reg;
  }
}
