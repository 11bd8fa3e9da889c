package io.ha4j.jdbc.internal;

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
 */
public record Environment(LongSupplier nanoTime, Sleeper sleeper, DoubleSupplier random) {

  /** The real clock, sleeps and randomness. */
  public static Environment system() {
    return new Environment(
        System::nanoTime, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
  }

  long now() {
    return nanoTime.getAsLong();
  }
}
