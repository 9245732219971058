package io.growthos.platform.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Stops this service when the process that launched it is gone, so a {@code kill -9} of the local
 * launcher ({@code ./growthos start}) never leaves services holding their ports. Active only when
 * {@code growthos.parent-pid} is set (a pid above 0), which only the launcher and the benchmarks
 * do.
 */
public class ParentProcessWatchdog implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ParentProcessWatchdog.class);

  private final long parentPid;
  private final ApplicationContext context;
  private volatile Thread thread;

  public ParentProcessWatchdog(long parentPid, ApplicationContext context) {
    this.parentPid = parentPid;
    this.context = context;
  }

  @Override
  public void start() {
    if (parentPid <= 0) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                if (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                } else {
                  log.warn("Launcher process {} is gone; shutting down.", parentPid);
                  System.exit(SpringApplication.exit(context, () -> 0));
                  return;
                }
              }
            },
            "parent-watchdog");
    t.setDaemon(true);
    t.start();
    thread = t;
  }

  @Override
  public void stop() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    thread = null;
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }
}
