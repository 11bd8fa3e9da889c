package io.ha4j.jdbc.internal;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.GaleraErrors;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The sleeps of oslo.db's {@code wrap_db_retry} (oslo_db/api.py): the first sleep is {@code
 * db_retry_interval}; with {@code db_inc_retry_interval} a counter {@code n} doubles after every
 * sleep and the next sleep is {@code min(n, db_max_retry_interval)} — or, when the failure just
 * slept for was a deadlock, {@code min(uniform(0, n), db_max_retry_interval)} (full jitter).
 * Without it every sleep is {@code db_retry_interval}. {@code db_max_retries} retries; ha4j reads
 * an empty maximum (oslo's -1) as forever. Not thread-safe: one per unit-of-work run.
 */
public final class DbRetrySchedule {

  private final DbRetrySettings settings;
  private final DoubleSupplier random;
  private double sleepSeconds;
  private double n;
  private int retries;

  /** A schedule; {@code random} yields uniform values in [0, 1). */
  public DbRetrySchedule(DbRetrySettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
    this.sleepSeconds = seconds(settings.interval());
    this.n = sleepSeconds;
  }

  /** Whether another retry is allowed after {@link #retries()} retries. */
  public boolean canRetry() {
    return settings.maxRetries().isEmpty() || retries < settings.maxRetries().getAsInt();
  }

  /** Retries so far. */
  public int retries() {
    return retries;
  }

  /**
   * The sleep before the next retry after a failure ({@code deadlock}: the failure was a 1213);
   * counts the retry.
   */
  public Duration next(boolean deadlock) {
    double now = sleepSeconds;
    if (settings.incremental()) {
      n = n * 2;
      double s = deadlock ? random.getAsDouble() * n : n;
      sleepSeconds = Math.min(s, seconds(settings.maxInterval()));
    }
    retries++;
    return Duration.ofNanos(Math.round(now * 1e9));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /**
   * Whether a unit of work that failed with {@code kind} is run again (oslo.db's {@code
   * wrap_db_retry} with {@code retry_on_deadlock} and {@code retry_on_disconnect}, plus Galera's
   * "node not ready"; lock-wait time-outs only when asked): the one place of this rule.
   */
  public static boolean retried(GaleraErrors.Kind kind, boolean retryLockWaitTimeout) {
    return kind == GaleraErrors.Kind.DEADLOCK
        || kind == GaleraErrors.Kind.NODE_NOT_READY
        || kind == GaleraErrors.Kind.CONNECTION_LOST
        || (kind == GaleraErrors.Kind.LOCK_WAIT_TIMEOUT && retryLockWaitTimeout);
  }
}
