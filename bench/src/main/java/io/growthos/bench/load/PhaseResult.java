package io.growthos.bench.load;

/**
 * The measured phase of one load run.
 *
 * @param name what was driven, e.g. {@code http /v1/batch} or {@code raw COPY}
 * @param connections concurrent connections (threads)
 * @param seconds length of the measured phase
 * @param requests requests that succeeded within the measured phase
 * @param events events carried by those requests
 * @param errors requests that failed (non-2xx or I/O error) within the measured phase
 * @param latency latency of the successful requests
 * @param reconnects connections the workers had to open again, over the whole run
 * @param cpu CPU used during the measured phase
 * @param firstFailure the first failure seen, for diagnosis, or empty
 */
public record PhaseResult(
    String name,
    int connections,
    double seconds,
    long requests,
    long events,
    long errors,
    LatencyStats latency,
    long reconnects,
    CpuUse cpu,
    String firstFailure) {

  public double requestsPerSecond() {
    return requests / seconds;
  }

  public double eventsPerSecond() {
    return events / seconds;
  }
}
