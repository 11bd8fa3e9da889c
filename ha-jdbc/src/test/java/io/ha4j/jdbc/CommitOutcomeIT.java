package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.testkit.FaultProxy;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Commit outcome resolution on the 3-node test-kit Galera cluster: a COMMIT whose answer is lost
 * (and one that is lost itself) through a {@link FaultProxy} in front of the writer, and the writer
 * killed under a load of plain, non-idempotent inserts.
 */
@ExtendWith(LocalClusters.class)
class CommitOutcomeIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** The nodes of {@code galera}, the first one reached through {@code proxy} when given. */
  private static GaleraSettings.Builder settings(GaleraCluster galera, FaultProxy proxy) {
    List<GaleraNode> nodes = new ArrayList<>();
    for (GaleraCluster.GaleraNode n : galera.nodes()) {
      if (proxy != null && n.index() == 1) {
        nodes.add(new GaleraNode(proxy.host(), proxy.port(), 0));
      } else {
        nodes.add(new GaleraNode(n.address(), n.port(), 0));
      }
    }
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

  /** A table without a unique key on the application's id, so that a duplicate would show. */
  private static String table(GaleraDataSource ds, String prefix) throws SQLException {
    String t = prefix + System.nanoTime();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + t
              + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY, id BIGINT NOT NULL, KEY (id))");
    }
    return t;
  }

  private static long count(GaleraDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET SESSION wsrep_sync_wait = 1");
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void drop(GaleraDataSource ds, String t) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + t);
    }
  }

  /** A plain insert: no existence check, so running it twice would leave two rows. */
  private static void insert(Connection c, String t, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id) VALUES (?)")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }

  private static List<GaleraEvent.CommitResolved> resolved(GaleraDataSourceIT.Recorder r) {
    List<GaleraEvent.CommitResolved> out = new ArrayList<>();
    r.events.forEach(
        e -> {
          if (e instanceof GaleraEvent.CommitResolved c) {
            out.add(c);
          }
        });
    return out;
  }

  @Test
  void aCommitWhoseAnswerIsLostIsResolvedAsCommittedAndNotRunAgain(GaleraCluster galera)
      throws Exception {
    GaleraCluster.GaleraNode first = galera.node(1);
    GaleraDataSourceIT.Recorder r = new GaleraDataSourceIT.Recorder();
    try (FaultProxy proxy = FaultProxy.start(first.address(), first.port());
        GaleraDataSource ds =
            GaleraDataSource.builder()
                .settings(settings(galera, proxy).build())
                .listener(r)
                .name("it-answer-lost")
                .build()) {
      assertThat(ds.writer()).contains(proxy.host() + ":" + proxy.port());
      String t = table(ds, "answerlost");
      ds.run(c -> insert(c, t, 1)); // creates the marker table, untouched
      AtomicInteger runs = new AtomicInteger();

      proxy.arm(FaultProxy.CommitFault.ANSWER_LOST);
      String result =
          ds.call(
              c -> {
                insert(c, t, 2);
                return "run " + runs.incrementAndGet();
              });

      assertThat(proxy.faults()).isEqualTo(1);
      assertThat(result).isEqualTo("run 1");
      assertThat(runs).hasValue(1);
      assertThat(count(ds, "SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isEqualTo(1);
      assertThat(ds.commitResolutions()).containsEntry(true, 1L).containsEntry(false, 0L);
      assertThat(resolved(r))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.committed()).isTrue();
                assertThat(e.dataSource()).isEqualTo("it-answer-lost");
              });
      System.out.println("answer lost: " + resolved(r).get(0));
      drop(ds, t);
    }
  }

  @Test
  void aCommitThatIsLostIsResolvedAsNotCommittedAndRunOnceMore(GaleraCluster galera)
      throws Exception {
    GaleraCluster.GaleraNode first = galera.node(1);
    GaleraDataSourceIT.Recorder r = new GaleraDataSourceIT.Recorder();
    try (FaultProxy proxy = FaultProxy.start(first.address(), first.port());
        GaleraDataSource ds =
            GaleraDataSource.builder()
                .settings(settings(galera, proxy).build())
                .listener(r)
                .name("it-commit-lost")
                .build()) {
      String t = table(ds, "commitlost");
      AtomicInteger runs = new AtomicInteger();

      proxy.arm(FaultProxy.CommitFault.COMMIT_LOST);
      String result =
          ds.call(
              c -> {
                insert(c, t, 7);
                return "run " + runs.incrementAndGet();
              });

      assertThat(proxy.faults()).isEqualTo(1);
      assertThat(result).isEqualTo("run 2");
      assertThat(count(ds, "SELECT COUNT(*) FROM " + t + " WHERE id = 7")).isEqualTo(1);
      assertThat(ds.commitResolutions()).containsEntry(false, 1L).containsEntry(true, 0L);
      assertThat(resolved(r)).singleElement().satisfies(e -> assertThat(e.committed()).isFalse());
      System.out.println("commit lost: " + resolved(r).get(0));
      drop(ds, t);
    }
  }

  @Test
  void withMarkersOffALostAnswerIsAnUnknownOutcome(GaleraCluster galera) throws Exception {
    GaleraCluster.GaleraNode first = galera.node(1);
    try (FaultProxy proxy = FaultProxy.start(first.address(), first.port());
        GaleraDataSource ds =
            GaleraDataSource.builder()
                .settings(settings(galera, proxy).build())
                .commitMarkers(false)
                .name("it-markers-off")
                .build()) {
      String t = table(ds, "markersoff");

      proxy.arm(FaultProxy.CommitFault.ANSWER_LOST);
      CommitOutcomeUnknownException e =
          catchThrowableOfType(
              () -> ds.run(c -> insert(c, t, 3)), CommitOutcomeUnknownException.class);

      assertThat((Throwable) e).isNotNull();
      assertThat(e.getMessage()).contains(proxy.host() + ":" + proxy.port());
      assertThat(count(ds, "SELECT COUNT(*) FROM " + t + " WHERE id = 3")).isEqualTo(1);
      assertThat(ds.commitResolutions()).containsEntry(true, 0L).containsEntry(false, 0L);
      drop(ds, t);
    }
  }

  @Test
  void killingTheWriterUnderPlainInsertsLosesNoRowDoublesNoneAndHidesNoOutcome(GaleraCluster galera)
      throws Exception {
    GaleraDataSourceIT.Recorder r = new GaleraDataSourceIT.Recorder();
    try (GaleraDataSource ds =
        GaleraDataSource.builder()
            .settings(settings(galera, null).build())
            .listener(r)
            .name("it-kill-plain")
            .build()) {
      String writer = galera.node(1).address() + ":" + galera.node(1).port();
      assertThat(ds.writer()).contains(writer);
      String t = table(ds, "killplain");
      AtomicLong nextId = new AtomicLong();
      Set<Long> returned = ConcurrentHashMap.newKeySet();
      AtomicInteger unknown = new AtomicInteger();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    long id = nextId.incrementAndGet();
                    try {
                      ds.run(c -> insert(c, t, id));
                      returned.add(id);
                    } catch (CommitOutcomeUnknownException e) {
                      unknown.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                      errors.add(e);
                    }
                  }
                }));
      }
      Waits.until(
          "300 commits before the kill",
          WAIT,
          Duration.ofMillis(20),
          () ->
              returned.size() >= 300 ? Waits.Poll.done() : Waits.Poll.notYet(returned.size() + ""));
      long t0 = System.nanoTime();
      galera.node(1).kill();
      GaleraEvent.WriterChanged w =
          r.await(GaleraEvent.WriterChanged.class, e -> writer.equals(e.from()));
      int atSwitch = returned.size();
      Waits.until(
          "300 commits after the switch",
          WAIT,
          Duration.ofMillis(20),
          () ->
              returned.size() >= atSwitch + 300
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(returned.size() + ""));
      stop.set(true);
      for (Future<?> f : workers) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();
      Duration run = Duration.ofNanos(System.nanoTime() - t0);

      long rows = count(ds, "SELECT COUNT(*) FROM " + t);
      long distinct = count(ds, "SELECT COUNT(DISTINCT id) FROM " + t);
      Set<Long> present = new HashSet<>();
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("SET SESSION wsrep_sync_wait = 1");
        try (ResultSet rs = st.executeQuery("SELECT id FROM " + t)) {
          while (rs.next()) {
            present.add(rs.getLong(1));
          }
        }
      }
      Set<Long> lost = new HashSet<>(returned);
      lost.removeAll(present);
      Set<Long> extra = new HashSet<>(present);
      extra.removeAll(returned);
      List<GaleraEvent.CommitResolved> res = resolved(r);
      System.out.printf(
          "kill writer under plain inserts: %d returned, %d rows, %d distinct, %d lost, %d rows"
              + " of calls that did not return, %d unknown, %d errors, %d resolutions (%d"
              + " committed) in %d ms after the kill, %s, retries %s%n%s%n",
          returned.size(),
          rows,
          distinct,
          lost.size(),
          extra.size(),
          unknown.get(),
          errors.size(),
          res.size(),
          res.stream().filter(GaleraEvent.CommitResolved::committed).count(),
          run.toMillis(),
          w,
          ds.retries(),
          res);

      assertThat(errors).as("failures surfaced to the caller").isEmpty();
      assertThat(unknown).as("unknown outcomes").hasValue(0);
      assertThat(rows - distinct).as("duplicate rows").isZero();
      assertThat(lost).as("rows of calls that returned, missing").isEmpty();
      assertThat(extra).as("rows of calls that did not return").isEmpty();
      assertThat(ds.commitResolutions().get(true) + ds.commitResolutions().get(false))
          .isEqualTo(res.size());
      drop(ds, t);
    }
  }
}
