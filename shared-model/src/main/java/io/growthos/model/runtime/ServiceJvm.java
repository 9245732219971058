package io.growthos.model.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a service JVM is run by the local stack ({@code ./growthos}) and, unless told otherwise, by
 * the benchmarks ({@code bench/run}): the one place of these options, so that what the bench
 * measures is what the launcher runs. See docs/local-stack.md ("Start time and memory") for what
 * each option gives, measured.
 */
public final class ServiceJvm {

  /**
   * Sized for at most 350 MB resident per service under the benchmark load (ingest stays under it;
   * management peaks at 386-400 MiB, docs/local-stack.md "Resident memory"): a bounded heap,
   * metaspace and code cache, smaller thread stacks, and the serial collector, which needs no extra
   * threads or remembered sets. {@code spring.aot.enabled} runs the bean definitions Spring AOT
   * generated at build time (both service jars have them) instead of working them out at start.
   */
  public static final String DEFAULT_OPTIONS =
      "-Xms64m -Xmx256m -Xss512k -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m"
          + " -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dspring.aot.enabled=true";

  /**
   * Environment of the service process: glibc gives each thread that allocates its own 64 MB arena;
   * two bound native memory (RSS).
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private ServiceJvm() {}

  /** {@code options} split at white space, blanks dropped. */
  public static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
