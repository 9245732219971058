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
   * Inlines less deep (6 levels instead of 15) and smaller methods (hot callees up to 150 bytecodes
   * instead of 325; callees already compiled to at most 500 bytes of code instead of 2,500). The C2
   * compiler's memory while it compiles a method grows with what it inlines into it, and that
   * memory, 30-55 MB at the peak, is most of what the services' resident memory rises by under
   * load. Measured (docs/local-stack.md "Smaller C2 compilations"): management's peak 340-353 MiB
   * against 367-386 MiB without, ingest's 304 against 321 MiB, with no throughput lost in the
   * benchmark scenarios of either service. All three are product options of every JDK since 9.
   */
  static final String SMALLER_COMPILATIONS =
      "-XX:MaxInlineLevel=6 -XX:InlineSmallCode=500 -XX:FreqInlineSize=150";

  /**
   * Sized for at most 350 MB resident per service under the benchmark load (peaks of 2026-12-06:
   * ingest 242-244 MiB; management 318-321 MiB with its {@link Service#own} options;
   * docs/local-stack.md): a bounded heap, metaspace and code cache, smaller thread stacks, and the
   * serial collector, which needs no extra threads or remembered sets. {@code spring.aot.enabled}
   * runs the bean definitions Spring AOT generated at build time (both service jars have them)
   * instead of working them out at start. {@link #SMALLER_COMPILATIONS} bounds the C2 compiler's
   * inlining.
   */
  public static final String BASE_OPTIONS =
      "-Xms64m -Xmx256m -Xss512k -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m"
          + " -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dspring.aot.enabled=true "
          + SMALLER_COMPILATIONS;

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
   * launcher and the bench run each service with the {@code java} they run on themselves. The
   * options of every service; {@link Service#defaultOptions} adds each one's own.
   */
  public static final String DEFAULT_OPTIONS =
      BASE_OPTIONS + (hasVmOption("TrimNativeHeapInterval") ? " " + NATIVE_HEAP_TRIM : "");

  /**
   * Management's young generation, fixed at 20 MB. By default it is a third of the heap and grew to
   * 44 MB under the benchmark load, all of it touched between collections, while management's
   * requests leave little alive: its old generation did not grow faster with 20 MB, and collecting
   * a smaller young generation more often cost about 1 % more of the wall time in collections
   * (docs/local-stack.md "Management's young generation"). Ingest is not given it: its requests (64
   * connections, 45 kB batch bodies) are still alive at a collection that often, get promoted, and
   * filled its old generation into 25 full collections instead of 7 in the same run.
   */
  public static final String MANAGEMENT_YOUNG_GENERATION = "-Xmn20m";

  /**
   * Keeps management's old generation near what is alive in it: after a full collection the
   * collector leaves 10-20 % of the old generation free instead of 40-70 %. Management's requests
   * promote short-lived objects (its live set after a full collection was 38 MB while the old
   * generation had grown to 87 MB, 77 MB of it touched), and each page the old generation grows
   * into stays resident. Measured under the benchmark load (docs/local-stack.md "Management's old
   * generation"): peak 318 and 321 MiB against 326 and 334 MiB without.
   */
  public static final String MANAGEMENT_OLD_GENERATION =
      "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20";

  /** The services the launcher, the bench and the Docker image run, each with its own options. */
  public enum Service {
    INGEST("ingest-service", ""),
    MANAGEMENT("management-service", MANAGEMENT_YOUNG_GENERATION + " " + MANAGEMENT_OLD_GENERATION);

    private final String module;
    private final String own;

    Service(String module, String own) {
      this.module = module;
      this.own = own;
    }

    /** The service's Maven module, the name of its jar and of its Docker image. */
    public String module() {
      return module;
    }

    /** The service whose {@link #module} is {@code module}. */
    public static Service ofModule(String module) {
      for (Service s : values()) {
        if (s.module.equals(module)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "No service "
              + module
              + "; one of "
              + Arrays.stream(values()).map(Service::module).toList());
    }

    /** The options this service adds to {@link #DEFAULT_OPTIONS} (none for ingest). */
    public String own() {
      return own;
    }

    /** {@link #DEFAULT_OPTIONS} and this service's own: how it runs unless told otherwise. */
    public String defaultOptions() {
      return own.isEmpty() ? DEFAULT_OPTIONS : DEFAULT_OPTIONS + " " + own;
    }

    /**
     * The options this service runs with: {@code given} (the launcher's {@code
     * GROWTHOS_SERVICE_JAVA_OPTS}, the bench's {@code --service-java-opts}, which set those of
     * every service) or, when null, its {@link #defaultOptions}.
     */
    public List<String> options(String given) {
      return split(given != null ? given : defaultOptions());
    }
  }

  /**
   * Environment of the service process: glibc gives each thread that allocates its own 64 MB arena;
   * two bound native memory (RSS).
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private ServiceJvm() {}

  /**
   * Prints the default options of the service named by its module ({@code ingest-service} or {@code
   * management-service}), one per line: a {@code java @file} argument file. The Docker image writes
   * its options with it when it is built, with the {@code java} it runs the service on, so a
   * container runs with the options the launcher and the bench run (Dockerfile).
   */
  public static void main(String[] args) {
    try {
      if (args.length != 1) {
        throw new IllegalArgumentException("usage: ServiceJvm <ingest-service|management-service>");
      }
      Service.ofModule(args[0]).options(null).forEach(System.out::println);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

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
