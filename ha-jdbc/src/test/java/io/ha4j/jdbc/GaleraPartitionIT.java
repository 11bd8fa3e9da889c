package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSourceIT.Recorder;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A network partition on the 3-node test-kit Galera cluster: the writer is cut off with iptables in
 * both directions while several threads insert rows through {@link GaleraDataSource#run}.
 */
@ExtendWith(LocalClusters.class)
class GaleraPartitionIT {

  /** Upper bound for anything the cluster or the data source must do; generous on purpose. */
  private static final Duration WAIT = Duration.ofSeconds(180);

  private static final int THREADS = 4;

  private static String hp(GaleraCluster.GaleraNode n) {
    return n.address() + ":" + n.port();
  }

  private static GaleraSettings settings(GaleraCluster galera) {
    List<GaleraNode> nodes = new ArrayList<>();
    galera.nodes().forEach(n -> nodes.add(new GaleraNode(n.address(), n.port(), 0)));
    return GaleraSettings.builder()
        .nodes(nodes)
        .username(galera.user())
        .password(galera.password())
        .database(galera.database())
        .maxPoolSize(THREADS)
        .maxOverflow(THREADS)
        .retry(
            new DbRetrySettings(
                Duration.ofMillis(200), true, Duration.ofSeconds(2), OptionalInt.of(20)))
        .build();
  }

  @Test
  void isolatingTheWriterUnderAnInsertLoadMovesWritesAndLosesOrDoublesNoRow(GaleraCluster galera)
      throws Exception {
    Recorder r = new Recorder();
    GaleraCluster.GaleraNode writer = galera.node(1);
    // no unique key on v: a unit of work run twice would show up as a doubled value
    String t = "partition" + System.nanoTime();
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    Set<Long> unknown = ConcurrentHashMap.newKeySet();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicLong nextValue = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (GaleraDataSource ds =
        GaleraDataSource.builder().settings(settings(galera)).listener(r).name("it-part").build()) {
      assertThat(ds.writer()).contains(hp(writer));
      ds.run(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute(
                  "CREATE TABLE "
                      + t
                      + " (pk BIGINT AUTO_INCREMENT PRIMARY KEY, v BIGINT NOT NULL, KEY (v))");
            }
          });
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    long v = nextValue.incrementAndGet();
                    try {
                      ds.run(c -> insert(c, t, v));
                      committed.add(v);
                    } catch (CommitOutcomeUnknownException e) {
                      unknown.add(v);
                    } catch (SQLException | RuntimeException e) {
                      errors.add(e);
                    }
                  }
                }));
      }
      awaitAtLeast("200 commits before the partition", committed, 200);

      long cut = System.nanoTime();
      writer.isolate();
      GaleraEvent.WriterChanged w =
          r.await(GaleraEvent.WriterChanged.class, e -> hp(writer).equals(e.from()));
      Duration moved = Duration.ofNanos(System.nanoTime() - cut);
      Optional<String> writerAfterMove = ds.writer();
      awaitAtLeast("200 commits after the move", committed, committed.size() + 200);
      stop.set(true);
      for (Future<?> f : workers) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      writer.heal();
      Waits.until(
          "the isolated node to rejoin",
          WAIT,
          Duration.ofMillis(200),
          () ->
              writer.status().healthyMemberOf(galera.nodes().size())
                  ? Waits.Poll.done()
                  : Waits.Poll.notYet(writer.status().toString()));
      galera.awaitHealthy(WAIT);

      Map<Long, Long> rows = rowsByValue(ds, t);
      Set<Long> lost = new TreeSet<>(committed);
      lost.removeAll(rows.keySet());
      Set<Long> doubled = new TreeSet<>();
      rows.forEach(
          (v, n) -> {
            if (n > 1) {
              doubled.add(v);
            }
          });
      Set<Long> unreported = new TreeSet<>(rows.keySet());
      unreported.removeAll(committed);
      unreported.removeAll(unknown);
      long unknownPresent = unknown.stream().filter(rows::containsKey).count();
      String report =
          String.format(
              "%d commits, %d rows, %d lost, %d doubled, %d unknown outcomes (%d of them"
                  + " committed), %d errors surfaced, %d rows of failed calls; writer %s -> %s"
                  + " %d ms after the cut; retries %s",
              committed.size(),
              rows.values().stream().mapToLong(Long::longValue).sum(),
              lost.size(),
              doubled.size(),
              unknown.size(),
              unknownPresent,
              errors.size(),
              unreported.size(),
              w.from(),
              w.to(),
              moved.toMillis(),
              ds.retries());
      System.out.println("writer isolated under load: " + report);
      assertThat(lost).as("committed rows missing: %s", report).isEmpty();
      assertThat(doubled).as("values present twice: %s", report).isEmpty();
      assertThat(unreported).as("rows of calls that failed: %s", report).isEmpty();
      assertThat(errors).as("failures surfaced to the caller: %s", report).isEmpty();
      // commit markers (on by default) resolve every COMMIT lost with the isolated writer
      assertThat(unknown).as("unknown outcomes surfaced: %s", report).isEmpty();
      assertThat(w.to()).isNotEqualTo(hp(writer));
      assertThat(writerAfterMove).contains(w.to());
      // the rejoined node received every row (IST after the heal)
      Waits.until(
          "the rejoined node to hold every row",
          WAIT,
          Duration.ofMillis(200),
          () -> {
            String n =
                writer.sql("SELECT COUNT(*) FROM " + galera.database() + "." + t).get(0).trim();
            return Long.parseLong(n) == rows.values().stream().mapToLong(Long::longValue).sum()
                ? Waits.Poll.done()
                : Waits.Poll.notYet(n + " rows on " + hp(writer));
          });
      ds.run(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute("DROP TABLE " + t);
            }
          });
    } finally {
      stop.set(true);
      pool.shutdownNow();
      writer.heal();
      pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static void insert(Connection c, String t, long v) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (v) VALUES (?)")) {
      ps.setLong(1, v);
      ps.executeUpdate();
    }
  }

  private static Map<Long, Long> rowsByValue(GaleraDataSource ds, String t) throws SQLException {
    return ds.call(
        c -> {
          Map<Long, Long> m = new HashMap<>();
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT v, COUNT(*) FROM " + t + " GROUP BY v")) {
            while (rs.next()) {
              m.put(rs.getLong(1), rs.getLong(2));
            }
          }
          return m;
        });
  }

  private static void awaitAtLeast(String what, Set<Long> set, int n) {
    Waits.until(
        what,
        WAIT,
        Duration.ofMillis(20),
        () -> set.size() >= n ? Waits.Poll.done() : Waits.Poll.notYet(set.size() + " so far"));
  }
}
