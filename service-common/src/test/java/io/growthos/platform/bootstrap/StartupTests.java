package io.growthos.platform.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.testapp.KeepTheJvmsLogging;
import io.growthos.platform.testapp.PlatformTestApplication;
import io.growthos.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Starting services: empty databases, concurrent starts, restarts, bootstrap from the env. */
@ExtendWith(KeepTheJvmsLogging.class)
class StartupTests {

  private static ConfigurableApplicationContext start(String url, Map<String, Object> extra) {
    TestPostgres pg = TestPostgres.get();
    Map<String, Object> props = new java.util.HashMap<>(extra);
    props.put("spring.datasource.url", url);
    props.put("spring.datasource.username", pg.username());
    props.put("spring.datasource.password", pg.password());
    props.put("server.port", "0");
    props.put("growthos.ratelimit.enabled", "false");
    return new SpringApplicationBuilder(PlatformTestApplication.class).properties(props).run();
  }

  private static Map<String, Object> bootstrap(String write, String secret, String admin) {
    return Map.of(
        "growthos.bootstrap.write-key", write,
        "growthos.bootstrap.secret-key", secret,
        "growthos.bootstrap.admin-key", admin,
        "growthos.bootstrap.plan", "growth");
  }

  @Test
  void twoServicesStartingAtOnceOnAnEmptyDatabaseBothComeUpAndBootstrapOnce() throws Exception {
    String url = TestPostgres.get().newDatabase("concurrent_start");
    Map<String, Object> keys =
        bootstrap(
            ApiKeys.generate(KeyType.WRITE),
            ApiKeys.generate(KeyType.SECRET),
            ApiKeys.generate(KeyType.ADMIN));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    try {
      List<Callable<ConfigurableApplicationContext>> starts = new ArrayList<>();
      starts.add(() -> start(url, keys));
      starts.add(() -> start(url, keys));
      for (Future<ConfigurableApplicationContext> f : pool.invokeAll(starts)) {
        contexts.add(f.get());
      }
      assertThat(contexts).allMatch(ConfigurableApplicationContext::isActive);
      JdbcTemplate jdbc = contexts.get(0).getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select count(*) from workspaces", Integer.class))
          .isEqualTo(1);
      assertThat(jdbc.queryForObject("select plan from workspaces", String.class))
          .isEqualTo("growth");
      assertThat(jdbc.queryForObject("select count(*) from api_keys", Integer.class)).isEqualTo(2);
      assertThat(jdbc.queryForObject("select count(*) from admin_keys", Integer.class))
          .isEqualTo(1);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from flyway_schema_history where not success", Integer.class))
          .isZero();
    } finally {
      contexts.forEach(ConfigurableApplicationContext::close);
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondStartOnAMigratedDatabaseReusesItsDataAndCreatesNothingNew() {
    String url = TestPostgres.get().newDatabase("restart");
    Map<String, Object> keys =
        bootstrap(
            ApiKeys.generate(KeyType.WRITE),
            ApiKeys.generate(KeyType.SECRET),
            ApiKeys.generate(KeyType.ADMIN));
    String workspace;
    try (ConfigurableApplicationContext first = start(url, keys)) {
      workspace =
          first
              .getBean(JdbcTemplate.class)
              .queryForObject("select id from workspaces", String.class);
    }
    try (ConfigurableApplicationContext second = start(url, keys)) {
      JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForList("select id from workspaces", String.class))
          .containsExactly(workspace);
      assertThat(jdbc.queryForObject("select count(*) from api_keys", Integer.class)).isEqualTo(2);
    }
  }

  @Test
  void aMalformedBootstrapKeyStopsStartupWithAClearMessage() {
    String url = TestPostgres.get().newDatabase("bad_bootstrap");
    assertThatThrownBy(
            () -> start(url, Map.of("growthos.bootstrap.secret-key", "gos_sk_tooshort")).close())
        .hasStackTraceContaining("Bootstrap secret key must be 'gos_sk_'");
  }

  @Test
  void aMalformedBootstrapWorkspaceIdStopsStartupNamingTheVariable() {
    String url = TestPostgres.get().newDatabase("bad_workspace_id");
    Map<String, Object> settings =
        new java.util.HashMap<>(
            bootstrap(
                ApiKeys.generate(KeyType.WRITE),
                ApiKeys.generate(KeyType.SECRET),
                ApiKeys.generate(KeyType.ADMIN)));
    settings.put("growthos.bootstrap.workspace-id", "not-an-id");
    assertThatThrownBy(() -> start(url, settings).close())
        .hasStackTraceContaining("GROWTHOS_BOOTSTRAP_WORKSPACE_ID");
  }
}
