package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Unit-of-work retry as oslo.db's {@code wrap_db_retry}: first sleep {@code interval}, doubled
 * after every retry up to {@code maxInterval} when {@code incremental}; {@code maxRetries} retries,
 * empty = forever (oslo.db's {@code -1}). Immutable; built by {@link #builder()} or the canonical
 * constructor, which check the same rules.
 *
 * @param interval {@code db_retry_interval}
 * @param incremental {@code db_inc_retry_interval}
 * @param maxInterval {@code db_max_retry_interval}
 * @param maxRetries {@code db_max_retries}; empty = forever
 * @since 0.1
 */
public record DbRetrySettings(
    Duration interval, boolean incremental, Duration maxInterval, OptionalInt maxRetries) {

  /** oslo.db {@code db_retry_interval}: 1 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  /** oslo.db {@code db_inc_retry_interval}: {@value}. */
  public static final boolean DEFAULT_INCREMENTAL = true;

  /** oslo.db {@code db_max_retry_interval}: 10 s. */
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(10);

  /** oslo.db {@code db_max_retries}: {@value}. */
  public static final int DEFAULT_MAX_RETRIES = 20;

  /** Checks the components as the builder methods do. */
  public DbRetrySettings {
    interval = RetrySettings.nonNegative("interval", interval);
    maxInterval = RetrySettings.nonNegative("maxInterval", maxInterval);
    maxRetries = checkMaxRetries(maxRetries);
  }

  /** oslo.db's defaults. */
  public static DbRetrySettings ofDefaults() {
    return builder().build();
  }

  /** A builder holding oslo.db's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Converts oslo.db's {@code db_max_retries}: a negative count means forever (oslo.db's {@code -1}
   * is documented as "retry forever").
   */
  public static OptionalInt maxRetriesOf(int retries) {
    return retries < 0 ? OptionalInt.empty() : OptionalInt.of(retries);
  }

  private static OptionalInt checkMaxRetries(OptionalInt maxRetries) {
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "maxRetries must be >= 0 or empty (forever), was " + maxRetries.getAsInt());
    }
    return maxRetries;
  }

  @Override
  public String toString() {
    return "DbRetrySettings[interval="
        + interval
        + ", incremental="
        + incremental
        + ", maxInterval="
        + maxInterval
        + ", maxRetries="
        + (maxRetries.isPresent() ? Integer.toString(maxRetries.getAsInt()) : "forever")
        + "]";
  }

  /**
   * Builds {@link DbRetrySettings}. Each method checks its own argument ({@code
   * NullPointerException} for null, {@code IllegalArgumentException} naming the setting and the bad
   * value). Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private boolean incremental = DEFAULT_INCREMENTAL;
    private Duration maxInterval = DEFAULT_MAX_INTERVAL;
    private OptionalInt maxRetries = OptionalInt.of(DEFAULT_MAX_RETRIES);

    private Builder() {}

    private Builder(DbRetrySettings s) {
      interval = s.interval;
      incremental = s.incremental;
      maxInterval = s.maxInterval;
      maxRetries = s.maxRetries;
    }

    /** First sleep; not negative. */
    public Builder interval(Duration d) {
      this.interval = RetrySettings.nonNegative("interval", d);
      return this;
    }

    /** Whether the sleep doubles after every retry. */
    public Builder incremental(boolean v) {
      this.incremental = v;
      return this;
    }

    /** Cap of the sleep; not negative. */
    public Builder maxInterval(Duration d) {
      this.maxInterval = RetrySettings.nonNegative("maxInterval", d);
      return this;
    }

    /** Retries, at least 0; empty = forever. */
    public Builder maxRetries(OptionalInt n) {
      this.maxRetries = checkMaxRetries(n);
      return this;
    }

    /** Builds the settings. */
    public DbRetrySettings build() {
      return new DbRetrySettings(interval, incremental, maxInterval, maxRetries);
    }
  }
}
