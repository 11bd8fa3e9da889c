package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The connection retry schedule of oslo.messaging / kombu: after each full cycle over the hosts,
 * sleep {@code interval}, then {@code interval + backoff}, {@code interval + 2*backoff}, … as long
 * as the value stays within {@code intervalMax + interval} (kombu's grid), then that last value
 * forever. {@code maxRetries = N} allows N+1 attempts; empty means forever. Immutable.
 *
 * @param interval first sleep after a failed cycle ({@code rabbit_retry_interval})
 * @param backoff added after every further failed cycle ({@code rabbit_retry_backoff})
 * @param intervalMax cap of the grid ({@code rabbit_interval_max})
 * @param maxRetries retries after the first attempt; empty = forever
 * @since 0.1
 */
public record RetrySettings(
    Duration interval, Duration backoff, Duration intervalMax, OptionalInt maxRetries) {

  /** oslo's {@code rabbit_retry_interval}: 1 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  /** oslo's {@code rabbit_retry_backoff}: 2 s. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);

  /** oslo's {@code rabbit_interval_max}: 30 s. */
  public static final Duration DEFAULT_INTERVAL_MAX = Duration.ofSeconds(30);

  /** Checks the components. */
  public RetrySettings {
    interval = nonNegative("interval", interval);
    backoff = nonNegative("backoff", backoff);
    intervalMax = nonNegative("intervalMax", intervalMax);
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "maxRetries must be >= 1 or empty (forever), was " + maxRetries.getAsInt());
    }
  }

  /** oslo's defaults, retrying forever. */
  public static RetrySettings ofDefaults() {
    return new RetrySettings(
        DEFAULT_INTERVAL, DEFAULT_BACKOFF, DEFAULT_INTERVAL_MAX, OptionalInt.empty());
  }

  /**
   * Converts an oslo-style retry count: {@code null}, 0 and negative values mean forever (as {@code
   * rabbit_max_retries = 0} did; oslo's {@code -1} quirk is not reproduced).
   */
  public static OptionalInt maxRetriesOf(Integer retries) {
    return retries == null || retries <= 0 ? OptionalInt.empty() : OptionalInt.of(retries);
  }

  /** A copy with another attempt limit; {@code null} or {@code <= 0} = forever. */
  public RetrySettings withMaxRetries(Integer retries) {
    return new RetrySettings(interval, backoff, intervalMax, maxRetriesOf(retries));
  }

  static Duration nonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "RetrySettings[interval="
        + interval
        + ", backoff="
        + backoff
        + ", intervalMax="
        + intervalMax
        + ", maxRetries="
        + (maxRetries.isPresent() ? Integer.toString(maxRetries.getAsInt()) : "forever")
        + "]";
  }
}
