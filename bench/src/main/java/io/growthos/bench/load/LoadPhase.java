package io.growthos.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load run: {@code connections} threads, each with its own {@link Worker}, send
 * request after request (the next one as soon as the previous answered) for a warm-up and then a
 * measured phase. The requests that finish inside the measured phase count (throughput, latency,
 * errors), whenever they started, so the warm-up and the ramp-down do not blur the figures and a
 * short phase of slow requests is not undercounted ({@link Window#measures}). The run is bounded by
 * time and by a request count, whichever comes first.
 *
 * <p>Closed loop means throughput is what the system sustains at that concurrency and latency is
 * the service time seen under that load; it does not model an open arrival rate (no coordinated
 * omission correction is needed because no schedule is missed: there is none).
 */
public final class LoadPhase {

  /** Pause after an I/O failure so a dead server does not turn the run into a busy loop. */
  private static final long FAILURE_PAUSE_MILLIS = 5;

  /** Creates the worker of connection {@code index}. */
  @FunctionalInterface
  public interface WorkerFactory {
    Worker open(int index) throws Exception;
  }

  private final String name;
  private final int connections;
  private final Duration warmup;
  private final Duration measure;
  private final long maxRequests;
  private final CpuMeter cpu;

  public LoadPhase(
      String name,
      int connections,
      Duration warmup,
      Duration measure,
      long maxRequests,
      CpuMeter cpu) {
    this.name = name;
    this.connections = connections;
    this.warmup = warmup;
    this.measure = measure;
    this.maxRequests = maxRequests;
    this.cpu = cpu;
  }

  public PhaseResult run(WorkerFactory factory) throws Exception {
    List<Worker> workers = new ArrayList<>(connections);
    try {
      for (int i = 0; i < connections; i++) {
        workers.add(factory.open(i));
      }
      return drive(workers);
    } finally {
      for (Worker w : workers) {
        w.close();
      }
    }
  }

  /** The three instants of a run, in {@link System#nanoTime()} terms. */
  record Window(long start, long measureFrom, long measureTo) {

    /**
     * Whether a request answered at {@code answeredAt} counts: it does when it was answered inside
     * the measured part, whenever it was sent. In a closed loop each connection then counts what it
     * completes in the window, on average its length over a request's latency. Counting only the
     * requests sent and answered inside it (the rule until 2026-12-04) loses about one request per
     * connection per phase, a bias of latency ÷ window: about 3 % for {@code /v1/batch} (some 40 ms
     * a request at 8 connections) in a 1.5 s window.
     */
    boolean measures(long answeredAt) {
      return answeredAt >= measureFrom && answeredAt <= measureTo;
    }
  }

  /** What all threads of a run add to. */
  private static final class Tally {
    final AtomicLong issued = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<String> firstFailure = new AtomicReference<>("");
  }

  private PhaseResult drive(List<Worker> workers) throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L; // let every thread reach its loop first
    Window window =
        new Window(start, start + warmup.toNanos(), start + warmup.toNanos() + measure.toNanos());
    Tally tally = new Tally();
    List<Histogram> histograms = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(workers.size());
    for (int i = 0; i < workers.size(); i++) {
      Worker worker = workers.get(i);
      Histogram histogram = LatencyStats.newHistogram();
      histograms.add(histogram);
      Thread t =
          new Thread(
              () -> {
                try {
                  loop(worker, histogram, window, tally);
                } finally {
                  done.countDown();
                }
              },
              name + "-" + i);
      t.setDaemon(true);
      t.start();
    }

    sleepUntil(window.measureFrom());
    CpuMeter.Sample cpuFrom = cpu.sample();
    // Every worker stops early when the request bound is reached.
    done.await(Math.max(0, window.measureTo() - System.nanoTime()), TimeUnit.NANOSECONDS);
    CpuMeter.Sample cpuTo = cpu.sample();
    long measuredNanos = Math.min(System.nanoTime(), window.measureTo()) - window.measureFrom();
    // In-flight requests finish (they are not counted); a stuck one is cut by the socket timeout.
    done.await();

    Histogram all = LatencyStats.newHistogram();
    histograms.forEach(all::add);
    return new PhaseResult(
        name,
        workers.size(),
        Math.max(measuredNanos, 1) / 1e9,
        tally.requests.get(),
        tally.events.get(),
        tally.errors.get(),
        LatencyStats.of(all),
        workers.stream().mapToLong(Worker::reconnects).sum(),
        CpuMeter.between(cpuFrom, cpuTo),
        tally.firstFailure.get());
  }

  private void loop(Worker worker, Histogram histogram, Window window, Tally tally) {
    sleepUntil(window.start());
    while (true) {
      long t0 = System.nanoTime();
      if (t0 >= window.measureTo() || tally.issued.incrementAndGet() > maxRequests) {
        return;
      }
      int carried;
      String failure = null;
      try {
        carried = worker.call();
        if (carried < 0) {
          failure = worker.lastFailure();
        }
      } catch (Exception e) {
        carried = Worker.FAILED;
        failure = e.toString();
        sleepQuietly(FAILURE_PAUSE_MILLIS);
      }
      long t1 = System.nanoTime();
      if (failure != null) {
        tally.firstFailure.compareAndSet("", failure);
      }
      if (!window.measures(t1)) {
        continue;
      }
      if (carried >= 0) {
        tally.requests.incrementAndGet();
        tally.events.addAndGet(carried);
        histogram.recordValue(Math.min((t1 - t0) / 1000, LatencyStats.HIGHEST_MICROS));
      } else {
        tally.errors.incrementAndGet();
      }
    }
  }

  /** Sleeps until {@link System#nanoTime()} reaches {@code nanoTime}. */
  static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
