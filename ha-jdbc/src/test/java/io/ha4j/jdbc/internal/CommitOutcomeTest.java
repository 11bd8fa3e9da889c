package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.CommitOutcomeUnknownException;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Commit outcome resolution with commit markers, against a fake database that keeps the committed
 * marker ids, answers a marker inserted again in auto-commit with 1062 when it is there, and whose
 * COMMIT can be made to lose the connection after or before it committed.
 */
class CommitOutcomeTest {

  private static final String TABLE = "ha4j_commit_markers";

  /** What happens at the next COMMITs, in order; empty: it succeeds. */
  enum CommitFault {
    LOST_AFTER_COMMIT,
    LOST_BEFORE_COMMIT,
    /** Committed, then the driver throws an unchecked exception (an abort racing the COMMIT). */
    DRIVER_FAILS_AFTER_COMMIT
  }

  /** Whether closing a connection that committed throws an unchecked exception. */
  private volatile boolean closeFails;

  private final FakeNodes fakes = new FakeNodes();
  private final FakeNodes.Recorder recorder = new FakeNodes.Recorder();

  /** The committed marker ids (hex). */
  private final Set<String> committed = Collections.synchronizedSet(new LinkedHashSet<>());

  /** Every marker id a unit of work wrote in its transaction, in order. */
  private final List<String> written = new CopyOnWriteArrayList<>();

  /** Every statement text, in order. */
  private final List<String> sql = new CopyOnWriteArrayList<>();

  private final Deque<CommitFault> commitFaults = new ArrayDeque<>();

  /** What each auto-commit marker insert (the resolution) throws first, in order. */
  private final Deque<SQLException> resolutionFailures = new ArrayDeque<>();

  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private UnitOfWork unitOfWork(boolean markers, int maxRetries) {
    DbRetrySettings retry =
        new DbRetrySettings(
            Duration.ofSeconds(1), true, Duration.ofSeconds(10), OptionalInt.of(maxRetries));
    return new UnitOfWork(
        retry,
        false,
        fakes.env,
        new Events("test", List.of(recorder)),
        () -> {
          String node = "node-" + connections.incrementAndGet() + ":3306";
          return Proxies.connection(new FakeDb().connection(), node, e -> {}, b -> {}, () -> {});
        },
        closed::get,
        markers ? new CommitMarkers(TABLE) : null);
  }

  private List<GaleraEvent.CommitResolved> resolutions() {
    List<GaleraEvent.CommitResolved> out = new ArrayList<>();
    recorder.events.forEach(
        e -> {
          if (e instanceof GaleraEvent.CommitResolved r) {
            out.add(r);
          }
        });
    return out;
  }

  @Test
  void aLostCommitThatHadCommittedReturnsTheResultWithoutRunningTheWorkAgain() throws Exception {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);
    AtomicInteger runs = new AtomicInteger();
    UnitOfWork u = unitOfWork(true, 3);

    String result = u.call(c -> "result-" + runs.incrementAndGet(), false);

    assertThat(result).isEqualTo("result-1");
    assertThat(runs).hasValue(1);
    assertThat(written).hasSize(1);
    assertThat(committed).containsExactly(written.get(0));
    assertThat(resolutions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.committed()).isTrue();
              assertThat(r.lostOn()).isEqualTo("node-2:3306");
              assertThat(r.resolvedOn()).isEqualTo("node-3:3306");
              assertThat(r.toString()).contains("had committed");
            });
    assertThat(u.resolutions()).containsEntry(true, 1L).containsEntry(false, 0L);
    assertThat(fakes.sleeps).isEmpty();
    assertThat(sql)
        .contains("SET SESSION wsrep_sync_wait = @ha4j_sync_wait")
        .anyMatch(s -> s.contains("SESSION wsrep_sync_wait = 4"));
  }

  @Test
  void anUncheckedExceptionOutOfTheDriversCommitIsResolvedLikeALostConnection() throws Exception {
    commitFaults.add(CommitFault.DRIVER_FAILS_AFTER_COMMIT);
    AtomicInteger runs = new AtomicInteger();

    String result = unitOfWork(true, 3).call(c -> "result-" + runs.incrementAndGet(), false);

    assertThat(result).isEqualTo("result-1");
    assertThat(runs).hasValue(1);
    assertThat(committed).containsExactly(written.get(0));
  }

  @Test
  void aFailureToCloseTheConnectionAfterItsCommitDoesNotFailTheWork() throws Exception {
    closeFails = true;
    AtomicInteger runs = new AtomicInteger();

    String result = unitOfWork(true, 3).call(c -> "result-" + runs.incrementAndGet(), false);

    assertThat(result).isEqualTo("result-1");
    assertThat(runs).hasValue(1);
    assertThat(committed).hasSize(1);
  }

  @Test
  void aLostCommitThatHadNotCommittedRunsTheWorkOnceMoreWithANewMarker() throws Exception {
    commitFaults.add(CommitFault.LOST_BEFORE_COMMIT);
    AtomicInteger runs = new AtomicInteger();
    UnitOfWork u = unitOfWork(true, 3);

    int result = u.call(c -> runs.incrementAndGet(), false);

    assertThat(result).isEqualTo(2);
    assertThat(runs).hasValue(2);
    assertThat(written).hasSize(2).doesNotHaveDuplicates();
    // the first id was forced by the resolution, the second committed by the re-run
    assertThat(committed).containsExactly(written.get(0), written.get(1));
    assertThat(resolutions()).singleElement().satisfies(r -> assertThat(r.committed()).isFalse());
    assertThat(u.resolutions()).containsEntry(false, 1L);
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(1));
    assertThat(u.retries().get(GaleraErrors.Kind.CONNECTION_LOST)).isEqualTo(1);
  }

  @Test
  void aConflictWhileForcingTheMarkerIsTriedAgainUntilTheAnswerIsRead() throws Exception {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);
    resolutionFailures.add(new SQLException("Deadlock found", "40001", 1213));
    resolutionFailures.add(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    AtomicInteger runs = new AtomicInteger();

    int result = unitOfWork(true, 3).call(c -> runs.incrementAndGet(), false);

    assertThat(result).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(resolutionFailures).isEmpty();
    assertThat(resolutions()).singleElement().satisfies(r -> assertThat(r.committed()).isTrue());
    // the 1213 is tried again at once, the 1205 (seconds of waiting already) after a sleep
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aLostConnectionWhileResolvingSleepsOnTheScheduleAndAFullScheduleIsAnUnknownOutcome() {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);
    for (int i = 0; i < 5; i++) {
      resolutionFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    }

    SQLException e =
        catchThrowableOfType(
            () -> unitOfWork(true, 2).call(c -> 1, false), CommitOutcomeUnknownException.class);

    assertThat(e.getMessage()).contains("node-2:3306").contains("retries ran out").contains(TABLE);
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(resolutions()).isEmpty();
  }

  @Test
  void aClosedDataSourceEndsTheResolutionWithAnUnknownOutcome() {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);
    resolutionFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    fakes.duringSleep = () -> closed.set(true);

    SQLException e =
        catchThrowableOfType(
            () -> unitOfWork(true, 5).call(c -> 1, false), CommitOutcomeUnknownException.class);

    assertThat(e.getMessage()).contains("closed");
  }

  @Test
  void withMarkersOffALostCommitIsAnUnknownOutcomeAndNoMarkerIsWritten() {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);

    SQLException e =
        catchThrowableOfType(
            () -> unitOfWork(false, 3).call(c -> 1, false), CommitOutcomeUnknownException.class);

    assertThat(e.getMessage()).contains("node-1:3306");
    assertThat(written).isEmpty();
    assertThat(sql).noneMatch(s -> s.contains(TABLE));
  }

  @Test
  void idempotentWorkWritesNoMarkerAndIsSimplyRunAgain() throws Exception {
    commitFaults.add(CommitFault.LOST_AFTER_COMMIT);
    AtomicInteger runs = new AtomicInteger();

    int result = unitOfWork(true, 3).call(c -> runs.incrementAndGet(), true);

    assertThat(result).isEqualTo(2);
    assertThat(written).isEmpty();
    assertThat(sql).noneMatch(s -> s.contains(TABLE));
    assertThat(resolutions()).isEmpty();
  }

  @Test
  void theTableIsCreatedOnceOnItsOwnConnectionBeforeTheFirstMarker() throws Exception {
    UnitOfWork u = unitOfWork(true, 3);
    u.call(c -> 1, false);
    u.call(c -> 2, false);

    assertThat(sql.stream().filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + TABLE)))
        .singleElement()
        .satisfies(s -> assertThat(s).contains("PRIMARY KEY").contains("ENGINE=InnoDB"));
    assertThat(committed).hasSize(2);
  }

  @Test
  void thePurgeDeletesMarkersOlderThanAnHourByKeyRangeInBatchesUntilABatchIsNotFull()
      throws Exception {
    CommitMarkers m = new CommitMarkers(TABLE);
    FakeDb db = new FakeDb();
    db.deletes.add(CommitMarkers.PURGE_BATCH);
    db.deletes.add(7);
    long now = 1_700_000_000_000L;

    int removed = m.purge(db.connection(), 20, now);

    assertThat(removed).isEqualTo(CommitMarkers.PURGE_BATCH + 7);
    assertThat(sql)
        .filteredOn(s -> s.startsWith("DELETE"))
        .singleElement() // one prepared statement, executed twice
        .isEqualTo("DELETE FROM " + TABLE + " WHERE id < ? LIMIT 500");
    assertThat(CommitMarkers.millisOf(db.lastBound)).isEqualTo(now - 3_600_000L);
  }

  @Test
  void idsStartWithTheirCreationTimeSoThatTheKeyOrderIsTheAgeOrder() {
    long before = System.currentTimeMillis();
    byte[] a = CommitMarkers.newId();
    byte[] b = CommitMarkers.newId();
    long after = System.currentTimeMillis();

    assertThat(a).hasSize(16).isNotEqualTo(b);
    assertThat(CommitMarkers.millisOf(a)).isBetween(before, after);
    assertThat(Arrays.compareUnsigned(CommitMarkers.firstIdAt(before - 1), a)).isNegative();
    assertThat(Arrays.compareUnsigned(a, CommitMarkers.firstIdAt(after + 1))).isNegative();
  }

  @Test
  void theBackgroundPurgeWaitsForTheTableAndThenDeletesOnTheWriter() throws Exception {
    CommitMarkers m = new CommitMarkers(TABLE);
    FakeDb db = new FakeDb();
    db.deletes.add(3);
    MarkerPurger purger = new MarkerPurger("test", m, db::connection);
    try {
      assertThat(purger.purgeNow()).isZero();
      assertThat(sql).noneMatch(s -> s.startsWith("DELETE"));

      m.ensureTable(db::connection);

      assertThat(purger.purgeNow()).isEqualTo(3);
      assertThat(sql).anyMatch(s -> s.startsWith("DELETE FROM " + TABLE));
    } finally {
      purger.close();
    }
  }

  /** One fake session. */
  private final class FakeDb {
    final List<String> pending = new ArrayList<>();
    final Deque<Integer> deletes = new ArrayDeque<>();
    volatile byte[] lastBound;
    boolean autoCommit = true;
    boolean didCommit;

    Connection connection() {
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (p, m, args) -> {
                switch (m.getName()) {
                  case "setAutoCommit" -> autoCommit = (Boolean) args[0];
                  case "getAutoCommit" -> {
                    return autoCommit;
                  }
                  case "commit" -> commit();
                  case "rollback" -> pending.clear();
                  case "close" -> {
                    if (closeFails && didCommit) {
                      throw new IllegalStateException("close failed (fake)");
                    }
                  }
                  case "createStatement" -> {
                    return statement(Statement.class, null);
                  }
                  case "prepareStatement" -> {
                    sql.add((String) args[0]);
                    return statement(PreparedStatement.class, (String) args[0]);
                  }
                  default -> {}
                }
                return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
              });
    }

    private void commit() throws SQLException {
      didCommit = true;
      CommitFault f = commitFaults.poll();
      if (f == CommitFault.LOST_AFTER_COMMIT || f == CommitFault.DRIVER_FAILS_AFTER_COMMIT) {
        committed.addAll(pending);
      }
      if (f == CommitFault.DRIVER_FAILS_AFTER_COMMIT) {
        pending.clear();
        throw new NullPointerException("driver state gone (fake)");
      }
      if (f == null) {
        committed.addAll(pending);
        pending.clear();
        return;
      }
      pending.clear();
      throw new SQLNonTransientConnectionException("socket closed during COMMIT", "08000");
    }

    private Object statement(Class<?> type, String prepared) {
      byte[][] bound = new byte[1][];
      return Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {type},
          (p, m, args) -> {
            switch (m.getName()) {
              case "setBytes" -> bound[0] = (byte[]) args[1];
              case "execute" -> {
                sql.add((String) args[0]);
                return false;
              }
              case "executeQuery" -> {
                String q = (String) args[0];
                sql.add(q);
                if (q.contains(TABLE) && sql.stream().noneMatch(s -> s.startsWith("CREATE"))) {
                  throw new SQLException("Table doesn't exist", "42S02", 1146);
                }
                return Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {ResultSet.class},
                    (r, x, y) -> null);
              }
              case "executeUpdate" -> {
                return update(prepared, bound[0]);
              }
              default -> {}
            }
            return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
          });
    }

    private int update(String prepared, byte[] id) throws SQLException {
      if (prepared.startsWith("DELETE")) {
        lastBound = id;
        Integer n = deletes.poll();
        return n == null ? 0 : n;
      }
      String hex = HexFormat.of().formatHex(id);
      if (!autoCommit) {
        written.add(hex);
        pending.add(hex);
        return 1;
      }
      SQLException f = resolutionFailures.poll();
      if (f != null) {
        throw f;
      }
      if (!committed.add(hex)) {
        throw new SQLException("Duplicate entry", "23000", CommitMarkers.DUPLICATE_KEY);
      }
      return 1;
    }
  }
}
