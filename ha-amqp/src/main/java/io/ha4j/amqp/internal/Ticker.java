package io.ha4j.amqp.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task periodically until the returned handle is closed: the publishers' confirm watch. One
 * daemon thread serves every connection of the JVM; unit tests pass a ticker they drive by hand.
 */
@FunctionalInterface
public interface Ticker {

  /** A periodic run of a task, stopped by {@link #close()}. */
  interface Tick extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Runs {@code task} every {@code period}, first after one period. The task must not block: it
   * hands real work to another thread.
   */
  Tick every(Duration period, Runnable task);

  /** The shared daemon thread {@code ha4j-amqp-ticker}. */
  Ticker SYSTEM = Shared::every;

  /** Holder of the shared thread, started on first use. */
  final class Shared {
    private static final ScheduledExecutorService TIMER =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ha4j-amqp-ticker");
              t.setDaemon(true);
              return t;
            });

    private Shared() {}

    static Tick every(Duration period, Runnable task) {
      long nanos = period.toNanos();
      ScheduledFuture<?> f = TIMER.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }
  }
}
