package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.runtime.ServiceJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  @Test
  void defaultsToDotGrowthosInTheRepositoryAndPorts8081And8082() {
    StackConfig config = StackConfig.fromEnvironment(Map.of("GROWTHOS_HOME", "/repo"));

    assertThat(config.dataDir()).isEqualTo(Path.of("/repo/.growthos"));
    assertThat(config.ingestPort()).isEqualTo(8081);
    assertThat(config.managementPort()).isEqualTo(8082);
    assertThat(config.ingestJvmOptions())
        .isEqualTo(ServiceJvm.split(ServiceJvm.DEFAULT_OPTIONS))
        .contains("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(config.managementJvmOptions())
        .isEqualTo(ServiceJvm.split(ServiceJvm.Service.MANAGEMENT.defaultOptions()))
        .contains("-Xmx256m", "-XX:+UseSerialGC", "-Xmn20m");
    assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void honoursTheEnvironmentOverrides() {
    StackConfig config =
        StackConfig.fromEnvironment(
            Map.of(
                "GROWTHOS_HOME", "/repo",
                "GROWTHOS_DATA_DIR", "/var/lib/growthos/../growthos-dev",
                "GROWTHOS_INGEST_PORT", "9081",
                "GROWTHOS_MANAGEMENT_PORT", "9082",
                "GROWTHOS_SERVICE_JAVA_OPTS", " -Xmx256m  -XX:+UseSerialGC "));

    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/growthos-dev"));
    assertThat(config.ingestPort()).isEqualTo(9081);
    assertThat(config.managementPort()).isEqualTo(9082);
    assertThat(config.ingestJvmOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(config.managementJvmOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
  }

  @Test
  void rejectsAPortThatIsNotAPortNamingTheVariable() {
    assertThatThrownBy(
            () ->
                StackConfig.fromEnvironment(
                    Map.of("GROWTHOS_HOME", "/repo", "GROWTHOS_INGEST_PORT", "80a")))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("GROWTHOS_INGEST_PORT must be a number from 1 to 65535");
  }

  @Test
  void rejectsBothServicesOnOnePort() {
    assertThatThrownBy(
            () ->
                StackConfig.fromEnvironment(
                    Map.of("GROWTHOS_HOME", "/repo", "GROWTHOS_MANAGEMENT_PORT", "8081")))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("both 8081");
  }

  @Test
  void namesTheBuildCommandWhenAServiceJarIsMissing() {
    StackConfig config = StackConfig.fromEnvironment(Map.of("GROWTHOS_HOME", "/nonexistent"));

    assertThatThrownBy(config::ingestJar)
        .isInstanceOf(StackException.class)
        .hasMessageContaining("ingest-service")
        .hasMessageContaining("./mvnw -DskipTests package");
  }
}
