package io.growthos.bench.load;

/**
 * CPU used during a measured phase, in cores (CPU-seconds per wall-clock second).
 *
 * @param bench this harness process (the load generator or the raw JDBC client)
 * @param service the service process under test, NaN when none runs
 * @param postgres the PostgreSQL server and its backends, NaN when not measurable
 * @param machine every process on the machine, including other users'
 * @param cores the number of cores of the machine
 */
public record CpuUse(double bench, double service, double postgres, double machine, int cores) {

  public static final CpuUse UNKNOWN =
      new CpuUse(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

  /** What the machine spent outside the three processes measured here. */
  public double others() {
    double ours = nanToZero(bench) + nanToZero(service) + nanToZero(postgres);
    return machine - ours;
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
