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
   * Options of both services, sized so that each stays under 350 MB resident under the benchmark
   * load (with {@link #MANAGEMENT_OPTIONS} for management): a bounded heap, metaspace and code
   * cache, smaller thread stacks, and the serial collector, which needs no extra threads or
   * remembered sets. {@code spring.aot.enabled} runs the bean definitions Spring AOT generated at
   * build time (both service jars have them) instead of working them out at start.
   */
  public static final String DEFAULT_OPTIONS =
      "-Xms64m -Xmx256m -Xss512k -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m"
          + " -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dspring.aot.enabled=true";

  /**
   * Environment of the service process: glibc gives each thread that allocates its own 64 MB arena;
   * two bound native memory (RSS).
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /**
   * Added to {@link #DEFAULT_OPTIONS} for the management service: the C1 compiler only. Measured
   * under {@code bench/run pagination idempotency} (docs/local-stack.md, "Resident memory"): peak
   * RSS 307 MiB instead of 386-400 MiB (C2's compiled code and its compilations' memory), start CPU
   * about halved, benchmark ratios unchanged. Its requests wait on PostgreSQL (CRUD, segments,
   * analytics, webhooks) far more than they compute; ingest keeps C2 (its throughput is the
   * product).
   */
  public static final String MANAGEMENT_OPTIONS = "-XX:TieredStopAtLevel=1";

  private ServiceJvm() {}

  /** The default options of service {@code ingest} or {@code management}. */
  public static List<String> defaults(String service) {
    return java.util.stream.Stream.concat(split(DEFAULT_OPTIONS).stream(), extras(service).stream())
        .toList();
  }

  /** What service {@code ingest} or {@code management} adds to {@link #DEFAULT_OPTIONS}. */
  public static List<String> extras(String service) {
    return switch (service) {
      case "management", "management-service" -> split(MANAGEMENT_OPTIONS);
      case "ingest", "ingest-service" -> List.of();
      default -> throw new IllegalArgumentException("no service " + service);
    };
  }

  /** {@code options} split at white space, blanks dropped. */
  public static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
