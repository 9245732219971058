package io.growthos.model.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
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
   * management peaks at about 374 MiB with {@link #NATIVE_HEAP_TRIM}, docs/local-stack.md "Native
   * heap trimming"): a bounded heap, metaspace and code cache, smaller thread stacks, and the
   * serial collector, which needs no extra threads or remembered sets. {@code spring.aot.enabled}
   * runs the bean definitions Spring AOT generated at build time (both service jars have them)
   * instead of working them out at start.
   */
  public static final String BASE_OPTIONS =
      "-Xms64m -Xmx256m -Xss512k -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m"
          + " -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dspring.aot.enabled=true";

  /**
   * Gives the C heap back to the system every second ({@code malloc_trim}). The JIT compiler's
   * arenas take 30-55 MB for a few seconds while it compiles the hot paths; glibc keeps what they
   * freed, so without trimming that memory stays resident for the life of the process (management
   * under the benchmark load: 389 MiB at the end of the run without it, 338 MiB with it;
   * docs/local-stack.md "Native heap trimming"). Only JVMs that have the option get it (recent
   * updates of 17 and 21, and 22+; it trims on Linux with glibc): an unknown {@code -XX} option
   * would stop the service from starting.
   */
  static final String NATIVE_HEAP_TRIM = "-XX:TrimNativeHeapInterval=1000";

  /**
   * {@link #BASE_OPTIONS}, plus {@link #NATIVE_HEAP_TRIM} when this JVM has that option: the
   * launcher and the bench run each service with the {@code java} they run on themselves.
   */
  public static final String DEFAULT_OPTIONS =
      BASE_OPTIONS + (hasVmOption("TrimNativeHeapInterval") ? " " + NATIVE_HEAP_TRIM : "");

  /**
   * Environment of the service process: glibc gives each thread that allocates its own 64 MB arena;
   * two bound native memory (RSS).
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private ServiceJvm() {}

  /** Whether the running JVM knows the {@code -XX} option {@code name}. */
  static boolean hasVmOption(String name) {
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException unknown) {
      return false;
    }
  }

  /** {@code options} split at white space, blanks dropped. */
  public static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
