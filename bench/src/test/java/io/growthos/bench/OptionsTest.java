package io.growthos.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.runtime.ServiceJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static final Path ROOT = Path.of("/repo");

  @Test
  void defaultsMatchTheDocumentedCommand() {
    Options o = Options.parse(new String[] {"batch"}, ROOT);

    assertThat(o.scenarios()).containsExactly("batch");
    assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.measure()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.rounds()).isEqualTo(new Interleaved.Rounds(20, 60, 0.05));
    assertThat(o.serviceWarmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.batchSize()).isEqualTo(100);
    assertThat(o.trackConnections()).isEqualTo(64);
    assertThat(o.contacts()).isEqualTo(1_000_000);
    assertThat(o.ingestJar())
        .isEqualTo(Path.of("/repo/ingest-service/target/ingest-service-0.1.0-SNAPSHOT.jar"));
    assertThat(o.results()).isEqualTo(Path.of("/repo/bench/results"));
  }

  @Test
  void expandsGroupsWithoutRepeatingAScenario() {
    Options o = Options.parse(new String[] {"batch", "ingest", "management"}, ROOT);

    assertThat(o.scenarios())
        .containsExactly("batch", "dupes", "track", "pagination", "idempotency");
  }

  @Test
  void trackDbRunsOnlyWhenNamed() {
    assertThat(Options.parse(new String[] {"all"}, ROOT).scenarios()).doesNotContain("track-db");
    assertThat(Options.parse(new String[] {"ingest"}, ROOT).scenarios()).doesNotContain("track-db");
    assertThat(Options.parse(new String[] {"track", "track-db"}, ROOT).scenarios())
        .containsExactly("track", "track-db");
  }

  @Test
  void readsDurationsWithOrWithoutUnits() {
    assertThat(Options.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Options.duration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Options.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Options.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Options.duration("3")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void resolvesJarPathsAgainstTheRepositoryRoot() {
    Options o =
        Options.parse(new String[] {"track", "--ingest-jar", "/elsewhere/ingest.jar"}, ROOT);

    assertThat(o.ingestJar()).isEqualTo(Path.of("/elsewhere/ingest.jar"));
  }

  @Test
  void keepDataIsAFlagWithoutValueAndOffByDefault() {
    assertThat(Options.parse(new String[] {"analytics"}, ROOT).keepData()).isFalse();

    Options o =
        Options.parse(new String[] {"analytics", "--keep-data", "--contacts", "5000"}, ROOT);

    assertThat(o.keepData()).isTrue();
    assertThat(o.contacts()).isEqualTo(5000);
    assertThat(o.scenarios()).containsExactly("analytics");
  }

  @Test
  void servicesRunWithTheLocalStacksJvmOptionsUnlessGivenOthers() {
    Options defaults = Options.parse(new String[] {"track"}, ROOT);
    assertThat(defaults.javaOpts(ServiceJvm.Service.INGEST))
        .isEqualTo(ServiceJvm.split(ServiceJvm.DEFAULT_OPTIONS))
        .contains("-Xmx256m");
    assertThat(defaults.javaOpts(ServiceJvm.Service.MANAGEMENT))
        .isEqualTo(ServiceJvm.split(ServiceJvm.Service.MANAGEMENT.defaultOptions()))
        .contains("-Xmx256m", "-Xmn20m");
    Options given =
        Options.parse(new String[] {"track", "--service-java-opts", " -Xmx1g  -Xss1m "}, ROOT);
    assertThat(given.javaOpts(ServiceJvm.Service.INGEST)).containsExactly("-Xmx1g", "-Xss1m");
    assertThat(given.javaOpts(ServiceJvm.Service.MANAGEMENT)).containsExactly("-Xmx1g", "-Xss1m");
  }

  @Test
  void serverHeapIsAddedAfterTheJvmOptionsSoItsXmxWins() {
    Options o = Options.parse(new String[] {"track", "--server-heap", "1g"}, ROOT);

    assertThat(o.javaOpts(ServiceJvm.Service.INGEST)).contains("-Xmx256m").endsWith("-Xmx1g");
    assertThat(o.javaOpts(ServiceJvm.Service.MANAGEMENT)).contains("-Xmn20m").endsWith("-Xmx1g");
  }

  @Test
  void jfrIsAFlagWithoutValue() {
    Options o = Options.parse(new String[] {"--jfr", "track", "--measure", "5s"}, ROOT);

    assertThat(o.jfr()).isTrue();
    assertThat(o.scenarios()).containsExactly("track");
    assertThat(o.measure()).isEqualTo(Duration.ofSeconds(5));
    assertThat(Options.parse(new String[] {"track"}, ROOT).jfr()).isFalse();
  }

  @Test
  void rejectsUnknownScenariosAndOptions() {
    assertThatThrownBy(() -> Options.parse(new String[] {"nope"}, ROOT))
        .hasMessageContaining("unknown scenario nope");
    assertThatThrownBy(() -> Options.parse(new String[] {"batch", "--fast", "1"}, ROOT))
        .hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> Options.parse(new String[] {"batch", "--connections", "0"}, ROOT))
        .hasMessageContaining("positive integer");
    assertThatThrownBy(() -> Options.parse(new String[] {"batch", "--measure"}, ROOT))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--measure", "0s", "batch"}, ROOT))
        .hasMessageContaining("positive");
  }

  @Test
  void roundsRunFromTheMinimumToTheMaximumUntilPreciseEnough() {
    assertThat(Options.parse(new String[] {"batch", "--rounds", "80"}, ROOT).rounds())
        .isEqualTo(new Interleaved.Rounds(80, 80, 0.05));
    assertThat(
            Options.parse(
                    new String[] {
                      "batch", "--rounds", "5", "--max-rounds", "9", "--precision", "2%"
                    },
                    ROOT)
                .rounds())
        .isEqualTo(new Interleaved.Rounds(5, 9, 0.02));
    assertThat(Options.parse(new String[] {"batch", "--precision", "0"}, ROOT).rounds().precision())
        .isZero();
    assertThatThrownBy(
            () -> Options.parse(new String[] {"batch", "--rounds", "9", "--max-rounds", "5"}, ROOT))
        .hasMessageContaining("--max-rounds must not be below --rounds");
    assertThatThrownBy(() -> Options.parse(new String[] {"batch", "--precision", "150%"}, ROOT))
        .hasMessageContaining("a fraction such as 5% or 0.05");
    assertThatThrownBy(() -> Options.parse(new String[] {"batch", "--precision", "tight"}, ROOT))
        .hasMessageContaining("a fraction such as 5% or 0.05");
  }

  @Test
  void refusesAJdbcUrlOfAnotherDatabase() {
    assertThatThrownBy(
            () -> Options.parse(new String[] {"batch", "--jdbc-url", "jdbc:mysql://x/y"}, ROOT))
        .hasMessageContaining("jdbc:postgresql://");
  }
}
