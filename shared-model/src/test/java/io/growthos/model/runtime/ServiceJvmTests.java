package io.growthos.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceJvmTests {

  @Test
  void defaultOptionsTrimTheNativeHeapExactlyWhenThisJvmHasTheOption() {
    boolean has = ServiceJvm.hasVmOption("TrimNativeHeapInterval");
    assertThat(ServiceJvm.DEFAULT_OPTIONS).startsWith(ServiceJvm.BASE_OPTIONS);
    assertThat(ServiceJvm.split(ServiceJvm.DEFAULT_OPTIONS).contains(ServiceJvm.NATIVE_HEAP_TRIM))
        .isEqualTo(has);
  }

  @Test
  void anOptionThisJvmDoesNotHaveIsReportedAsMissing() {
    assertThat(ServiceJvm.hasVmOption("NoSuchOptionInAnyJvm")).isFalse();
    assertThat(ServiceJvm.hasVmOption("MaxMetaspaceSize")).isTrue();
  }

  /**
   * The launcher and the bench start each service with the {@code java} they run on; a JVM that
   * rejects one of the default options would not start at all.
   */
  @Test
  void theJavaThatRunsTheLauncherStartsWithTheDefaultOptions() throws Exception {
    String output = javaWithDefaultOptions("-version");
    assertThat(output).doesNotContain("Unrecognized VM option");
  }

  /** The inlining bounds reach the JVM as set (an option the JVM ignores would not fail above). */
  @Test
  void theDefaultOptionsBoundTheCompilersInlining() throws Exception {
    String flags = javaWithDefaultOptions("-XX:+PrintFlagsFinal", "-version");
    assertThat(flags)
        .containsPattern("intx MaxInlineLevel\\s+= 6\\s")
        .containsPattern("intx InlineSmallCode\\s+= 500\\s")
        .containsPattern("intx FreqInlineSize\\s+= 150\\s");
  }

  /**
   * Management's young generation is fixed at 20 MB; ingest's is left to the collector (a third of
   * the heap), which a fixed size would fill into full collections.
   */
  @Test
  void onlyManagementRunsWithATwentyMegabyteYoungGeneration() throws Exception {
    String management =
        java(ServiceJvm.Service.MANAGEMENT.defaultOptions(), "-XX:+PrintFlagsFinal", "-version");
    assertThat(management)
        .containsPattern("size_t MaxNewSize\\s+= 20971520\\s")
        .containsPattern("size_t NewSize\\s+= 20971520\\s");
    String ingest =
        java(ServiceJvm.Service.INGEST.defaultOptions(), "-XX:+PrintFlagsFinal", "-version");
    assertThat(ingest).doesNotContainPattern("size_t MaxNewSize\\s+= 20971520\\s");
    assertThat(ServiceJvm.Service.INGEST.defaultOptions()).isEqualTo(ServiceJvm.DEFAULT_OPTIONS);
  }

  /**
   * Management's old generation is kept within 10-20 % of what is alive in it; ingest keeps the
   * collector's own ratios (40-70 %).
   */
  @Test
  void onlyManagementKeepsItsOldGenerationCloseToItsLiveSize() throws Exception {
    String management =
        java(ServiceJvm.Service.MANAGEMENT.defaultOptions(), "-XX:+PrintFlagsFinal", "-version");
    assertThat(management)
        .containsPattern("uintx MinHeapFreeRatio\\s+= 10\\s")
        .containsPattern("uintx MaxHeapFreeRatio\\s+= 20\\s");
    String ingest =
        java(ServiceJvm.Service.INGEST.defaultOptions(), "-XX:+PrintFlagsFinal", "-version");
    assertThat(ingest)
        .containsPattern("uintx MinHeapFreeRatio\\s+= 40\\s")
        .containsPattern("uintx MaxHeapFreeRatio\\s+= 70\\s");
  }

  /** Runs this JVM's {@code java} with the default options and environment; its output. */
  private static String javaWithDefaultOptions(String... args) throws Exception {
    return java(ServiceJvm.DEFAULT_OPTIONS, args);
  }

  /** Runs this JVM's {@code java} with {@code options} and the default environment; its output. */
  private static String java(String options, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ServiceJvm.split(options));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(ServiceJvm.ENVIRONMENT);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
