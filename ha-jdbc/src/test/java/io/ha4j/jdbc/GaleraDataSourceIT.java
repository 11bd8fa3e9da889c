package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.FailbackPolicy;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LoadRows;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link GaleraDataSource} on the 3-node test-kit Galera cluster. */
@ExtendWith(LocalClusters.class)
class GaleraDataSourceIT {

  /** Upper bound for anything the cluster or the data source must do; generous on purpose. */
  private static final Duration WAIT = Duration.ofSeconds(120);

  /**
   * Added to a time bound taken from the settings: a 2-core machine running other builds delays the
   * monitor's threads and the server's answers by seconds.
   */
  private static final Duration LOADED_MACHINE_MARGIN = Duration.ofSeconds(5);

  /** Records events; lets the test wait for one that matches. */
  static final class Recorder implements GaleraListener {
    final List<GaleraEvent> events = new CopyOnWriteArrayList<>();
    final BlockingQueue<GaleraEvent> queue = new LinkedBlockingQueue<>();

    /** When each event was emitted ({@link System#nanoTime()} on the emitting thread). */
    final Map<GaleraEvent, Long> emittedAt = Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public void onEvent(GaleraEvent e) {
      emittedAt.put(e, System.nanoTime());
      events.add(e);
      queue.add(e);
    }

    <T extends GaleraEvent> T await(Class<T> type, Predicate<T> p) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        GaleraEvent e = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError(
              "no matching " + type.getSimpleName() + " within " + WAIT + "; saw " + events);
        }
        if (type.isInstance(e) && p.test(type.cast(e))) {
          return type.cast(e);
        }
      }
    }

    GaleraEvent.WriterChanged writerTo(String node) throws InterruptedException {
      return await(GaleraEvent.WriterChanged.class, w -> node.equals(w.to()));
    }
  }

  private static GaleraSettings.Builder settings(GaleraCluster galera) {
    List<GaleraNode> nodes = new ArrayList<>();
    galera.nodes().forEach(n -> nodes.add(new GaleraNode(n.address(), n.port(), 0)));
    return GaleraSettings.builder()
        .nodes(nodes)
        .username(galera.user())
        .password(galera.password())
        .database(galera.database())
        .maxPoolSize(4)
        .maxOverflow(8)
        .retry(
            new DbRetrySettings(
                Duration.ofMillis(200), true, Duration.ofSeconds(2), OptionalInt.of(20)));
  }

  private static String hp(io.ha4j.testkit.GaleraCluster.GaleraNode n) {
    return n.address() + ":" + n.port();
  }

  private static GaleraDataSource open(GaleraSettings s, Recorder r, String name)
      throws SQLException {
    return GaleraDataSource.builder().settings(s).listener(r).name(name).build();
  }

  private static String table(GaleraDataSource ds, String prefix) throws SQLException {
    String t = prefix + System.nanoTime();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
      st.execute("INSERT INTO " + t + " VALUES (0, 0), (1, 0), (2, 0)"); // hot rows
    }
    return t;
  }

  /** Drops a table made by {@link #table}, so that the cluster is left as it was found. */
  private static void drop(GaleraDataSource ds, String t) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + t);
    }
  }

  private static long count(GaleraDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The load of `ha4j db load`: one new row with a unique id and one hot-row update. */
  private static void insertOnce(GaleraDataSource ds, String t, long id) throws SQLException {
    // idempotent: a re-run after a lost COMMIT answer finds its row and writes nothing
    ds.callIdempotent(c -> LoadRows.insertOnce(c, t, id));
  }

  /**
   * Regression: closing a data source took 1.3 to 1.7 s once a node was dead or did not answer (the
   * monitor waited for a status query in flight, and each HikariCP pool in turn for a connection
   * attempt to finish).
   */
  @Test
  void closeReturnsPromptlyWithTheWriterKilledOrANodePaused(GaleraCluster galera) throws Exception {
    Recorder r = new Recorder();
    GaleraDataSource killed = open(settings(galera).build(), r, "it-close-kill");
    galera.node(1).kill();
    r.await(GaleraEvent.WriterChanged.class, w -> hp(galera.node(2)).equals(w.to()));
    long t0 = System.nanoTime();
    killed.close();
    Duration afterKill = Duration.ofNanos(System.nanoTime() - t0);

    Recorder p = new Recorder();
    GaleraDataSource paused = open(settings(galera).build(), p, "it-close-pause");
    galera.node(3).pause();
    try {
      p.await(
          GaleraEvent.NodeStateChanged.class,
          e -> e.node().equals(hp(galera.node(3))) && e.to() == NodeState.UNREACHABLE);
      t0 = System.nanoTime();
      paused.close();
    } finally {
      galera.node(3).resume();
    }
    Duration afterPause = Duration.ofNanos(System.nanoTime() - t0);

    System.out.printf(
        "close(): %d ms with the writer killed, %d ms with a node paused%n",
        afterKill.toMillis(), afterPause.toMillis());
    assertThat(killed.state()).isEqualTo(GaleraDataSource.State.CLOSED);
    assertThat(paused.state()).isEqualTo(GaleraDataSource.State.CLOSED);
    assertThat(afterKill).isLessThan(Duration.ofSeconds(1));
    assertThat(afterPause).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void killingTheWriterUnderLoadMovesWritesToTheNextNodeWithoutLosingOrDoublingARow(
      GaleraCluster galera) throws Exception {
    Recorder r = new Recorder();
    try (GaleraDataSource ds = open(settings(galera).build(), r, "it-kill")) {
      assertThat(ds.writer()).contains(hp(galera.node(1)));
      String t = table(ds, "kill");
      AtomicLong nextId = new AtomicLong(100);
      AtomicLong commits = new AtomicLong();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    try {
                      insertOnce(ds, t, nextId.incrementAndGet());
                      commits.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                      errors.add(e);
                    }
                  }
                }));
      }
      Waits.until(
          "200 commits before the kill",
          WAIT,
          Duration.ofMillis(20),
          () -> commits.get() >= 200 ? Waits.Poll.done() : Waits.Poll.notYet(commits + ""));
      galera.node(1).kill();
      GaleraEvent.WriterChanged w = r.writerTo(hp(galera.node(2)));
      long atSwitch = commits.get();
      Waits.until(
          "200 commits after the switch",
          WAIT,
          Duration.ofMillis(20),
          () ->
              commits.get() >= atSwitch + 200
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(commits + ""));
      stop.set(true);
      for (Future<?> f : workers) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(errors).as("failures surfaced to the caller").isEmpty();
      assertThat(w.from()).isEqualTo(hp(galera.node(1)));
      assertThat(w.dataSource()).isEqualTo("it-kill");
      assertThat(w.writesBlocked()).isGreaterThanOrEqualTo(w.duration());
      long rows = count(ds, "SELECT COUNT(*) FROM " + t + " WHERE id >= 100");
      long distinct = count(ds, "SELECT COUNT(DISTINCT id) FROM " + t + " WHERE id >= 100");
      assertThat(rows).as("rows = commits").isEqualTo(commits.get());
      assertThat(distinct).isEqualTo(rows);
      assertThat(ds.state()).isEqualTo(GaleraDataSource.State.OPEN);
      drop(ds, t);
      System.out.printf(
          "kill writer under load: %d commits, %d rows, %s, retries %s%n",
          commits.get(), rows, w, ds.retries());
    }
  }

  @Test
  void pausedWriterIsLeftWithinFallTimesIntervalPlusTimeout(GaleraCluster galera) throws Exception {
    GaleraSettings s = settings(galera).build();
    Recorder r = new Recorder();
    try (GaleraDataSource ds = open(s, r, "it-pause")) {
      assertThat(ds.writer()).contains(hp(galera.node(1)));
      long paused = System.nanoTime();
      galera.node(1).pause();
      r.writerTo(hp(galera.node(2)));
      Duration took = Duration.ofNanos(System.nanoTime() - paused);
      // fall × interval + timeout, plus one interval for the phase of the schedule
      Duration bound = s.checkInterval().multipliedBy(s.fallCount() + 1).plus(s.checkTimeout());
      assertThat(took).isLessThanOrEqualTo(bound.plus(LOADED_MACHINE_MARGIN));
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(2)).isTrue();
      }
      System.out.printf(
          "paused writer left after %d ms (bound %d ms)%n", took.toMillis(), bound.toMillis());
      // Leave node 1 paused until the others have evicted it: resumed earlier, it could still be
      // admitted as healthy and be evicted only afterwards, in the middle of the next test.
      Waits.until(
          "node 1 to be evicted",
          WAIT,
          Duration.ofMillis(200),
          () ->
              galera.node(2).status().clusterSize() == 2
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(galera.node(2).status().toString()));
    }
  }

  @Test
  void isolatedWriterIsAbandonedAndItsBorrowedConnectionFailsFast(GaleraCluster galera)
      throws Exception {
    Recorder r = new Recorder();
    try (GaleraDataSource ds = open(settings(galera).build(), r, "it-isolate")) {
      assertThat(ds.writer()).contains(hp(galera.node(1)));
      Connection held = ds.getConnection();
      galera.node(1).isolate();
      GaleraEvent.WriterChanged w = r.writerTo(hp(galera.node(2)));
      assertThat(w.from()).isEqualTo(hp(galera.node(1)));
      // the connection lent from the abandoned writer was aborted, not left to hang
      assertThatThrownBy(() -> held.createStatement().executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e ->
                  assertThat(GaleraErrors.classify(e))
                      .isEqualTo(GaleraErrors.Kind.CONNECTION_LOST));
      held.close();
      NodeStatus first = ds.nodes().get(0);
      assertThat(first.state()).isNotEqualTo(NodeState.HEALTHY);
      assertThat(first.writer()).isFalse();
      // the isolated node itself turns non-Primary (seen over its unix socket)
      Waits.until(
          "node 1 to turn non-Primary",
          WAIT,
          Duration.ofMillis(200),
          () ->
              !galera.node(1).status().primary()
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(galera.node(1).status().toString()));
    }
  }

  @Test
  void desyncAndRejectQueriesOnTheWriterSwitchAfterADrainAndImmediateFailbackReturns(
      GaleraCluster galera) throws Exception {
    Recorder r = new Recorder();
    io.ha4j.testkit.GaleraCluster.GaleraNode first = galera.node(1);
    try (GaleraDataSource ds = open(settings(galera).build(), r, "it-drain")) {
      String t = table(ds, "drain");
      Connection held = ds.getConnection();
      held.setAutoCommit(false);
      held.createStatement().executeUpdate("UPDATE " + t + " SET v = v + 1 WHERE id = 1");

      first.sql("SET GLOBAL wsrep_desync = ON");
      r.await(
          GaleraEvent.NodeStateChanged.class,
          e -> e.node().equals(hp(first)) && e.to() == NodeState.UNHEALTHY);
      // draining: nothing new is lent while the borrowed transaction is open ...
      Waits.until(
          "the drain to hold back new borrowers",
          WAIT,
          Duration.ofMillis(20),
          () -> ds.writer().isEmpty() ? Waits.Poll.done() : Waits.Poll.notYet(ds.toString()));
      // ... and it still commits on the old writer
      held.commit();
      held.close();
      GaleraEvent.WriterChanged w = r.writerTo(hp(galera.node(2)));
      assertThat(w.reason()).contains("wsrep_desync = ON");
      assertThat(count(ds, "SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(1);

      first.sql("SET GLOBAL wsrep_desync = OFF");
      GaleraEvent.WriterChanged back = r.writerTo(hp(first));
      assertThat(back.reason()).contains("failback");

      first.sql("SET GLOBAL wsrep_reject_queries = ALL");
      GaleraEvent.WriterChanged away = r.writerTo(hp(galera.node(2)));
      assertThat(away.from()).isEqualTo(hp(first));
      System.out.printf("drain switches: %s | %s | %s%n", w, back, away);
      drop(ds, t);
    } finally {
      first.sql("SET GLOBAL wsrep_desync = OFF; SET GLOBAL wsrep_reject_queries = NONE");
    }
  }

  /**
   * Node 1 is taken out and put back with {@code wsrep_reject_queries}, not by a restart: a
   * restarted node rejoins through a donor that Galera picks (Donor/Desynced for a while), and a
   * data source rightly leaves a donor writer whatever its failback policy, so which node NEVER
   * ends on would depend on Galera's pick.
   */
  @Test
  void neverKeepsTheWriterItFailedOverToWhileAfterStableReturnsOnceTheBetterNodeIsStable(
      GaleraCluster galera) throws Exception {
    Recorder never = new Recorder();
    Recorder stable = new Recorder();
    GaleraSettings base = settings(galera).build();
    Duration stableTime = Duration.ofSeconds(3);
    io.ha4j.testkit.GaleraCluster.GaleraNode first = galera.node(1);
    try (GaleraDataSource n =
            open(base.toBuilder().failback(FailbackPolicy.NEVER).build(), never, "it-never");
        GaleraDataSource a =
            open(
                base.toBuilder().failback(FailbackPolicy.afterStable(stableTime)).build(),
                stable,
                "it-stable")) {
      assertThat(n.writer()).contains(hp(first));
      assertThat(a.writer()).contains(hp(first));
      first.sql("SET GLOBAL wsrep_reject_queries = ALL");
      never.writerTo(hp(galera.node(2)));
      stable.writerTo(hp(galera.node(2)));
      first.sql("SET GLOBAL wsrep_reject_queries = NONE");

      GaleraEvent.NodeStateChanged healthyAgain =
          stable.await(
              GaleraEvent.NodeStateChanged.class,
              e -> e.node().equals(hp(first)) && e.to() == NodeState.HEALTHY);
      long healthyAt = stable.emittedAt.get(healthyAgain);
      GaleraEvent.WriterChanged back = stable.writerTo(hp(first));
      assertThat(back.reason()).contains("AFTER_STABLE");
      assertThat(Duration.ofNanos(stable.emittedAt.get(back) - healthyAt))
          .as("failback not before the stable time")
          .isGreaterThanOrEqualTo(stableTime.minusMillis(100));

      never.await(
          GaleraEvent.NodeStateChanged.class,
          e -> e.node().equals(hp(first)) && e.to() == NodeState.HEALTHY);
      long seen = n.nodes().get(0).checks();
      Waits.until(
          "stable time and two more checks of node 1",
          WAIT,
          Duration.ofMillis(100),
          () ->
              n.nodes().get(0).checks() >= seen + 2
                      && System.nanoTime() - healthyAt > stableTime.toNanos()
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(n.toString()));
      assertThat(n.nodes().get(0).state()).isEqualTo(NodeState.HEALTHY);
      assertThat(n.writer())
          .as("NEVER keeps the healthy writer it failed over to")
          .contains(hp(galera.node(2)));
      assertThat(never.events)
          .filteredOn(GaleraEvent.WriterChanged.class::isInstance)
          .extracting(e -> ((GaleraEvent.WriterChanged) e).reason())
          .noneMatch(reason -> reason.contains("failback"));
    } finally {
      first.sql("SET GLOBAL wsrep_reject_queries = NONE");
    }
  }

  @Test
  void withTwoNodesDownThereIsNoWriterAClearErrorAndRecoveryWhenTheyReturn(GaleraCluster galera)
      throws Exception {
    Recorder r = new Recorder();
    GaleraSettings s = settings(galera).poolTimeout(Duration.ofSeconds(3)).build();
    try (GaleraDataSource ds = open(s, r, "it-minority")) {
      galera.node(1).pause();
      galera.node(2).pause();
      r.await(GaleraEvent.WriterChanged.class, w -> w.to() == null);
      assertThat(ds.state()).isEqualTo(GaleraDataSource.State.RECOVERING);

      long t0 = System.nanoTime();
      assertThatThrownBy(ds::getConnection)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("no healthy Galera writer")
          .hasMessageContaining(hp(galera.node(1)))
          .hasMessageContaining(hp(galera.node(2)))
          .hasMessageContaining(hp(galera.node(3)))
          .hasMessageNotContaining(galera.password());
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(3));

      galera.node(1).resume();
      galera.node(2).resume();
      r.await(GaleraEvent.WriterChanged.class, w -> w.to() != null);
      assertThat(ds.state()).isEqualTo(GaleraDataSource.State.OPEN);
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(2)).isTrue();
      }
    } finally {
      galera.node(1).resume();
      galera.node(2).resume();
    }
  }

  @Test
  void threeInstancesWriteToOneNodeWithoutConflictsWhileSpreadWritesConflict(GaleraCluster galera)
      throws Exception {
    GaleraSettings s = settings(galera).build();
    List<GaleraDataSource> instances = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        instances.add(open(s, new Recorder(), "it-same-" + i));
      }
      String t = table(instances.get(0), "hot");
      assertThat(instances)
          .allSatisfy(ds -> assertThat(ds.writer()).isEqualTo(instances.get(0).writer()));

      int perThread = 150;
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> fs = new ArrayList<>();
      for (GaleraDataSource ds : instances) {
        for (int k = 0; k < 2; k++) {
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      long row = ThreadLocalRandom.current().nextInt(3);
                      ds.run(
                          c -> {
                            try (PreparedStatement u =
                                c.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = ?")) {
                              u.setLong(1, row);
                              u.executeUpdate();
                            }
                          });
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : fs) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      long viaHa4j =
          instances.stream().mapToLong(ds -> ds.retries().get(GaleraErrors.Kind.DEADLOCK)).sum();
      assertThat(viaHa4j).isZero();
      assertThat(count(instances.get(0), "SELECT SUM(v) FROM " + t)).isEqualTo(6L * perThread);

      // the same workload spread over the three nodes, as a load balancer without a writer would
      AtomicLong conflicts = new AtomicLong();
      fs.clear();
      for (io.ha4j.testkit.GaleraCluster.GaleraNode node : galera.nodes()) {
        for (int k = 0; k < 2; k++) {
          fs.add(
              pool.submit(
                  () -> {
                    try (Connection c =
                        DriverManager.getConnection(
                            node.jdbcUrl(), galera.user(), galera.password())) {
                      for (int i = 0; i < perThread; i++) {
                        try (PreparedStatement u =
                            c.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = ?")) {
                          u.setLong(1, ThreadLocalRandom.current().nextInt(3));
                          u.executeUpdate();
                        } catch (SQLException e) {
                          if (GaleraErrors.classify(e) == GaleraErrors.Kind.DEADLOCK) {
                            conflicts.incrementAndGet();
                          } else {
                            throw e;
                          }
                        }
                      }
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : fs) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();
      System.out.printf(
          "1213 seen: %d through ha4j (one writer), %d spread over 3 nodes%n",
          viaHa4j, conflicts.get());
      assertThat(conflicts.get()).as("spread writes meet certification conflicts").isPositive();
      drop(instances.get(0), t);
    } finally {
      instances.forEach(GaleraDataSource::close);
    }
  }

  @Test
  void aConflictProvokedByAnOutsideWriterIsRetriedToSuccess(GaleraCluster galera) throws Exception {
    Recorder r = new Recorder();
    try (GaleraDataSource ds = open(settings(galera).build(), r, "it-outside")) {
      String t = table(ds, "outside");
      AtomicLong runs = new AtomicLong();
      long v =
          ds.call(
              c -> {
                long run = runs.incrementAndGet();
                try (Statement st = c.createStatement()) {
                  st.executeUpdate("UPDATE " + t + " SET v = v + 10 WHERE id = 2");
                  if (run == 1) {
                    // another node commits a change to the same row first: ours fails certification
                    try (Connection other =
                            DriverManager.getConnection(
                                galera.node(2).jdbcUrl(), galera.user(), galera.password());
                        Statement o = other.createStatement()) {
                      o.executeUpdate("UPDATE " + t + " SET v = v + 1 WHERE id = 2");
                    }
                  }
                  try (ResultSet rs = st.executeQuery("SELECT v FROM " + t + " WHERE id = 2")) {
                    rs.next();
                    return rs.getLong(1);
                  }
                }
              });
      assertThat(runs.get()).isEqualTo(2);
      assertThat(v).isEqualTo(11);
      assertThat(ds.retries().get(GaleraErrors.Kind.DEADLOCK)).isEqualTo(1);
      GaleraEvent.Retry retry = r.await(GaleraEvent.Retry.class, e -> true);
      assertThat(retry.kind()).isEqualTo(GaleraErrors.Kind.DEADLOCK);
      assertThat(retry.error()).startsWith("1213");
      drop(ds, t);
    }
  }

  @Test
  void readersGoToTheOtherHealthyNodesWithCausalReadsAndFallBackToTheWriter(GaleraCluster galera)
      throws Exception {
    GaleraSettings s =
        settings(galera).readerRouting(true).wsrepSyncWait(OptionalInt.of(1)).build();
    try (GaleraDataSource ds = open(s, new Recorder(), "it-readers")) {
      java.util.Set<String> readNodes = new java.util.TreeSet<>();
      for (int i = 0; i < 6; i++) {
        try (Connection c = ds.readers().getConnection();
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name, @@session.wsrep_sync_wait")) {
          rs.next();
          readNodes.add(rs.getString(1));
          assertThat(rs.getInt(2)).as("causal reads").isEqualTo(1);
        }
      }
      assertThat(readNodes).containsExactly("node2", "node3");
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("node1");
      }
    }
    GaleraSettings noRouting = settings(galera).build();
    try (GaleraDataSource ds = open(noRouting, new Recorder(), "it-no-readers");
        Connection c = ds.readers().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name")) {
      rs.next();
      assertThat(rs.getString(1))
          .as("reader_routing off: reads go to the writer")
          .isEqualTo("node1");
    }
  }

  @Test
  void aNodeDownAtStartIsToleratedAndTheNextBecomesTheWriter(GaleraCluster galera)
      throws Exception {
    galera.node(1).kill();
    try (GaleraDataSource ds = open(settings(galera).build(), new Recorder(), "it-start")) {
      assertThat(ds.writer()).contains(hp(galera.node(2)));
      assertThat(ds.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
      assertThat(ds.nodes().get(0).detail()).contains("refused");
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(2)).isTrue();
      }
    }
  }

  @Test
  void probeSeesEveryNodeAsTheMonitorDoesAndNamesTheWriterADataSourceWouldChoose(
      GaleraCluster galera) throws Exception {
    GaleraSettings s = settings(galera).build();
    List<GaleraProbe.Result> all = GaleraProbe.probeAll(s);
    assertThat(all).hasSize(3);
    assertThat(all)
        .allSatisfy(
            p -> {
              assertThat(p.reachable()).isTrue();
              assertThat(p.healthy()).as(p.toString()).isTrue();
              assertThat(p.primary()).isTrue();
              assertThat(p.stateComment()).isEqualTo("Synced");
              assertThat(p.clusterSize()).isEqualTo(3);
              assertThat(p.clusterName()).isNotEmpty();
              assertThat(p.clusterUuid()).isEqualTo(all.get(0).clusterUuid());
            });
    assertThat(GaleraProbe.writerOf(all)).contains(hp(galera.node(1)));

    io.ha4j.testkit.GaleraCluster.GaleraNode second = galera.node(2);
    GaleraNode node2 = new GaleraNode(second.address(), second.port(), 0);
    try {
      second.sql("SET GLOBAL wsrep_desync = ON");
      GaleraProbe.Result desynced = GaleraProbe.probe(s, node2);
      assertThat(desynced.reachable()).isTrue();
      assertThat(desynced.desync()).isTrue();
      assertThat(desynced.healthy()).isFalse();
      assertThat(desynced.detail()).contains("wsrep_desync = ON");
    } finally {
      second.sql("SET GLOBAL wsrep_desync = OFF");
    }

    String wrong = "wrong-" + galera.password();
    GaleraProbe.Result denied = GaleraProbe.probe(s.toBuilder().password(wrong).build(), node2);
    assertThat(denied.reachable()).isFalse();
    assertThat(denied.healthy()).isFalse();
    assertThat(denied.error()).contains("1045").doesNotContain(wrong);
    assertThat(denied.toString()).doesNotContain(wrong);
  }
}
