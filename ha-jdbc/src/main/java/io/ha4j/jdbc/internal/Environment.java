package io.ha4j.jdbc.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * What the data source needs from the outside world besides the nodes themselves; fakes in unit
 * tests.
 *
 * @param nanoTime the monotonic clock ({@link System#nanoTime()})
 * @param sleeper sleeps between start-up attempts and before a unit of work is re-run
 * @param random uniform values in [0, 1) for the jitter of the retry schedule
 * @param background runs slow clean-up that must not hold the caller (the driver's abort of
 *     connections to an abandoned node): a new daemon thread per task
 */
public record Environment(
    LongSupplier nanoTime, Sleeper sleeper, DoubleSupplier random, Executor background) {

  /** With background tasks on a new daemon thread each. */
  public Environment(LongSupplier nanoTime, Sleeper sleeper, DoubleSupplier random) {
    this(nanoTime, sleeper, random, Environment::daemon);
  }

  /** The real clock, sleeps and randomness. */
  public static Environment system() {
    return new Environment(
        System::nanoTime, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
  }

  private static void daemon(Runnable task) {
    Thread t = new Thread(task, "ha4j-galera-background");
    t.setDaemon(true);
    t.start();
  }

  long now() {
    return nanoTime.getAsLong();
  }
}
