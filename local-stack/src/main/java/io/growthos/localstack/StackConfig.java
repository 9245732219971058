package io.growthos.localstack;

import io.growthos.model.runtime.ServiceJvm;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a local stack is made of, read from the environment {@code ./growthos} runs in.
 *
 * @param home the repository root, holding the service jars ({@code GROWTHOS_HOME}, set by the
 *     script)
 * @param dataDir where PostgreSQL data, credentials, logs and pid files live ({@code
 *     GROWTHOS_DATA_DIR}, default {@code <home>/.growthos})
 * @param ingestPort {@code GROWTHOS_INGEST_PORT}, default 8081
 * @param managementPort {@code GROWTHOS_MANAGEMENT_PORT}, default 8082
 * @param ingestJvmOptions JVM options of the ingest service ({@code GROWTHOS_SERVICE_JAVA_OPTS}, by
 *     default {@link ServiceJvm.Service#defaultOptions})
 * @param managementJvmOptions JVM options of the management service (the same variable sets both)
 * @param startTimeout how long both services get to report healthy ({@code GROWTHOS_START_TIMEOUT},
 *     seconds)
 */
record StackConfig(
    Path home,
    Path dataDir,
    int ingestPort,
    int managementPort,
    List<String> ingestJvmOptions,
    List<String> managementJvmOptions,
    Duration startTimeout) {

  static StackConfig fromEnvironment(Map<String, String> env) {
    Path home =
        Path.of(env.getOrDefault("GROWTHOS_HOME", System.getProperty("user.dir")))
            .toAbsolutePath()
            .normalize();
    String data = env.get("GROWTHOS_DATA_DIR");
    Path dataDir =
        (data == null || data.isBlank() ? home.resolve(".growthos") : Path.of(data))
            .toAbsolutePath()
            .normalize();
    int ingestPort = port(env, "GROWTHOS_INGEST_PORT", 8081);
    int managementPort = port(env, "GROWTHOS_MANAGEMENT_PORT", 8082);
    if (ingestPort == managementPort) {
      throw new StackException(
          "GROWTHOS_INGEST_PORT and GROWTHOS_MANAGEMENT_PORT are both " + ingestPort);
    }
    // Owned by ServiceJvm, so that the benchmarks run the services the same way by default.
    String given = env.get("GROWTHOS_SERVICE_JAVA_OPTS");
    long timeout = number(env, "GROWTHOS_START_TIMEOUT", 300, 1, 3600);
    return new StackConfig(
        home,
        dataDir,
        ingestPort,
        managementPort,
        ServiceJvm.Service.INGEST.options(given),
        ServiceJvm.Service.MANAGEMENT.options(given),
        Duration.ofSeconds(timeout));
  }

  StackFiles files() {
    return new StackFiles(dataDir);
  }

  Path ingestJar() {
    return serviceJar("ingest-service");
  }

  Path managementJar() {
    return serviceJar("management-service");
  }

  /** The executable jar Maven built for {@code module}, whatever the project version. */
  private Path serviceJar(String module) {
    Path target = home.resolve(module).resolve("target");
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> found = Files.newDirectoryStream(target, module + "-*.jar")) {
        found.forEach(jars::add);
      } catch (IOException e) {
        throw new StackException("cannot list " + target + ": " + e.getMessage());
      }
    }
    jars.removeIf(p -> p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"));
    if (jars.size() != 1) {
      throw new StackException(
          "expected one "
              + module
              + " jar in "
              + target
              + ", found "
              + jars.size()
              + "; build with ./mvnw -DskipTests package (./growthos start does it for you)");
    }
    return jars.get(0);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return (int) number(env, name, fallback, 1, 65535);
  }

  private static long number(
      Map<String, String> env, String name, long fallback, long min, long max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new StackException(
        name + " must be a number from " + min + " to " + max + ", got '" + raw + "'");
  }
}
