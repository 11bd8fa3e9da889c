package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraConnectException;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraEvent;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a Galera data source reports and how it ends: the writer switch with the time writes were
 * blocked, the log lines an operator sees, start-up warnings, refusals that name the user and the
 * host, evictions that keep HikariCP quiet, and a close that does not wait for a check in flight.
 */
class GaleraReportingTest {

  private final FakeNodes fakes = new FakeNodes();
  private final FakeNodes.Recorder recorder = new FakeNodes.Recorder();
  private GaleraCore core;

  @AfterEach
  void close() {
    if (core != null) {
      core.close();
    }
  }

  private GaleraSettings.Builder settings(int nodes) {
    return GaleraSettings.builder()
        .nodes(fakes.nodes(new int[nodes]))
        .username("svc")
        .password("S3cret-pw")
        .database("db")
        .checkInterval(Duration.ofHours(1))
        .poolTimeout(Duration.ofSeconds(30))
        .retryInterval(Duration.ofSeconds(10))
        .maxRetries(OptionalInt.of(2))
        // the fake connections run no SQL; CommitOutcomeTest covers the markers
        .commitMarkers(false);
  }

  private GaleraCore openThree() {
    GaleraSettings s = settings(3).build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    core = GaleraCore.open(s, "orders", List.of(recorder), false, fakes.env, fakes);
    assertThat(core.writer()).contains(name(0));
    return core;
  }

  private String name(int i) {
    return fakes.node(i).name;
  }

  /** Kills the writer: one time-out, then 300 ms later a refusal: the switch to node 1. */
  private void killWriter() {
    fakes.node(0).timingOut();
    core.checkNow(0);
    fakes.node(0).refused();
    fakes.advance(Duration.ofMillis(300));
    core.checkNow(0);
    assertThat(core.writer()).contains(name(1));
  }

  @Test
  void writerChangedCarriesTheSwitchTimeAndHowLongWritesWereBlocked() throws SQLException {
    openThree();
    killWriter();
    Connection c = core.getConnection();
    assertThat(recorder.writerChanges()).as("reported once writes flow").hasSize(1);

    fakes.advance(Duration.ofMillis(5400)); // Galera holds the commit until it evicts node 0
    c.commit();
    c.close();

    assertThat(recorder.writerChanges()).hasSize(2);
    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.dataSource()).isEqualTo("orders");
    assertThat(w.duration()).isEqualTo(Duration.ofMillis(300));
    assertThat(w.writesBlocked()).isEqualTo(Duration.ofMillis(5700));
    assertThat(w.toString())
        .startsWith(
            "orders: writer " + name(0) + " -> " + name(1) + " in 300 ms (writes blocked 5.7 s): ");
  }

  @Test
  void aSwitchNobodyWritesAfterIsReportedOneCheckIntervalLaterWithTheSwitchTime() {
    openThree();
    killWriter();
    assertThat(recorder.writerChanges()).hasSize(1);

    fakes.advance(Duration.ofHours(1));
    core.checkNow(2);

    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.writesBlocked()).isEqualTo(w.duration()).isEqualTo(Duration.ofMillis(300));
  }

  /**
   * Regression: under load the switch was reported with the switch time as the blocked time while
   * every unit of work still slept before its retry, and nothing was borrowed for a while.
   */
  @Test
  void aSwitchIsNotReportedAsUnblockedWhileUnitsOfWorkWaitToRunAgain() throws SQLException {
    GaleraSettings s = settings(3).checkInterval(Duration.ofSeconds(1)).build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    core = GaleraCore.open(s, "orders", List.of(recorder), false, fakes.env, fakes);
    fakes.duringSleep =
        () -> {
          killWriter();
          fakes.advance(Duration.ofSeconds(2)); // past check_interval, nothing borrowed
          core.checkNow(2);
          assertThat(recorder.writerChanges()).as("a unit of work waits").hasSize(1);
        };

    int attempts[] = {0};
    core.call(
        c -> {
          if (attempts[0]++ == 0) {
            throw new SQLNonTransientConnectionException("Connection reset", "08000", 2013);
          }
          return null;
        },
        false);

    assertThat(recorder.writerChanges()).hasSize(2);
    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.duration()).isEqualTo(Duration.ofMillis(300));
    assertThat(w.writesBlocked()).isGreaterThan(Duration.ofSeconds(2));
  }

  @Test
  void aSwitchWithBorrowersThatNeverWriteIsReportedAfterThePoolTimeout() throws SQLException {
    GaleraSettings s = settings(3).checkInterval(Duration.ofSeconds(1)).build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    core = GaleraCore.open(s, "orders", List.of(recorder), false, fakes.env, fakes);
    killWriter();
    Connection c = core.getConnection();

    fakes.advance(Duration.ofSeconds(29));
    core.checkNow(2);
    assertThat(recorder.writerChanges()).hasSize(1);
    fakes.advance(Duration.ofSeconds(1));
    core.checkNow(2);

    assertThat(recorder.writerChanges()).hasSize(2);
    assertThat(recorder.writerChanges().get(1).writesBlocked())
        .isEqualTo(Duration.ofMillis(30_300));
    c.close();
  }

  @Test
  void everyEventNamesItsDataSource() throws SQLException {
    openThree();
    killWriter();
    try (Connection c = core.getConnection()) {
      c.commit();
    }

    assertThat(recorder.events)
        .extracting(Object::getClass)
        .contains(GaleraEvent.WriterChanged.class, GaleraEvent.NodeStateChanged.class);
    assertThat(recorder.events).allSatisfy(e -> assertThat(e.dataSource()).isEqualTo("orders"));
    assertThat(recorder.events).allSatisfy(e -> assertThat(e.toString()).startsWith("orders: "));
  }

  @Test
  void aHandledWriterFailoverIsOneInfoLineWithoutAStackTrace() throws SQLException {
    openThree();
    try (LogCapture log = new LogCapture()) {
      killWriter();
      try (Connection c = core.getConnection()) {
        fakes.advance(Duration.ofSeconds(5));
        c.commit();
      }

      assertThat(log.lines()).hasSize(1);
      assertThat(log.at("INFO")).hasSize(1);
      assertThat(log.lines().get(0))
          .contains("Galera data source 'orders': writer " + name(0) + " -> " + name(1))
          .contains("writes blocked 5.3 s")
          .contains("UNREACHABLE");
      assertThat(log.stackTraceLines()).isEmpty();
    }
  }

  @Test
  void aReaderGoingDownIsAWarnAndComingBackAnInfo() {
    openThree();
    try (LogCapture log = new LogCapture()) {
      fakes.node(2).refused();
      core.checkNow(2);
      assertThat(log.at("WARN")).singleElement().asString().contains(name(2)).contains("orders");

      fakes.node(2).synced();
      core.checkNow(2);
      core.checkNow(2);
      assertThat(log.at("INFO")).singleElement().asString().contains("-> HEALTHY");
    }
  }

  @Test
  void startUpWithEveryNodeDownWarnsOncePerNodeWithTheRetryPlanThenGivesUp() {
    GaleraSettings s = settings(2).build();

    try (LogCapture log = new LogCapture()) {
      GaleraConnectException e =
          catchThrowableOfType(
              GaleraConnectException.class,
              () -> GaleraCore.open(s, "orders", List.of(), false, fakes.env, fakes));

      assertThat(e.attempts()).isEqualTo(3);
      assertThat(fakes.node(0).probes.get()).isEqualTo(3);
      assertThat(log.lines()).hasSize(2);
      assertThat(log.at("WARN")).hasSize(2);
      assertThat(log.at("WARN").get(0))
          .contains("Galera data source 'orders': node " + name(0) + " is UNREACHABLE at start-up")
          .contains("connection refused (fake)")
          .contains("ha4j check")
          .contains("every 10 s, 2 more time(s)");
      assertThat(log.at("WARN").get(1)).contains(name(1));
      assertThat(String.join("\n", log.lines())).doesNotContain("S3cret-pw");
    }
  }

  @Test
  void aNodeDownAtStartUpBesideAHealthyOneIsOneWarn() {
    GaleraSettings s = settings(2).build();
    fakes.node(0).synced();

    try (LogCapture log = new LogCapture()) {
      core = GaleraCore.open(s, "orders", List.of(), false, fakes.env, fakes);

      assertThat(log.at("WARN"))
          .singleElement()
          .asString()
          .contains(name(1))
          .contains("checked again every 3600000 ms");
      assertThat(core.state()).isEqualTo(GaleraDataSource.State.OPEN);
    }
  }

  @Test
  void aRefusedLoginNamesTheUserAndTheNodeButNotThePassword() {
    GaleraSettings s = settings(1).build();
    StatusQuery q = new StatusQuery(s, new GaleraNode("10.0.0.1", 3306, 0), DriverTls.of(s.tls()));

    String d =
        q.describe(
            new SQLException(
                "(conn=7) Access denied for user 'svc'@'10.0.0.9' (using password: YES)",
                "28000",
                1045));

    assertThat(d)
        .startsWith("user 'svc' was refused by host 10.0.0.1:3306 (1045 (conn=7) Access denied")
        .doesNotContain("S3cret-pw");
  }

  @Test
  void closeDoesNotWaitForACheckInFlightWhichClosesItsOwnConnection() throws Exception {
    openThree();
    CountDownLatch inCheck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fakes.node(0).beforeAnswer =
        () -> {
          inCheck.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread checker = new Thread(() -> core.checkNow(0), "checker");
    checker.start();
    assertThat(inCheck.await(10, TimeUnit.SECONDS)).isTrue();

    core.close();

    assertThat(core.state()).isEqualTo(GaleraDataSource.State.CLOSED);
    assertThat(checker.isAlive()).as("close did not wait for the check in flight").isTrue();
    assertThat(fakes.node(0).closedBy).doesNotContain("checker");
    release.countDown();
    checker.join(10_000);
    assertThat(fakes.node(0).closedBy).as("the check closed its own prober").contains("checker");
  }

  @Test
  void aConnectionAbortedOnADeadWriterIsEvictedWhenItComesBack() throws SQLException {
    openThree();
    Connection held = core.getConnection();
    killWriter();
    assertThat(fakes.node(0).lent.get(0).aborted).isTrue();

    held.close();

    assertThat(fakes.node(0).evictions.get()).isEqualTo(1);
    try (Connection c = core.getConnection()) {
      c.commit();
    }
    assertThat(fakes.node(1).evictions.get()).as("a healthy connection goes back").isZero();
  }

  @Test
  void aConnectionIsMarkedBrokenOnlyByErrorsThatSayTheNodeFailed() throws SQLException {
    AtomicBoolean autoCommit = new AtomicBoolean(true);
    Connection raw = failingConnection(autoCommit);
    AtomicInteger writes = new AtomicInteger();
    Boolean[] brokenOnClose = new Boolean[1];
    Connection c =
        Proxies.connection(raw, "n:1", e -> {}, b -> brokenOnClose[0] = b, writes::incrementAndGet);

    Statement st = c.createStatement();
    st.executeUpdate("UPDATE t SET v = 1");
    st.executeQuery("SELECT 1");
    assertThat(writes.get()).as("an update in auto-commit is a write, a query is not").isEqualTo(1);
    autoCommit.set(false);
    st.executeUpdate("UPDATE t SET v = 2");
    assertThat(writes.get()).as("in a transaction only the commit is").isEqualTo(1);
    c.commit();
    assertThat(writes.get()).isEqualTo(2);

    catchThrowableOfType(SQLSyntaxErrorException.class, () -> st.execute("syntax"));
    catchThrowableOfType(SQLException.class, c::rollback);
    c.close();

    assertThat(brokenOnClose[0]).isTrue();
  }

  @Test
  void hikariIsToldNotToEvictOnNodeFailuresButOnOtherBrokenConnections() {
    JdbcNodeIo io = new JdbcNodeIo(settings(1).build(), "orders");
    var override = io.poolConfig(new GaleraNode("10.0.0.1", 3306, 0)).getExceptionOverride();

    assertThat(override.adjudicate(new SQLNonTransientConnectionException("gone", "08000", 2013)))
        .isEqualTo(com.zaxxer.hikari.SQLExceptionOverride.Override.DO_NOT_EVICT);
    assertThat(override.adjudicate(new SQLException("not ready", "08S01", 1047)))
        .isEqualTo(com.zaxxer.hikari.SQLExceptionOverride.Override.DO_NOT_EVICT);
    assertThat(override.adjudicate(new SQLException("odd", "08007", 1234)))
        .isEqualTo(com.zaxxer.hikari.SQLExceptionOverride.Override.CONTINUE_EVICT);
  }

  /**
   * A connection whose statements answer, except "syntax" (a syntax error); its rollback fails as
   * on a dead node.
   */
  private static Connection failingConnection(AtomicBoolean autoCommit) {
    Statement st =
        (Statement)
            Proxy.newProxyInstance(
                GaleraReportingTest.class.getClassLoader(),
                new Class<?>[] {Statement.class},
                (p, m, args) -> {
                  if (args != null && "syntax".equals(args[0])) {
                    throw new SQLSyntaxErrorException("bad", "42000", 1064);
                  }
                  return switch (m.getName()) {
                    case "executeUpdate" -> 1;
                    case "execute" -> Boolean.FALSE;
                    default -> null;
                  };
                });
    return (Connection)
        Proxy.newProxyInstance(
            GaleraReportingTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, args) ->
                switch (m.getName()) {
                  case "createStatement" -> st;
                  case "getAutoCommit" -> autoCommit.get();
                  case "rollback" ->
                      throw new SQLNonTransientConnectionException(
                          "Connection reset", "08000", 2013);
                  default -> null;
                });
  }
}
