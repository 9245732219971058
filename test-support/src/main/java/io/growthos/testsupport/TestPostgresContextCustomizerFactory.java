package io.growthos.testsupport;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at {@link TestPostgres}, so that no test chooses or starts a
 * database itself. Registered in {@code META-INF/spring.factories}; a test that sets {@code
 * spring.datasource.url} itself (in {@code @SpringBootTest(properties=...)}) keeps its own.
 */
public class TestPostgresContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return new Customizer();
  }

  private static final class Customizer implements ContextCustomizer {

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration config) {
      boolean own =
          config.getPropertySourceProperties() != null
              && java.util.Arrays.stream(config.getPropertySourceProperties())
                  .anyMatch(p -> p.startsWith("spring.datasource.url"));
      if (own) {
        return;
      }
      TestPostgres pg = TestPostgres.get();
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "growthosTestPostgres",
                  Map.of(
                      "spring.datasource.url", pg.jdbcUrl(),
                      "spring.datasource.username", pg.username(),
                      "spring.datasource.password", pg.password())));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Customizer;
    }

    @Override
    public int hashCode() {
      return Customizer.class.hashCode();
    }
  }
}
