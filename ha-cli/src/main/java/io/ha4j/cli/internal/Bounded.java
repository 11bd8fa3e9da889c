package io.ha4j.cli.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits with a bound, for the benchmarks: a contender that stops answering (a blocked publish, a
 * recovery that never ends, a read from a child process that never closes its output) must cost the
 * run a bounded time and be reported, not hang it.
 *
 * <p>The clock and the sleeper are injected so that {@link #until} can be tested without waiting.
 * Thread-safe.
 */
final class Bounded {

  /** Sleeps for a duration; throws when interrupted. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** The system clock and {@link Thread#sleep(long)}. */
  static final Bounded SYSTEM = new Bounded(System::nanoTime, d -> Thread.sleep(d.toMillis()));

  /** How a bounded join ended. */
  enum Joined {
    /** The thread ended within the bound. */
    ENDED,
    /** The thread ended only once it was interrupted after the bound. */
    ENDED_WHEN_INTERRUPTED,
    /** The thread was still running after the bound and the grace period after an interrupt. */
    STUCK
  }

  private final LongSupplier nanoClock;
  private final Sleeper sleeper;

  Bounded(LongSupplier nanoClock, Sleeper sleeper) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Polls {@code condition} every {@code poll} until it holds or {@code bound} has passed.
   *
   * @return whether the condition held within the bound (it is checked once more at the end)
   */
  boolean until(BooleanSupplier condition, Duration bound, Duration poll)
      throws InterruptedException {
    requirePositive("poll", poll);
    long deadline = nanoClock.getAsLong() + requireNotNegative("bound", bound).toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - nanoClock.getAsLong();
      if (left <= 0) {
        return condition.getAsBoolean();
      }
      sleeper.sleep(Duration.ofNanos(Math.min(left, poll.toNanos())));
    }
    return true;
  }

  /**
   * Waits up to {@code bound} for {@code t} to end; if it is still running, interrupts it and waits
   * up to {@code grace} more.
   */
  static Joined join(Thread t, Duration bound, Duration grace) throws InterruptedException {
    t.join(requireJoinMillis("bound", bound));
    if (!t.isAlive()) {
      return Joined.ENDED;
    }
    t.interrupt();
    t.join(requireJoinMillis("grace", grace));
    return t.isAlive() ? Joined.STUCK : Joined.ENDED_WHEN_INTERRUPTED;
  }

  /**
   * Runs {@code work} on a new daemon thread named after {@code what} and waits up to {@code bound}
   * for its result. On time-out the thread is interrupted and left behind (it is a daemon).
   *
   * @throws TimeoutException naming {@code what} and the bound, when the work did not finish
   * @throws Exception what {@code work} threw
   */
  static <T> T call(String what, Duration bound, Callable<T> work) throws Exception {
    requireNotNegative("bound", bound);
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(task, "bench-" + what.replace(' ', '-'));
    t.setDaemon(true);
    t.start();
    try {
      return task.get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new TimeoutException(what + " did not finish within " + bound.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (CancellationException e) {
      throw new IllegalStateException(what + " was cancelled", e);
    }
  }

  private static long requireJoinMillis(String name, Duration d) {
    // Thread.join(0) waits forever: a zero bound still waits one millisecond at most
    return Math.max(1, requireNotNegative(name, d).toMillis());
  }

  private static Duration requireNotNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }

  private static Duration requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }
}
