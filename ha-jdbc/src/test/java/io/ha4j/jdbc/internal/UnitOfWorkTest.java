package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.CommitOutcomeUnknownException;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Re-runs of units of work on the oslo.db schedule, with a recording sleeper. */
class UnitOfWorkTest {

  private final FakeNodes fakes = new FakeNodes();
  private final FakeNodes.Recorder recorder = new FakeNodes.Recorder();

  // commit markers off here: CommitOutcomeTest covers them

  /** What each COMMIT throws, in order; null or empty: it succeeds. */
  private final Deque<SQLException> commitFailures = new ArrayDeque<>();

  private final AtomicInteger rollbacks = new AtomicInteger();

  /**
   * Every statement executed through {@code createStatement()}, and the markers below, in order.
   */
  private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  private UnitOfWork unitOfWork(boolean retryLockWaitTimeout) {
    DbRetrySettings retry =
        new DbRetrySettings(Duration.ofSeconds(1), true, Duration.ofSeconds(10), OptionalInt.of(3));
    return new UnitOfWork(
        retry,
        retryLockWaitTimeout,
        fakes.env,
        new Events("test", List.of(recorder)),
        () -> Proxies.connection(connection(), "node-a:3306", e -> {}, broken -> {}, () -> {}),
        () -> false,
        null);
  }

  private Connection connection() {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, args) -> {
              switch (m.getName()) {
                case "commit" -> {
                  log.add("COMMIT");
                  SQLException e = commitFailures.poll();
                  if (e != null) {
                    throw e;
                  }
                }
                case "rollback" -> rollbacks.incrementAndGet();
                case "createStatement" -> {
                  return statement();
                }
                default -> {}
              }
              return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
            });
  }

  @Test
  void aDeadlockReRunsTheWholeWorkAfterTheFirstIntervalThenWithJitter() throws Exception {
    commitFailures.add(new SQLException("Deadlock found", "40001", 1213));
    commitFailures.add(new SQLException("Deadlock found", "40001", 1213));
    AtomicInteger runs = new AtomicInteger();
    UnitOfWork u = unitOfWork(false);

    int result = u.call(c -> runs.incrementAndGet(), false);

    assertThat(result).isEqualTo(3);
    // first sleep db_retry_interval; after a deadlock uniform(0, 2 s) with the fake's 0.5
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(u.retries().get(GaleraErrors.Kind.DEADLOCK)).isEqualTo(2);
    assertThat(rollbacks).hasValue(2);
    assertThat(recorder.events)
        .filteredOn(GaleraEvent.Retry.class::isInstance)
        .map(e -> ((GaleraEvent.Retry) e).attempt())
        .containsExactly(2, 3);
  }

  @Test
  void withMarkersOffAConnectionLostDuringCommitIsAnUnknownOutcomeUnlessIdempotent()
      throws Exception {
    commitFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    SQLException e =
        catchThrowableOfType(() -> unitOfWork(false).call(c -> 1, false), SQLException.class);
    assertThat((Throwable) e).isInstanceOf(CommitOutcomeUnknownException.class);
    assertThat(e.getMessage()).contains("node-a:3306");
    assertThat(fakes.sleeps).isEmpty();

    commitFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    Integer again = unitOfWork(false).call(c -> 1, true);
    assertThat(again).isEqualTo(1);
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(1));
  }

  private java.sql.Statement statement() {
    return (java.sql.Statement)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {java.sql.Statement.class},
            (p, m, args) -> {
              if (m.getName().equals("execute")) {
                log.add((String) args[0]);
              }
              return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
            });
  }

  @Test
  void idempotentWorkReRunAfterALostCommitRunsWithCausalReadsAndGivesTheSettingBack()
      throws Exception {
    commitFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    UnitOfWork u = unitOfWork(false);

    int result =
        u.call(
            c -> {
              log.add("work");
              return 7;
            },
            true);

    assertThat(result).isEqualTo(7);
    assertThat(log)
        .containsExactly(
            "work", "COMMIT", UnitOfWork.CAUSAL, "work", "COMMIT", UnitOfWork.UNCAUSAL);
    assertThat(UnitOfWork.CAUSAL).contains("wsrep_sync_wait = 7").contains("@ha4j_sync_wait");
  }

  @Test
  void otherReRunsDoNotWait() throws Exception {
    commitFailures.add(new SQLException("Deadlock found", "40001", 1213));
    commitFailures.add(new SQLNonTransientConnectionException("socket closed", "08000"));
    // a connection lost before COMMIT: nothing of it can have committed
    UnitOfWork u = unitOfWork(false);
    int[] runs = {0};
    u.call(
        c -> {
          log.add("work");
          if (++runs[0] == 3) {
            throw new SQLNonTransientConnectionException("socket closed", "08000");
          }
          return 1;
        },
        true);

    assertThat(log)
        .as("1213, then lost during COMMIT, then lost before it: causal only after the lost COMMIT")
        .containsExactly(
            "work",
            "COMMIT",
            "work",
            "COMMIT",
            UnitOfWork.CAUSAL,
            "work",
            UnitOfWork.UNCAUSAL,
            UnitOfWork.CAUSAL,
            "work",
            "COMMIT",
            UnitOfWork.UNCAUSAL);
  }

  @Test
  void lockWaitTimeoutsAreReRunOnlyWhenAskedAndOtherErrorsNever() throws Exception {
    commitFailures.add(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    SQLException e =
        catchThrowableOfType(() -> unitOfWork(false).call(c -> 1, false), SQLException.class);
    assertThat(e.getErrorCode()).isEqualTo(1205);

    commitFailures.add(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    Integer asked = unitOfWork(true).call(c -> 1, false);
    assertThat(asked).isEqualTo(1);

    commitFailures.add(new SQLException("Duplicate entry", "23000", 1062));
    SQLException dup =
        catchThrowableOfType(() -> unitOfWork(true).call(c -> 1, false), SQLException.class);
    assertThat(dup.getErrorCode()).isEqualTo(1062);
    assertThat(fakes.sleeps).hasSize(1);
  }

  @Test
  void theRetriesAreBoundedByDbMaxRetries() {
    for (int i = 0; i < 10; i++) {
      commitFailures.add(new SQLException("WSREP has not yet prepared node", "08S01", 1047));
    }
    UnitOfWork u = unitOfWork(false);
    SQLException e = catchThrowableOfType(() -> u.call(c -> 1, false), SQLException.class);
    assertThat(e.getErrorCode()).isEqualTo(1047);
    assertThat(u.retries().get(GaleraErrors.Kind.NODE_NOT_READY)).isEqualTo(3);
    assertThat(fakes.sleeps)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }
}
