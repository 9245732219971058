package io.growthos.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.growthos.platform.testapp.KeepTheJvmsLogging;
import io.growthos.platform.testapp.PlatformTestApplication;
import io.growthos.testsupport.TestPostgres;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * A service that cannot use its database stops with a short report naming the URL, the user and the
 * variables to set. Each test starts the application against a real, wrongly configured PostgreSQL
 * address and runs the failure through the analyzers registered in spring.factories, as Spring Boot
 * does when a start fails.
 */
@ExtendWith(KeepTheJvmsLogging.class)
class DatabaseStartFailureTests {

  private static final String PASSWORD = "not-to-be-shown-7f3a";

  private static Map<String, Object> settings(String url, String user) {
    Map<String, Object> props = new HashMap<>();
    props.put("spring.datasource.url", url);
    props.put("spring.datasource.username", user);
    props.put("spring.datasource.password", PASSWORD);
    props.put("server.port", "0");
    props.put("growthos.ratelimit.enabled", "false");
    return props;
  }

  /** Starts the application, which must fail, and returns Spring Boot's report of the failure. */
  private static FailureAnalysis reportOfAFailedStart(Map<String, Object> props) {
    Throwable failure =
        catchThrowable(
            () ->
                new SpringApplicationBuilder(PlatformTestApplication.class)
                    .properties(props)
                    .run()
                    .close());
    assertThat(failure).as("the start fails").isNotNull();
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", props));
    return SpringFactoriesLoader.forDefaultResourceLocation(
            DatabaseStartFailureTests.class.getClassLoader())
        .load(
            FailureAnalyzer.class,
            ArgumentResolver.of(Environment.class, environment),
            // Spring Boot's analyzers that need the failed context's bean factory are skipped.
            FailureHandler.logging(LogFactory.getLog(DatabaseStartFailureTests.class)))
        .stream()
        .map(analyzer -> analyzer.analyze(failure))
        .filter(Objects::nonNull)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no analyzer reported " + failure));
  }

  @Test
  void aDatabaseNobodyListensOnIsReportedWithItsUrlAndTheVariablesToSet() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/growthos";
    FailureAnalysis report = reportOfAFailedStart(settings(url, "growthos"));
    assertThat(report.getDescription())
        .startsWith("GrowthOS could not connect to PostgreSQL at " + url + ": ")
        .contains("refused");
    assertThat(report.getAction()).contains("SPRING_DATASOURCE_URL");
    assertThat(report.getCause()).isInstanceOf(SQLException.class);
    assertThat(report.getDescription() + report.getAction()).doesNotContain(PASSWORD);
  }

  @Test
  void aDatabaseThatDoesNotExistIsReportedAsSuch() {
    String url = TestPostgres.get().jdbcUrl("no_such_database_here");
    FailureAnalysis report = reportOfAFailedStart(settings(url, TestPostgres.get().username()));
    assertThat(report.getDescription())
        .startsWith("PostgreSQL at " + url + " has no such database: ")
        .contains("no_such_database_here");
    assertThat(report.getAction()).contains("Create it");
  }

  @Test
  void aRoleThatMayNotLogInIsReportedWithoutThePassword() {
    String url = TestPostgres.get().jdbcUrl();
    FailureAnalysis report = reportOfAFailedStart(settings(url, "no_such_role_here"));
    assertThat(report.getDescription())
        .startsWith("PostgreSQL at " + url + " refused user 'no_such_role_here': ");
    assertThat(report.getAction()).contains("SPRING_DATASOURCE_PASSWORD");
    assertThat(report.getDescription() + report.getAction()).doesNotContain(PASSWORD);
  }

  @Test
  void aDatabaseErrorThatIsNotAboutConnectingKeepsSpringBootsOwnReport() {
    DatabaseStartFailureAnalyzer analyzer =
        new DatabaseStartFailureAnalyzer(new StandardEnvironment());
    assertThat(analyzer.analyze(new IllegalStateException(new SQLException("no table", "42P01"))))
        .isNull();
  }
}
