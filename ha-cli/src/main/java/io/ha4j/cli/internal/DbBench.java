package io.ha4j.cli.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * {@code ha4j bench db}: starts a 3-node test-kit Galera cluster and measures, in one run on that
 * cluster, point-select and single-row-update throughput through {@link GaleraDataSource} against a
 * plain HikariCP pool on the writer node, and the writer failover time after {@code kill -9}
 * against HikariCP over a Connector/J {@code sequential} URL with the same nodes.
 */
final class DbBench {

  private static final int ROWS = 10_000;

  /** Bound on restoring the cluster to healthy after a kill (restarting the killed node). */
  private static final Duration RESTORE = Duration.ofMinutes(3);

  /** Bound on one throughput round's worker threads ending after its measured time. */
  static final Duration ROUND_MARGIN = Duration.ofSeconds(120);

  private final PrintStream out;
  private final PrintStream err;

  DbBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** {@code ha4j bench db}; the two parts can be left out. */
  int run(
      int threads,
      int seconds,
      int rounds,
      int kills,
      boolean json,
      boolean withThroughput,
      boolean withFailover)
      throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("threads", threads);
    setup.put("seconds", seconds);
    setup.put("rounds", rounds);
    setup.put("kills", kills);
    report.put("setup", setup);
    long t0 = System.nanoTime();
    setup.put("recovery_bound_s", RECOVERY_BOUND.toSeconds());
    progress(json, "starting a 3-node Galera cluster (test kit) ...");
    try (GaleraCluster galera = GaleraCluster.builder().name("bench").nodes(3).start()) {
      GaleraSettings s = settings(galera, threads);
      if (withThroughput) {
        report.put("throughput", throughput(galera, s, threads, seconds, rounds, json));
      }
      if (withFailover) {
        report.put("failover", failover(galera, s, kills, json));
      }
    }
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (json) {
      out.println(JsonOut.write(report));
    } else {
      out.println();
      out.println("== ha4j bench db: " + report);
    }
    return 0;
  }

  private static GaleraSettings settings(GaleraCluster galera, int threads) {
    return KitSettings.galera(galera).maxPoolSize(threads).maxOverflow(0).build();
  }

  private HikariDataSource plain(GaleraCluster galera, String url, int size) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(url);
    h.setUsername(galera.user());
    h.setPassword(galera.password());
    h.setMaximumPoolSize(size);
    h.setMinimumIdle(size);
    h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    h.addDataSourceProperty("connectTimeout", 1000);
    h.addDataSourceProperty("socketTimeout", 60_000);
    // as ha4j's own connections to these clear-text nodes (driver 4 defaults to verify-full)
    h.addDataSourceProperty("sslMode", "disable");
    h.setPoolName("bench-plain");
    return new HikariDataSource(h);
  }

  // ---------------------------------------------------------------- throughput

  private Map<String, Object> throughput(
      GaleraCluster galera, GaleraSettings s, int threads, int seconds, int rounds, boolean json)
      throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    try (GaleraDataSource ha = GaleraDataSource.builder().settings(s).name("bench").build();
        HikariDataSource plain = plain(galera, galera.node(1).jdbcUrl(), threads)) {
      if (!ha.writer().orElse("").equals(galera.node(1).address() + ":" + galera.node(1).port())) {
        throw new IllegalStateException("the writer is not node 1: " + ha);
      }
      createTable(ha);
      for (String op : List.of("point_select", "update")) {
        List<Double> h = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
          double a = ops(ha, op, threads, seconds);
          double b = ops(plain, op, threads, seconds);
          if (r > 0) {
            h.add(a);
            p.add(b);
          }
          progress(
              json,
              String.format(
                  "throughput %s, round %d%s: ha4j %.0f ops/s, HikariCP %.0f ops/s",
                  op, r, r == 0 ? " (warm-up)" : "", a, b));
        }
        double hm = BenchCommand.median(h);
        double pm = BenchCommand.median(p);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ha4j_ops_s", Math.round(hm));
        m.put("hikaricp_ops_s", Math.round(pm));
        m.put("ratio", Math.round(hm / pm * 1000) / 1000.0);
        result.put(op, m);
      }
    }
    return result;
  }

  /** The benchmark's table, used by both parts (either may run alone). */
  private static void createTable(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS bench (id INT PRIMARY KEY, v BIGINT NOT NULL)");
      st.execute(
          "INSERT IGNORE INTO bench SELECT seq, 0 FROM seq_1_to_" + ROWS); // MariaDB sequence
    }
  }

  /** Operations per second: each borrows a connection, runs one statement, returns it. */
  private static double ops(DataSource ds, String op, int threads, int seconds) throws Exception {
    String sql =
        op.equals("update")
            ? "UPDATE bench SET v = v + 1 WHERE id = ?"
            : "SELECT v FROM bench WHERE id = ?";
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    long t = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      fs.add(
          pool.submit(
              () -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                  try (Connection c = ds.getConnection();
                      PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, 1 + rnd.nextInt(ROWS));
                    if (op.equals("update")) {
                      ps.executeUpdate();
                    } else {
                      try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                      }
                    }
                    done.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    try {
      long deadline = end + ROUND_MARGIN.toNanos();
      for (Future<?> f : fs) {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new TimeoutException(
          op + " round did not end within " + ROUND_MARGIN.toSeconds() + " s of its time");
    } finally {
      pool.shutdownNow();
    }
    return done.get() / ((System.nanoTime() - t) / 1e9);
  }

  // ---------------------------------------------------------------- failover

  /**
   * Bound on a contender's recovery after a kill: no write started after the kill ends within this
   * time, and the contender counts as not recovered for that kill.
   */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

  /** Bound on the steady phase before a kill (100 writes, and ha4j back on node 1). */
  static final Duration WARM_UP_BOUND = Duration.ofSeconds(60);

  /** Bound on opening a (fresh) contender, finding its node and closing it. */
  static final Duration CONNECT_BOUND = Duration.ofSeconds(60);

  /** Bound on the writer thread ending once told to stop (then it is interrupted). */
  static final Duration JOIN_BOUND = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(1);

  private interface Opener {
    DataSource open() throws Exception;
  }

  private Map<String, Object> failover(
      GaleraCluster galera, GaleraSettings s, int kills, boolean json) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    StringBuilder hosts = new StringBuilder();
    galera
        .nodes()
        .forEach(
            n ->
                hosts
                    .append(hosts.length() == 0 ? "" : ",")
                    .append(n.address())
                    .append(':')
                    .append(n.port()));
    String sequential = "jdbc:mariadb:sequential://" + hosts + "/" + galera.database();
    try (GaleraDataSource setup =
        GaleraDataSource.builder().settings(s).name("bench-setup").build()) {
      createTable(setup);
    }
    Map<String, Opener> variants = new LinkedHashMap<>();
    variants.put("ha4j", () -> GaleraDataSource.builder().settings(s).name("bench-fo").build());
    variants.put("hikaricp_sequential_url", () -> plain(galera, sequential, 4));
    for (Map.Entry<String, Opener> v : variants.entrySet()) {
      FailoverRun<DataSource> run =
          new FailoverRun<>(
              v.getKey(),
              v.getValue()::open,
              ds -> oneKill(galera, ds),
              ds -> ((AutoCloseable) ds).close(),
              () -> galera.restoreHealthy(RESTORE),
              CONNECT_BOUND,
              line -> progress(json, line));
      result.put(v.getKey(), run.run(kills));
    }
    return result;
  }

  /**
   * One writer thread: borrow, one autocommit UPDATE, return, again. Kills the node the writes go
   * to, and returns the time from SIGKILL to the end of the first write started after the server
   * was seen dead. Every wait is bounded: the steady phase by {@link #WARM_UP_BOUND}, finding the
   * node by {@link #CONNECT_BOUND}, the recovery by {@link #RECOVERY_BOUND}, the end of the writer
   * thread by {@link #JOIN_BOUND}.
   *
   * @throws FailoverRun.NotRecoveredException when a bound ran out, with the last failure of the
   *     writer
   */
  private static double oneKill(GaleraCluster galera, DataSource ds) throws Exception {
    AtomicLong writes = new AtomicLong();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAfter = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<SQLException> last = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              while (!stop.get() && !Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                try (Connection c = ds.getConnection();
                    Statement st = c.createStatement()) {
                  st.executeUpdate("UPDATE bench SET v = v + 1 WHERE id = 1");
                  writes.incrementAndGet();
                  if (start >= killedAt.get()) {
                    firstAfter.compareAndSet(0, System.nanoTime());
                  }
                } catch (SQLException e) {
                  last.set(e); // failing over; try again
                }
              }
            },
            "bench-writer");
    t.setDaemon(true);
    t.start();
    boolean measured = false;
    try {
      String best = galera.node(1).address() + ":" + galera.node(1).port();
      // ha4j fails back to node 1 once it is healthy again: kill the writer it settled on (if it
      // has not failed back within the bound, the kill goes to the writer it kept)
      Bounded.SYSTEM.until(
          () ->
              writes.get() >= 100
                  && (!(ds instanceof GaleraDataSource g) || g.writer().orElse("").equals(best)),
          WARM_UP_BOUND,
          POLL);
      if (writes.get() < 100) {
        throw new FailoverRun.NotRecoveredException(
            "only "
                + writes.get()
                + " writes in "
                + WARM_UP_BOUND.toSeconds()
                + " s before the kill; last failure: "
                + describe(last.get()));
      }
      String victimName =
          Bounded.call(
              "finding the node the writes go to",
              CONNECT_BOUND,
              () -> {
                try (Connection c = ds.getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name")) {
                  rs.next();
                  return rs.getString(1);
                }
              });
      GaleraCluster.GaleraNode victim =
          galera.nodes().stream()
              .filter(n -> ("node" + n.index()).equals(victimName))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FailoverRun.NotRecoveredException(
                          "writes go to an unknown node " + victimName));
      long killed = System.nanoTime();
      victim.kill();
      killedAt.set(System.nanoTime());
      if (!Bounded.SYSTEM.until(() -> firstAfter.get() != 0, RECOVERY_BOUND, POLL)) {
        throw new FailoverRun.NotRecoveredException(
            "no write within "
                + RECOVERY_BOUND.toSeconds()
                + " s after killing "
                + victimName
                + "; last failure: "
                + describe(last.get()));
      }
      measured = true;
      return (firstAfter.get() - killed) / 1e6;
    } finally {
      stop.set(true);
      Bounded.Joined j = Bounded.join(t, JOIN_BOUND, JOIN_BOUND);
      if (j == Bounded.Joined.STUCK && measured) {
        // a thread that does not stop leaves the contender unusable: the kill counts as not
        // recovered, and the next one gets a fresh contender
        throw new FailoverRun.NotRecoveredException(
            "writer thread stuck after the sample; last failure: " + describe(last.get()));
      }
    }
  }

  private static String describe(Throwable e) {
    return e == null ? "none" : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }
}
