package io.ha4j.cli.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The clocks of {@code ha4j soak}: stalls of one client, and writer disagreement between instances.
 */
final class SoakTracking {

  private SoakTracking() {}

  /**
   * The longest time without an event (a confirm, a delivery, a commit), from the start of traffic
   * to its end. Times are {@link System#nanoTime()} values passed in, so that tests need no clock.
   * Thread-safe.
   */
  static final class Stall {
    private long last;
    private long max;
    private long events;

    /** Tracking from {@code startNanos}: a client that never succeeds stalls from there. */
    Stall(long startNanos) {
      this.last = startNanos;
    }

    /** One event at {@code nanos}. */
    synchronized void mark(long nanos) {
      if (nanos > last) {
        max = Math.max(max, nanos - last);
        last = nanos;
      }
      events++;
    }

    /** Events so far. */
    synchronized long events() {
      return events;
    }

    /** The longest gap in milliseconds, counting a gap still open at {@code endNanos}. */
    synchronized long maxMillis(long endNanos) {
      return TimeUnit.NANOSECONDS.toMillis(Math.max(max, endNanos - last));
    }
  }

  /**
   * The longest stretch during which two instances named different writers, from the first sample
   * that saw them disagree to the first that saw them agree again. An instance that names none (it
   * is between writers) does not disagree with anyone. Thread-safe.
   */
  static final class WriterDisagreement {
    private long since = -1;
    private long longest;

    /** What every instance named at {@code nanos}. */
    synchronized void observe(long nanos, List<Optional<String>> writers) {
      Set<String> named = new HashSet<>();
      writers.forEach(w -> w.ifPresent(named::add));
      if (named.size() > 1) {
        if (since < 0) {
          since = nanos;
        }
        longest = Math.max(longest, nanos - since);
      } else if (since >= 0) {
        // it ended somewhere after the last sample that disagreed: count up to this one
        longest = Math.max(longest, nanos - since);
        since = -1;
      }
    }

    /** Whether the instances disagree now. */
    synchronized boolean disagreeing() {
      return since >= 0;
    }

    /** The longest disagreement in milliseconds. */
    synchronized long longestMillis() {
      return TimeUnit.NANOSECONDS.toMillis(longest);
    }
  }
}
