package io.growthos.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Starts the calls of a race test together: each on a thread of its own, all released at once when
 * every thread is ready, so that they reach the service as close together as threads allow.
 */
public final class AtOnce {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private AtOnce() {}

  /**
   * Runs every call at once and returns their results in the order of {@code calls}. A call that
   * throws makes this throw the same exception (or error) once every call has ended; one that has
   * not ended within 60 seconds fails the test.
   */
  public static <T> List<T> all(List<? extends Callable<? extends T>> calls) throws Exception {
    int n = calls.size();
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, n));
    try {
      List<Future<? extends T>> futures = new ArrayList<>(n);
      for (Callable<? extends T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  return call.call();
                }));
      }
      if (!ready.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("The threads of " + n + " calls did not start in " + TIMEOUT);
      }
      start.countDown();
      List<T> out = new ArrayList<>(n);
      Throwable failure = null;
      for (Future<? extends T> f : futures) {
        try {
          out.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
          out.add(null);
        }
      }
      if (failure instanceof Exception e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@link #all} of {@code call.apply(0)} to {@code call.apply(n - 1)}. */
  public static <T> List<T> times(int n, IntFunction<? extends Callable<? extends T>> call)
      throws Exception {
    List<Callable<? extends T>> calls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      calls.add(call.apply(i));
    }
    return all(calls);
  }
}
