package io.ha4j.jdbc.internal;

import java.time.Duration;

/** Sleeps; injected so that unit tests run on a virtual clock. */
@FunctionalInterface
public interface Sleeper {

  /** The real one. */
  Sleeper SYSTEM =
      d -> {
        if (!d.isZero() && !d.isNegative()) {
          Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
      };

  /** Sleeps for {@code d}. */
  void sleep(Duration d) throws InterruptedException;
}
