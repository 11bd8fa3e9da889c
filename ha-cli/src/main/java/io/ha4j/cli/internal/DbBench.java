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
import javax.sql.DataSource;

/**
 * {@code ha4j bench db}: starts a 3-node test-kit Galera cluster and measures, in one run on that
 * cluster, point-select and single-row-update throughput through {@link GaleraDataSource} against a
 * plain HikariCP pool on the writer node, and the writer failover time after {@code kill -9}
 * against HikariCP over a Connector/J {@code sequential} URL with the same nodes.
 */
final class DbBench {

  private static final int ROWS = 10_000;
  private static final Duration RESTORE = Duration.ofMinutes(3);

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
      try (Connection c = ha.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS bench (id INT PRIMARY KEY, v BIGINT NOT NULL)");
        st.execute(
            "INSERT IGNORE INTO bench SELECT seq, 0 FROM seq_1_to_" + ROWS); // MariaDB sequence
      }
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
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - t) / 1e9);
  }

  // ---------------------------------------------------------------- failover

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
    Map<String, DataSource> variants = new LinkedHashMap<>();
    List<AutoCloseable> closing = new ArrayList<>();
    try {
      GaleraDataSource ha = GaleraDataSource.builder().settings(s).name("bench-fo").build();
      closing.add(ha);
      HikariDataSource seq = plain(galera, sequential, 4);
      closing.add(seq);
      variants.put("ha4j", ha);
      variants.put("hikaricp_sequential_url", seq);
      for (Map.Entry<String, DataSource> v : variants.entrySet()) {
        List<Double> ms = new ArrayList<>();
        for (int k = 1; k <= kills; k++) {
          ms.add(oneKill(galera, v.getValue()));
          progress(
              json,
              String.format(
                  "failover %s, kill %d/%d: %.0f ms", v.getKey(), k, kills, ms.get(ms.size() - 1)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_ms", Math.round(BenchCommand.percentile(ms, 50)));
        m.put("p99_ms", Math.round(BenchCommand.percentile(ms, 99)));
        m.put("kills", ms.size());
        m.put("samples_ms", ms.stream().map(Math::round).toList());
        result.put(v.getKey(), m);
      }
    } finally {
      for (AutoCloseable c : closing) {
        c.close();
      }
    }
    return result;
  }

  /**
   * One writer thread: borrow, one autocommit UPDATE, return, again. Kills the node the writes go
   * to, and returns the time from SIGKILL to the end of the first write started after the server
   * was seen dead. The node is restarted and the cluster healed before the next kill.
   */
  private static double oneKill(GaleraCluster galera, DataSource ds) throws Exception {
    AtomicLong writes = new AtomicLong();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAfter = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread t =
        new Thread(
            () -> {
              while (!stop.get()) {
                long start = System.nanoTime();
                try (Connection c = ds.getConnection();
                    Statement st = c.createStatement()) {
                  st.executeUpdate("UPDATE bench SET v = v + 1 WHERE id = 1");
                  writes.incrementAndGet();
                  if (start >= killedAt.get()) {
                    firstAfter.compareAndSet(0, System.nanoTime());
                  }
                } catch (SQLException e) {
                  // failing over; try again
                }
              }
            },
            "bench-writer");
    t.start();
    try {
      long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String best = galera.node(1).address() + ":" + galera.node(1).port();
      // ha4j fails back to node 1 once it is healthy again: kill the writer it settled on
      while (writes.get() < 100
          || (ds instanceof GaleraDataSource g
              && !g.writer().orElse("").equals(best)
              && System.nanoTime() < ready)) {
        Thread.sleep(5);
      }
      String victimName;
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name")) {
        rs.next();
        victimName = rs.getString(1);
      }
      GaleraCluster.GaleraNode victim =
          galera.nodes().stream()
              .filter(n -> ("node" + n.index()).equals(victimName))
              .findFirst()
              .orElseThrow();
      long killed = System.nanoTime();
      victim.kill();
      killedAt.set(System.nanoTime());
      long deadline = killed + TimeUnit.SECONDS.toNanos(120);
      while (firstAfter.get() == 0) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no write within 120 s after killing " + victimName);
        }
        Thread.sleep(1);
      }
      double ms = (firstAfter.get() - killed) / 1e6;
      stop.set(true);
      t.join();
      galera.restoreHealthy(RESTORE);
      return ms;
    } finally {
      stop.set(true);
      t.join();
    }
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }
}
