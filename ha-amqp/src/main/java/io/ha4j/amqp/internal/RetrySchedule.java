package io.ha4j.amqp.internal;

import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * The connection schedule of kombu's {@code Connection.ensure_connection} as oslo.messaging drives
 * it: try the current host; after a failure either give up ({@code maxRetries} reached), or move to
 * the next host, sleeping only when the failure completed a full cycle over the hosts. The sleeps
 * follow kombu's {@code fxrange(start, max + start, step, repeatlast=True)} grid in floating point,
 * exactly as Python computes it. Not thread-safe: one instance per connect run.
 */
public final class RetrySchedule {

  private final int hostCount;
  private final FailoverStrategy strategy;
  private final IntUnaryOperator random;
  private final int maxRetries; // -1 = forever
  private final double start;
  private final double stop;
  private final double step;

  private double current;
  private boolean gridEnded;
  private int retries;
  private int hostIndex;

  /**
   * A schedule starting at {@code firstHost}.
   *
   * @param random returns a uniformly chosen index below its argument (for {@code shuffle})
   */
  public RetrySchedule(
      RetrySettings retry,
      int hostCount,
      FailoverStrategy strategy,
      int firstHost,
      IntUnaryOperator random) {
    Objects.requireNonNull(retry, "retry");
    if (hostCount < 1) {
      throw new IllegalArgumentException("hostCount must be >= 1, was " + hostCount);
    }
    this.hostCount = hostCount;
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.random = Objects.requireNonNull(random, "random");
    this.maxRetries = retry.maxRetries().isPresent() ? retry.maxRetries().getAsInt() : -1;
    this.start = seconds(retry.effectiveInterval());
    this.step = seconds(retry.backoff());
    this.stop = seconds(retry.intervalMax()) + start;
    this.current = start;
    this.hostIndex = Math.floorMod(firstHost, hostCount);
  }

  /** The host to try now. */
  public int host() {
    return hostIndex;
  }

  /** Failed attempts so far (kombu's {@code retries}). */
  public int retries() {
    return retries;
  }

  /** Attempts made or being made, counting from 1. */
  public int attempt() {
    return retries + 1;
  }

  /**
   * Records a failed attempt of {@link #host()}. Returns empty when the attempt budget is spent
   * (give up), else the time to sleep before the next attempt, and moves to the next host.
   */
  public java.util.Optional<Duration> failed() {
    if (maxRetries >= 0 && retries >= maxRetries) {
      return java.util.Optional.empty();
    }
    boolean cycle = (retries + 1) % hostCount == 0;
    double sleep = cycle ? nextInterval() : 0.0;
    retries++;
    hostIndex =
        strategy == FailoverStrategy.SHUFFLE
            ? random.applyAsInt(hostCount)
            : (hostIndex + 1) % hostCount;
    return java.util.Optional.of(toDuration(sleep));
  }

  /** kombu {@code fxrange} with {@code repeatlast=True}; {@code stop} 0 means unbounded. */
  private double nextInterval() {
    if (!gridEnded && (stop == 0 || current <= stop)) {
      double v = current;
      current += step;
      return v;
    }
    gridEnded = true;
    return current - step;
  }

  private static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  private static Duration toDuration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
