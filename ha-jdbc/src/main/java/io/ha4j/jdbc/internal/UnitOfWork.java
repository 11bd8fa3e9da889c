package io.ha4j.jdbc.internal;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.CommitOutcomeUnknownException;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Runs units of work (GALERA.md design 9): one transaction on the writer, committed; re-run from
 * the start on 1213, 1047 and a connection lost before COMMIT (and 1205 when asked), sleeping on
 * the oslo.db {@code wrap_db_retry} schedule; never after a COMMIT whose outcome is unknown unless
 * the work is idempotent. Thread-safe.
 */
final class UnitOfWork {

  /** Where the connections come from. */
  @FunctionalInterface
  interface Source {
    Connection getConnection() throws SQLException;
  }

  private final DbRetrySettings retry;
  private final boolean retryLockWaitTimeout;
  private final Environment env;
  private final Events events;
  private final Source source;
  private final BooleanSupplier closed;
  private final Map<GaleraErrors.Kind, AtomicLong> retries = new EnumMap<>(GaleraErrors.Kind.class);
  private final AtomicInteger waiting = new AtomicInteger();

  UnitOfWork(
      DbRetrySettings retry,
      boolean retryLockWaitTimeout,
      Environment env,
      Events events,
      Source source,
      BooleanSupplier closed) {
    this.retry = retry;
    this.retryLockWaitTimeout = retryLockWaitTimeout;
    this.env = env;
    this.events = events;
    this.source = source;
    this.closed = closed;
    for (GaleraErrors.Kind k : GaleraErrors.Kind.values()) {
      retries.put(k, new AtomicLong());
    }
  }

  /** Units of work re-run so far, by reason. */
  Map<GaleraErrors.Kind, Long> retries() {
    Map<GaleraErrors.Kind, Long> m = new EnumMap<>(GaleraErrors.Kind.class);
    retries.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Units of work sleeping before they run again. */
  int waiting() {
    return waiting.get();
  }

  /** Whether a failure of this kind re-runs the work. */
  boolean retryable(GaleraErrors.Kind kind) {
    return DbRetrySchedule.retried(kind, retryLockWaitTimeout);
  }

  <T> T call(SqlFunction<T> work, boolean idempotent) throws SQLException {
    DbRetrySchedule schedule = new DbRetrySchedule(retry, env.random());
    int attempt = 1;
    while (true) {
      boolean committing = false;
      String node = "?";
      try (Connection c = source.getConnection()) {
        node = Proxies.nodeOf(c);
        try {
          c.setAutoCommit(false);
          T result = work.apply(c);
          committing = true;
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        GaleraErrors.Kind kind = GaleraErrors.classify(e);
        if (kind == GaleraErrors.Kind.CONNECTION_LOST && committing && !idempotent) {
          throw new CommitOutcomeUnknownException(node, e);
        }
        if (!retryable(kind) || !schedule.canRetry() || closed.getAsBoolean()) {
          throw e;
        }
        Duration sleep = schedule.next(kind == GaleraErrors.Kind.DEADLOCK);
        attempt++;
        retries.get(kind).incrementAndGet();
        int a = attempt;
        String msg = Errors.describe(e);
        events.emit(ds -> new GaleraEvent.Retry(ds, kind, a, sleep, msg));
        waiting.incrementAndGet();
        try {
          env.sleeper().sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          e.addSuppressed(ie);
          throw e;
        } finally {
          waiting.decrementAndGet();
        }
      }
    }
  }

  /** A ROLLBACK after a BF abort may itself report 1213; the transaction is gone either way. */
  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // nothing to undo
    }
  }
}
