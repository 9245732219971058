package io.growthos.management.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Looks a receiver's host name up. The JDK's {@link InetAddress#getAllByName} has no timeout of its
 * own: a name whose DNS servers never answer held a dispatcher thread for as long as the system
 * resolver kept trying (about ten seconds with the default settings, per attempt), outside the
 * request's deadline, so a workspace with a few such endpoints could keep every sending thread of a
 * copy busy waiting. {@link #bounded} gives up after a time of its own.
 */
@FunctionalInterface
interface HostLookup {

  /** The addresses {@code host} resolves to now. */
  InetAddress[] lookup(String host) throws UnknownHostException;

  /** A look-up that gave up: the name did not resolve in time, or too many are still waiting. */
  final class Unanswered extends UnknownHostException {
    Unanswered(String message) {
      super(message);
    }
  }

  /** The system's resolver, unbounded: for saving an endpoint (the caller's own request). */
  HostLookup SYSTEM = InetAddress::getAllByName;

  /**
   * {@code lookup} on threads of its own, at most {@code threads} at once, each answer awaited at
   * most {@code timeout}: {@link Unanswered} after that, or at once when {@code threads} look-ups
   * are still waiting for names that do not answer (a look-up cannot be interrupted, so its thread
   * stays until the resolver gives up; the caller does not).
   */
  static HostLookup bounded(HostLookup lookup, Duration timeout, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            Math.max(1, threads),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "webhook-dns-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return host -> {
      Future<InetAddress[]> answer;
      try {
        answer = pool.submit(() -> lookup.lookup(host));
      } catch (RejectedExecutionException busy) {
        throw new Unanswered(
            "The URL's host could not be looked up now: "
                + threads
                + " look-ups are still waiting for names that do not answer.");
      }
      try {
        return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        answer.cancel(true);
        throw new Unanswered(
            "The URL's host did not resolve within " + timeout.toMillis() + " ms.");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownHostException unknown) {
          throw unknown;
        }
        throw new Unanswered("The URL's host could not be looked up: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unanswered("The look-up of the URL's host was interrupted.");
      }
    };
  }
}
