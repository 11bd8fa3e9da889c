package io.ha4j.oslo.internal;

import io.ha4j.amqp.HaConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads of servers and listeners: named daemon threads, and their graceful stop. */
final class Threads {

  private Threads() {}

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Stops taking messages ({@code consumers} closed), lets the requests already running finish
   * within {@code timeout}, then interrupts what is left.
   *
   * @return whether every running request finished in time
   */
  static boolean finish(List<HaConsumer> consumers, ExecutorService executor, Duration timeout) {
    consumers.forEach(HaConsumer::close);
    executor.shutdown();
    boolean done;
    try {
      done = executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    if (!done) {
      executor.shutdownNow();
    }
    return done;
  }
}
