package io.ha4j.jdbc.internal;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.CommitOutcomeUnknownException;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work (GALERA.md design 9): one transaction on the writer, committed; re-run from
 * the start on 1213, 1047 and a connection lost before COMMIT (and 1205 when asked), sleeping on
 * the oslo.db {@code wrap_db_retry} schedule. After a connection lost during COMMIT, idempotent
 * work is simply re-run; other work has its outcome resolved with its commit marker (see {@link
 * CommitMarkers}) and is re-run only when it did not commit, or, with markers off, throws {@link
 * CommitOutcomeUnknownException}. Thread-safe.
 *
 * <p>Idempotent work re-run after a lost COMMIT runs with causal reads ({@link #CAUSAL}): it must
 * see its own earlier run if that committed, and the node it now runs on (the next writer, after a
 * failover) may have received that write set but not applied it yet. Without the wait, work that
 * looks for its row before inserting it did not find it, and its INSERT then met the row applied
 * meanwhile: a duplicate key instead of "already done" ({@code GaleraDataSourceIT}).
 */
final class UnitOfWork {

  private static final Logger LOG = LoggerFactory.getLogger(UnitOfWork.class);

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
  private final CommitMarkers markers; // null: off
  private final Map<Boolean, AtomicLong> resolutions =
      Map.of(true, new AtomicLong(), false, new AtomicLong());

  /**
   * Makes the session's statements wait until the node applied every write set it had received
   * ({@code wsrep_sync_wait} 7: reads, UPDATE/DELETE, INSERT/REPLACE), keeping the old value.
   */
  static final String CAUSAL = CommitMarkers.syncWait(7);

  /** Gives the session its {@code wsrep_sync_wait} back after {@link #CAUSAL}. */
  static final String UNCAUSAL = CommitMarkers.RESTORE_SYNC_WAIT;

  /** 1213 answers to forcing a marker that are tried again at once, before the schedule sleeps. */
  static final int MAX_CONFLICTS = 10;

  UnitOfWork(
      DbRetrySettings retry,
      boolean retryLockWaitTimeout,
      Environment env,
      Events events,
      Source source,
      BooleanSupplier closed,
      CommitMarkers markers) {
    this.retry = retry;
    this.retryLockWaitTimeout = retryLockWaitTimeout;
    this.env = env;
    this.events = events;
    this.source = source;
    this.closed = closed;
    this.markers = markers;
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
    boolean marked = markers != null && !idempotent;
    int attempt = 1;
    boolean causal = false;
    while (true) {
      boolean committing = false;
      String node = "?";
      byte[] marker = null;
      T result = null;
      try {
        if (marked) {
          markers.ensureTable(source);
          marker = CommitMarkers.newId();
        }
        Connection c = source.getConnection();
        boolean committed = false;
        boolean waits = false;
        try {
          node = Proxies.nodeOf(c);
          c.setAutoCommit(false);
          if (causal) {
            execute(c, CAUSAL);
            waits = true;
          }
          result = work.apply(c);
          if (marker != null) {
            markers.write(c, marker);
          }
          committing = true;
          commit(c);
          committed = true;
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          if (waits) {
            uncausalQuietly(c, e);
          }
          closeAfterFailure(c, e);
          throw e;
        } finally {
          if (committed) {
            if (waits) {
              uncausalQuietly(c, null);
            }
            closeAfterCommit(c, node);
          }
        }
      } catch (SQLException e) {
        GaleraErrors.Kind kind = GaleraErrors.classify(e);
        causal |= kind == GaleraErrors.Kind.CONNECTION_LOST && committing && idempotent;
        if (kind == GaleraErrors.Kind.CONNECTION_LOST && committing && !idempotent) {
          if (marker == null) {
            throw new CommitOutcomeUnknownException(node, e);
          }
          if (resolve(marker, node, e, schedule)) {
            return result;
          }
          // not committed, and now it never will be: run the work again with a new marker
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
        sleep(sleep, e);
      }
    }
  }

  /**
   * Resolves the outcome of a COMMIT whose answer was lost (see {@link CommitMarkers}) on a new
   * connection to the writer: a 1213 (the original is still in flight) is tried again at once, up
   * to {@link #MAX_CONFLICTS} times in a row; a 1205, a lost connection, 1047 or no writer are
   * tried again on the unit of work's schedule. Throws {@link CommitOutcomeUnknownException} when
   * the schedule is spent, the data source closes, or another error makes the answer unreadable.
   *
   * @return whether the lost COMMIT had committed
   */
  private boolean resolve(byte[] marker, String lostOn, SQLException lost, DbRetrySchedule schedule)
      throws SQLException {
    long t0 = env.now();
    int conflicts = 0;
    while (true) {
      if (closed.getAsBoolean()) {
        throw unknown(lostOn, lost, "the data source closed before the outcome was read", null);
      }
      try (Connection c = source.getConnection()) {
        String at = Proxies.nodeOf(c);
        boolean committed = markers.force(c, marker);
        resolutions.get(committed).incrementAndGet();
        Duration took = Duration.ofNanos(env.now() - t0);
        events.emit(ds -> new GaleraEvent.CommitResolved(ds, committed, lostOn, at, took));
        return committed;
      } catch (SQLException e) {
        GaleraErrors.Kind kind = GaleraErrors.classify(e);
        // a 1213 comes at once (certification); a 1205 only after innodb_lock_wait_timeout or the
        // causal wait's time-out, long enough to count as a step of the schedule
        boolean inFlight =
            kind == GaleraErrors.Kind.DEADLOCK || kind == GaleraErrors.Kind.LOCK_WAIT_TIMEOUT;
        if (kind == GaleraErrors.Kind.DEADLOCK && conflicts < MAX_CONFLICTS) {
          conflicts++;
          continue;
        }
        if (!(inFlight || CommitMarkers.connectionTrouble(e))) {
          throw unknown(lostOn, lost, "reading the outcome failed", e);
        }
        if (!schedule.canRetry()) {
          throw unknown(lostOn, lost, "the retries ran out before the outcome was read", e);
        }
        conflicts = 0;
        sleep(schedule.next(false), e);
      }
    }
  }

  private CommitOutcomeUnknownException unknown(
      String node, SQLException lost, String why, SQLException last) {
    CommitOutcomeUnknownException u =
        new CommitOutcomeUnknownException(
            node, lost, why + " (commit marker table " + markers.table() + ")");
    if (last != null) {
      u.addSuppressed(last);
    }
    return u;
  }

  private void sleep(Duration d, SQLException e) throws SQLException {
    waiting.incrementAndGet();
    try {
      env.sleeper().sleep(d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      e.addSuppressed(ie);
      throw e;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** COMMITs whose lost answer was resolved, by outcome (true: it had committed). */
  Map<Boolean, Long> resolutions() {
    return Map.of(true, resolutions.get(true).get(), false, resolutions.get(false).get());
  }

  /**
   * COMMIT; an unchecked exception out of the driver's commit (seen when ha4j aborts the connection
   * of an abandoned node while the COMMIT runs) says as little about the outcome as a lost
   * connection, so it is reported as one and resolved like one.
   */
  private static void commit(Connection c) throws SQLException {
    try {
      c.commit();
    } catch (RuntimeException e) {
      throw new SQLNonTransientConnectionException(
          "COMMIT failed inside the driver: " + e, "08000", e);
    }
  }

  private static void closeAfterFailure(Connection c, Exception failure) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** The work committed: a failure to give the connection back must not make it look failed. */
  private static void closeAfterCommit(Connection c, String node) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("closing a connection to {} after its COMMIT failed: {}", node, e.toString());
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * Gives the session its {@code wsrep_sync_wait} back before the connection goes back to the pool.
   * A failure here is a broken connection, which the lent connection already marked for eviction.
   */
  private static void uncausalQuietly(Connection c, Exception failure) {
    try {
      execute(c, UNCAUSAL);
    } catch (SQLException | RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        LOG.debug("restoring wsrep_sync_wait after a causal re-run failed: {}", e.toString());
      }
    }
  }

  /** A ROLLBACK after a BF abort may itself report 1213; the transaction is gone either way. */
  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException ignored) {
      // nothing to undo
    }
  }
}
