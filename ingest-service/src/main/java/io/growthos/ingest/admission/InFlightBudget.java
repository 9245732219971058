package io.growthos.ingest.admission;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap bytes all requests in flight may hold together. Each request opens a {@link Reservation}
 * when it arrives and charges it, before allocating, for what it is about to hold (its body as it
 * is read, the parsed tree, the events' JSON); a charge that does not fit is a 503 {@code
 * overloaded} with {@code Retry-After}, and the request's whole reservation is given back when its
 * response is complete, whichever way it ends. Charges never wait: a full budget refuses at once,
 * so a burst cannot queue up threads either.
 *
 * <p>The budget bounds memory only if every allocation that scales with a request is charged; the
 * charges are estimates of the heap a request holds (see {@code docs/limits.md}), not byte-exact.
 */
public final class InFlightBudget {

  private final long capacity;
  private final long retryAfterSeconds;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param capacity bytes all reservations may hold together
   * @param retryAfter the Retry-After of a refusal
   */
  public InFlightBudget(long capacity, Duration retryAfter) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("in-flight budget must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  /** A reservation holding nothing yet; close it when the request is over. */
  public Reservation open() {
    return new Reservation();
  }

  /** Bytes held by all open reservations. */
  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }

  private boolean tryAcquire(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  private ApiException overloaded() {
    return new ApiException(
        ErrorCode.OVERLOADED,
        "The service is handling as much data as it can hold right now; retry after "
            + retryAfterSeconds
            + " s.",
        List.of(
            ErrorDetail.of(
                "service",
                "overloaded",
                "Requests in flight hold the whole in-flight budget; retry shortly.")),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /**
   * What one request holds of the budget. Charged on the request thread, closed possibly on another
   * (when an asynchronous response completes); closing twice is harmless, and a charge after
   * closing is refused so that nothing leaks.
   */
  public final class Reservation implements AutoCloseable {

    private long held;
    private boolean closed;

    private Reservation() {}

    /**
     * Adds {@code bytes} to this reservation, or throws the 503 {@code overloaded} when the budget
     * cannot hold them (the reservation then keeps what it held before).
     */
    public synchronized void charge(long bytes) {
      if (bytes <= 0) {
        return;
      }
      if (closed || !tryAcquire(bytes)) {
        throw overloaded();
      }
      held += bytes;
    }

    /** Bytes this reservation holds. */
    public synchronized long held() {
      return held;
    }

    /** Gives everything back to the budget. */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        used.addAndGet(-held);
        held = 0;
      }
    }
  }
}
