package io.growthos.bench.load;

/**
 * What one connection of a load phase does, over and over, on its own thread. An implementation
 * holds its connection (HTTP or JDBC) and is used by exactly one thread.
 */
public interface Worker extends AutoCloseable {

  /**
   * Performs one request.
   *
   * @return the number of events the request carried when it succeeded, or {@link #FAILED}
   * @throws Exception when the request could not be completed; counted as an error
   */
  int call() throws Exception;

  /** A description of the last failure (status and body), for the report. */
  default String lastFailure() {
    return "";
  }

  /** How many times the worker had to open its connection again. */
  default int reconnects() {
    return 0;
  }

  @Override
  default void close() {}

  /** Returned by {@link #call()} for a request that completed with an unexpected response. */
  int FAILED = -1;
}
