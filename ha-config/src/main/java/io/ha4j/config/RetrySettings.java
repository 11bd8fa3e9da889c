package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The connection retry schedule of oslo.messaging / kombu: after each full cycle over the hosts,
 * sleep {@code interval}, then {@code interval + backoff}, {@code interval + 2*backoff}, … as long
 * as the value stays within {@code intervalMax + interval} (kombu's grid), then that last value
 * forever. An {@code interval} of 0 acts as 1 s (see {@link #effectiveInterval()}). {@code
 * maxRetries = N} allows N+1 attempts; empty means forever. Immutable; built by {@link #builder()}
 * or the canonical constructor, which check the same rules.
 *
 * @param interval first sleep after a failed cycle ({@code rabbit_retry_interval}) as configured;
 *     the schedule uses {@link #effectiveInterval()}
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

  /**
   * The first sleep used when {@code interval} is 0: 1 s. oslo.messaging hands kombu {@code
   * interval_start=self.interval_start or 1}, so a configured 0 never means "no sleep".
   */
  public static final Duration INTERVAL_WHEN_ZERO = Duration.ofSeconds(1);

  /** Checks the components as the builder methods do. */
  public RetrySettings {
    interval = nonNegative("interval", interval);
    backoff = nonNegative("backoff", backoff);
    intervalMax = nonNegative("intervalMax", intervalMax);
    maxRetries = checkMaxRetries(maxRetries);
  }

  /** oslo's defaults, retrying forever. */
  public static RetrySettings ofDefaults() {
    return builder().build();
  }

  /** A builder holding oslo's defaults, retrying forever. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The first sleep after a failed cycle as the schedule uses it: {@link #interval()}, except that
   * 0 means {@link #INTERVAL_WHEN_ZERO} (1 s), as oslo.messaging passes {@code
   * rabbit_retry_interval or 1} to kombu. The grid of sleeps starts here and is capped at {@code
   * intervalMax + effectiveInterval()}.
   */
  public Duration effectiveInterval() {
    return interval.isZero() ? INTERVAL_WHEN_ZERO : interval;
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
    return toBuilder().maxRetries(maxRetriesOf(retries)).build();
  }

  static Duration nonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " out of range: expected a value >= 0, was " + d);
    }
    return d;
  }

  private static OptionalInt checkMaxRetries(OptionalInt maxRetries) {
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "maxRetries must be >= 1 or empty (forever), was " + maxRetries.getAsInt());
    }
    return maxRetries;
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

  /**
   * Builds {@link RetrySettings}. Each method checks its own argument ({@code NullPointerException}
   * for null, {@code IllegalArgumentException} naming the setting and the bad value). Not
   * thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private Duration backoff = DEFAULT_BACKOFF;
    private Duration intervalMax = DEFAULT_INTERVAL_MAX;
    private OptionalInt maxRetries = OptionalInt.empty();

    private Builder() {}

    private Builder(RetrySettings s) {
      interval = s.interval;
      backoff = s.backoff;
      intervalMax = s.intervalMax;
      maxRetries = s.maxRetries;
    }

    /** First sleep after a failed cycle; not negative, 0 acts as 1 s. */
    public Builder interval(Duration d) {
      this.interval = nonNegative("interval", d);
      return this;
    }

    /** Added after every further failed cycle; not negative. */
    public Builder backoff(Duration d) {
      this.backoff = nonNegative("backoff", d);
      return this;
    }

    /** Cap of the grid; not negative. */
    public Builder intervalMax(Duration d) {
      this.intervalMax = nonNegative("intervalMax", d);
      return this;
    }

    /** Retries after the first attempt, at least 1; empty = forever. */
    public Builder maxRetries(OptionalInt n) {
      this.maxRetries = checkMaxRetries(n);
      return this;
    }

    /** Builds the settings. */
    public RetrySettings build() {
      return new RetrySettings(interval, backoff, intervalMax, maxRetries);
    }
  }
}
