package io.growthos.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Reads CPU time from Linux's {@code /proc}, so a report can say which of the processes sharing the
 * machine's cores (harness, service, PostgreSQL, other users) used them. Where {@code /proc} is
 * missing every figure is NaN and the report says so.
 */
public final class CpuMeter {

  /** USER_HZ: the unit of {@code /proc} CPU times, 100 on every Linux platform we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final LongSupplier servicePid;
  private final LongSupplier postgresPid;

  /**
   * @param servicePid pid of the service under test, or a negative number when there is none
   * @param postgresPid pid of the PostgreSQL postmaster (its backends are its children), or
   *     negative
   */
  public CpuMeter(LongSupplier servicePid, LongSupplier postgresPid) {
    this.servicePid = servicePid;
    this.postgresPid = postgresPid;
  }

  /** CPU times so far, in ticks; NaN-marked (-1) where unknown. */
  public Sample sample() {
    return new Sample(
        System.nanoTime(),
        ticks(ProcessHandle.current().pid(), false),
        ticks(servicePid.getAsLong(), false),
        ticks(postgresPid.getAsLong(), true),
        machineBusyTicks());
  }

  /** The cores used between two samples. */
  public static CpuUse between(Sample from, Sample to) {
    double seconds = (to.nanos - from.nanos) / 1e9;
    return new CpuUse(
        cores(from.bench, to.bench, seconds),
        cores(from.service, to.service, seconds),
        cores(from.postgres, to.postgres, seconds),
        cores(from.machine, to.machine, seconds),
        Runtime.getRuntime().availableProcessors());
  }

  private static double cores(long from, long to, double seconds) {
    if (from < 0 || to < 0 || seconds <= 0) {
      return Double.NaN;
    }
    return (to - from) / TICKS_PER_SECOND / seconds;
  }

  /** CPU times of one moment, in ticks; -1 where unknown. */
  public record Sample(long nanos, long bench, long service, long postgres, long machine) {}

  private static long ticks(long pid, boolean withDescendants) {
    if (pid < 0) {
      return -1;
    }
    OptionalLong own = processTicks(pid);
    if (own.isEmpty()) {
      return -1;
    }
    long total = own.getAsLong();
    if (withDescendants) {
      try (Stream<ProcessHandle> children =
          ProcessHandle.of(pid).map(ProcessHandle::descendants).orElse(Stream.empty())) {
        total += children.mapToLong(p -> processTicks(p.pid()).orElse(0)).sum();
      }
    }
    return total;
  }

  /** utime + stime of one process (all its threads), from {@code /proc/<pid>/stat}. */
  static OptionalLong processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return OptionalLong.of(parseProcessTicks(stat));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Parses utime + stime out of a {@code /proc/<pid>/stat} line. The command name (field 2) is in
   * parentheses and may contain spaces, so fields are counted from the last closing parenthesis.
   */
  static long parseProcessTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    // f[0] is field 3 (state); utime is field 14 and stime field 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long machineBusyTicks() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
      return lines.findFirst().map(CpuMeter::parseMachineBusyTicks).orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Busy ticks of the first ({@code cpu}) line of {@code /proc/stat}: all but idle and iowait. */
  static long parseMachineBusyTicks(String cpuLine) {
    String[] f = cpuLine.trim().split(" +");
    long busy = 0;
    // user nice system idle iowait irq softirq steal
    for (int i = 1; i <= 8 && i < f.length; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }
}
