package io.ha4j.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waiting for a condition on an external server: the servers offer no notification the kit could
 * subscribe to, so their state is polled at a short interval until a deadline. Tests use it for the
 * same reason (a cluster's state, a row count), never as a fixed sleep.
 *
 * <pre>{@code
 * Waits.until("node 2 back", Duration.ofSeconds(60), Duration.ofMillis(100),
 *     () -> galera.node(2).status().healthyMemberOf(3) ? Poll.done() : Poll.notYet("not yet"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Waits {

  private Waits() {}

  /** Outcome of one poll: done, or not yet with a description of what is still missing. */
  public record Poll(boolean satisfied, String missing) {
    /** The condition holds. */
    public static Poll done() {
      return new Poll(true, "");
    }

    /** The condition does not hold yet; {@code missing} says why. */
    public static Poll notYet(String missing) {
      return new Poll(false, missing);
    }
  }

  /** Thrown when a wait runs out of time. */
  public static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Polls {@code condition} every {@code interval} until it is done, or throws after {@code
   * timeout} with {@code what} and the last reason.
   */
  public static void until(
      String what, Duration timeout, Duration interval, Supplier<Poll> condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Poll last;
    while (true) {
      last = condition.get();
      if (last.satisfied()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + ": "
                + last.missing());
      }
      pause(interval);
    }
  }

  /** Parks the thread; restores the interrupt flag and throws when interrupted. */
  public static void pause(Duration d) {
    LockSupport.parkNanos(d.toNanos());
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while waiting");
    }
  }
}
