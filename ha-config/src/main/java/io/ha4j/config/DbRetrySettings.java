package io.ha4j.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Unit-of-work retry as oslo.db's {@code wrap_db_retry}: first sleep {@code interval}, doubled
 * after every retry up to {@code maxInterval} when {@code incremental}; {@code maxRetries} retries,
 * empty = forever (oslo.db's {@code -1}). Immutable.
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

  /** Checks the components. */
  public DbRetrySettings {
    interval = RetrySettings.nonNegative("interval", interval);
    maxInterval = RetrySettings.nonNegative("maxInterval", maxInterval);
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (maxRetries.isPresent() && maxRetries.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "maxRetries must be >= 0 or empty (forever), was " + maxRetries.getAsInt());
    }
  }

  /** oslo.db's defaults. */
  public static DbRetrySettings ofDefaults() {
    return new DbRetrySettings(
        DEFAULT_INTERVAL,
        DEFAULT_INCREMENTAL,
        DEFAULT_MAX_INTERVAL,
        OptionalInt.of(DEFAULT_MAX_RETRIES));
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
}
