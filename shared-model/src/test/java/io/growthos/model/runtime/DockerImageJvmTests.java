package io.growthos.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker image runs each service with the options {@link ServiceJvm} gives the launcher and the
 * bench: its build writes them with {@link ServiceJvm#main} into an argument file, and its
 * entrypoint passes that file to {@code java} unless {@code GROWTHOS_SERVICE_JAVA_OPTS} replaces
 * it. There is no Docker engine here, so these tests run the Dockerfile's own commands with this
 * machine's {@code java} and {@code sh}, and read the rest of the Dockerfile.
 */
class DockerImageJvmTests {

  private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
  private static final Pattern ENTRYPOINT =
      Pattern.compile("(?m)^ENTRYPOINT \\[\"/bin/sh\", \"-c\", \"(.*)\"\\]$");

  @Test
  void theArgumentFileServiceJvmWritesGivesTheJvmTheServicesOptions(@TempDir Path dir)
      throws Exception {
    Path management = argumentFile(dir, "management-service");
    assertThat(Files.readAllLines(management))
        .containsExactlyElementsOf(ServiceJvm.Service.MANAGEMENT.options(null));

    String flags = run(List.of(java(), "@" + management, "-XX:+PrintFlagsFinal", "-version"));
    assertThat(flags)
        .containsPattern("size_t MaxHeapSize\\s+= 268435456\\s")
        .containsPattern("bool UseSerialGC\\s+= true\\s")
        .containsPattern("size_t NewSize\\s+= 20971520\\s")
        .containsPattern("intx MaxInlineLevel\\s+= 6\\s");
    assertThat(Files.readAllLines(argumentFile(dir, "ingest-service")))
        .containsExactlyElementsOf(ServiceJvm.Service.INGEST.options(null));
  }

  @Test
  void anUnknownServiceIsRefusedNamingTheServices() {
    assertThatThrownBy(() -> ServiceJvm.Service.ofModule("ingest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingest-service")
        .hasMessageContaining("management-service");
  }

  /**
   * The image's build writes the argument file with the command the Dockerfile gives, and its
   * entrypoint passes it to {@code java}; {@code GROWTHOS_SERVICE_JAVA_OPTS} replaces it, as it
   * does for {@code ./growthos}.
   */
  @Test
  void theImagesEntrypointRunsJavaWithTheArgumentFileUnlessTheOptionsAreGiven(@TempDir Path dir)
      throws Exception {
    String dockerfile = Files.readString(DOCKERFILE);
    assertThat(dockerfile)
        .contains(
            "RUN java -cp /tmp/service-jvm.jar io.growthos.model.runtime.ServiceJvm \"${SERVICE}\""
                + " > /app/jvm.options")
        .contains("cp shared-model/target/shared-model-*.jar /service-jvm.jar")
        .doesNotContain("MaxRAMPercentage");
    ServiceJvm.ENVIRONMENT.forEach(
        (name, value) -> assertThat(dockerfile).containsPattern("(?m)^ENV " + name + "=" + value));

    Matcher entrypoint = ENTRYPOINT.matcher(dockerfile);
    assertThat(entrypoint.find()).as("the Dockerfile's ENTRYPOINT").isTrue();
    Path options = argumentFile(dir, "ingest-service");
    String command =
        entrypoint
            .group(1)
            .replace("exec java ", "exec " + java() + " ")
            .replace("/app/jvm.options", options.toString())
            .replace("-jar /app/app.jar", "-XX:+PrintFlagsFinal -version");
    assertThat(command).contains(options.toString()).contains("-version");

    String defaults = run(List.of("/bin/sh", "-c", command));
    assertThat(defaults)
        .containsPattern("size_t MaxHeapSize\\s+= 268435456\\s")
        .containsPattern("bool UseSerialGC\\s+= true\\s");
    String given =
        run(
            List.of("/bin/sh", "-c", command),
            Map.of("GROWTHOS_SERVICE_JAVA_OPTS", "-Xmx512m -XX:+UseParallelGC"));
    assertThat(given)
        .containsPattern("size_t MaxHeapSize\\s+= 536870912\\s")
        .containsPattern("bool UseSerialGC\\s+= false\\s");
  }

  /** What the image's build does: {@code ServiceJvm <module> > file}, run by a new JVM. */
  private static Path argumentFile(Path dir, String module) throws Exception {
    Path file = dir.resolve(module + ".options");
    String out =
        run(
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                ServiceJvm.class.getName(),
                module));
    Files.writeString(file, out);
    return file;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.environment().remove("GROWTHOS_SERVICE_JAVA_OPTS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    return output;
  }
}
