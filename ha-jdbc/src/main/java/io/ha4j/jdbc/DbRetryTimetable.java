package io.ha4j.jdbc;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.internal.DbRetrySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The retries {@link GaleraDataSource} makes for a unit of work, as a timetable, for conformance
 * tests and documentation: given the retry settings ({@code [database] db_retry_interval}, {@code
 * db_inc_retry_interval}, {@code db_max_retry_interval}, {@code db_max_retries}) and the kinds of
 * the failures the attempts end with, the sleep before each retry. It runs the same schedule the
 * data source runs (oslo.db's {@code wrap_db_retry}), without a clock or a database.
 *
 * <p>With {@code db_inc_retry_interval}, a {@link GaleraErrors.Kind#DEADLOCK deadlock} makes the
 * sleep computed at that failure random (oslo.db's jitter: uniform in {@code [0, n)}, capped at
 * {@code db_max_retry_interval}). oslo.db first sleeps the sleep computed at the failure before, so
 * the random one is the sleep before the attempt after next. The timetable gives its upper bound
 * and marks it {@link Retry#jittered()}. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class DbRetryTimetable {

  private DbRetryTimetable() {}

  /**
   * One retry of a unit of work.
   *
   * @param attempt the attempt this retry makes, from 2 (attempt 1 is the first run)
   * @param after the kind of failure that ended the previous attempt
   * @param sleep the sleep before this attempt; for a jittered sleep its upper bound
   * @param jittered whether the sleep is random in {@code [0, sleep]} (oslo.db's deadlock jitter)
   */
  public record Retry(int attempt, GaleraErrors.Kind after, Duration sleep, boolean jittered) {

    /** Checks the components. */
    public Retry {
      Objects.requireNonNull(after, "after");
      Objects.requireNonNull(sleep, "sleep");
    }
  }

  /**
   * The retries made when attempt {@code i + 1} fails with {@code failures.get(i)}. The list ends
   * at the first failure that is not retried: a kind the data source does not retry ({@link
   * GaleraErrors.Kind#OTHER}, {@link GaleraErrors.Kind#NOT_RETRYABLE}, {@link
   * GaleraErrors.Kind#LOCK_WAIT_TIMEOUT} unless {@code retryLockWaitTimeout}), the retry budget
   * ({@code db_max_retries}) spent, or the end of {@code failures} (the next attempt succeeds or is
   * not described).
   *
   * @param settings the retry settings
   * @param failures the failure of each attempt in order, the first for attempt 1
   * @param retryLockWaitTimeout whether a lock wait timeout (1205) is retried, as {@link
   *     GaleraDataSource.Builder#retryLockWaitTimeout(boolean)} sets it
   * @return the retries in order, attempt 2 first; empty when attempt 1 is not retried
   */
  public static List<Retry> of(
      DbRetrySettings settings, List<GaleraErrors.Kind> failures, boolean retryLockWaitTimeout) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(failures, "failures");
    // the jitter's two extremes: a sleep that differs between them is random
    DbRetrySchedule low = new DbRetrySchedule(settings, () -> 0.0);
    DbRetrySchedule high = new DbRetrySchedule(settings, () -> 1.0);
    List<Retry> retries = new ArrayList<>();
    for (GaleraErrors.Kind kind : failures) {
      Objects.requireNonNull(kind, "failure kind");
      if (!DbRetrySchedule.retried(kind, retryLockWaitTimeout) || !high.canRetry()) {
        break;
      }
      boolean deadlock = kind == GaleraErrors.Kind.DEADLOCK;
      Duration min = low.next(deadlock);
      Duration max = high.next(deadlock);
      retries.add(new Retry(retries.size() + 2, kind, max, !min.equals(max)));
    }
    return List.copyOf(retries);
  }
}
