package io.ha4j.cli.internal;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.internal.StatusQuery;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.GaleraCluster.GaleraNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The probe-cost part of {@code ha4j bench instances}: the server CPU time one node spends on the
 * status query every {@code GaleraDataSource} sends it every {@code check_interval} (GALERA.md,
 * "Node signals"; {@link StatusQuery#SQL}), read from {@code /proc/<mariadbd pid>/stat} around a
 * loop of the query on kept connections, as the monitor keeps one, less what the node uses idle.
 * {@code SELECT 1} is measured the same way as the floor of a round trip. From the cost: how many
 * instances a node carries before their probes take more than 1 % of one core.
 */
final class ProbeCost {

  /** The share of one core the probes may take. */
  static final double BUDGET = 0.01;

  /** How long the node's idle CPU use is measured. */
  static final Duration IDLE = Duration.ofSeconds(5);

  /** Bound on the probing threads connecting, and on their ending after the measured time. */
  static final Duration THREAD_BOUND = Duration.ofSeconds(30);

  /** Fleet sizes for which the report gives a node's share of one core. */
  static final List<Integer> FLEET = List.of(100, 1_000, 10_000);

  /**
   * Not used any more, measured for comparison: the status query of ha4j 0.1 before it read {@code
   * GLOBAL_STATUS} in one scan, one scalar subquery (one scan) per status value.
   */
  static final String EIGHT_SCANS =
      "SELECT"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_READY'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_CONNECTED'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATUS'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATE_UUID'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'),"
          + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
          + " WHERE VARIABLE_NAME = 'WSREP_CLUSTER_CONF_ID'),"
          + " @@wsrep_desync, @@wsrep_reject_queries, @@read_only,"
          + " @@wsrep_sst_donor_rejects_queries, @@wsrep_cluster_name";

  private ProbeCost() {}

  /**
   * Measures on node 1 with {@code threads} probing threads (one: a node's monitors send their
   * probes at unrelated times) for {@code seconds} per query.
   */
  static Map<String, Object> measure(
      GaleraCluster galera, int threads, int seconds, Consumer<String> progress) throws Exception {
    GaleraNode node = galera.node(1);
    long pid =
        node.serverPid()
            .orElseThrow(() -> new IllegalStateException("node 1 runs no mariadbd: " + node));
    long hz = clockTicksPerSecond();
    long i0 = ticks(pid);
    long t0 = System.nanoTime();
    Thread.sleep(IDLE.toMillis());
    double idleS = (System.nanoTime() - t0) / 1e9;
    double idleRate = (ticks(pid) - i0) / idleS;
    progress.accept(
        String.format(Locale.ROOT, "probe cost: node 1 idle uses %.2f ticks/s", idleRate));
    Map<String, Object> queries = new LinkedHashMap<>();
    double statusCost = 0;
    Map<String, String> sqls = new LinkedHashMap<>();
    sqls.put("status_query", StatusQuery.SQL);
    sqls.put("status_query_eight_scans", EIGHT_SCANS);
    sqls.put("show_status_wsrep", "SHOW GLOBAL STATUS LIKE 'wsrep_%'");
    sqls.put("select_1", "SELECT 1");
    for (Map.Entry<String, String> q : sqls.entrySet()) {
      Load l = load(galera, node, pid, q.getValue(), threads, seconds);
      double us = InstanceLines.cpuMicrosPerProbe(l.ticks(), idleRate, l.seconds(), hz, l.probes());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("probes", l.probes());
      m.put("seconds", round2(l.seconds()));
      m.put("probes_per_s", Math.round(l.probes() / l.seconds()));
      m.put("server_cpu_ticks", l.ticks());
      m.put("errors", l.errors());
      m.put("cpu_us_per_probe", round2(us));
      queries.put(q.getKey(), m);
      if (q.getKey().equals("status_query")) {
        statusCost = us;
      }
      progress.accept(
          String.format(
              Locale.ROOT,
              "probe cost: %s, %d in %.1f s, %d ticks: %.1f µs of server CPU each",
              q.getKey(),
              l.probes(),
              l.seconds(),
              l.ticks(),
              us));
    }
    long intervalMs = GaleraSettings.DEFAULT_CHECK_INTERVAL.toMillis();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("node", node.hostAndPort());
    report.put("server_pid", pid);
    report.put("clock_ticks_per_s", hz);
    report.put("threads", threads);
    report.put("seconds_per_query", seconds);
    report.put("idle_seconds", round2(idleS));
    report.put("idle_ticks_per_s", round2(idleRate));
    report.put("queries", queries);
    report.put("capacity", capacity(statusCost, intervalMs));
    return report;
  }

  /** The {@code capacity} object: the formula's inputs, its result, and a node's share at scale. */
  static Map<String, Object> capacity(double cpuMicrosPerProbe, long intervalMs) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("check_interval_ms", intervalMs);
    c.put("probes_per_instance_per_node_per_s", 1000.0 / intervalMs);
    c.put("budget_share_of_one_core", BUDGET);
    c.put("cpu_us_per_probe", round2(cpuMicrosPerProbe));
    c.put(
        "formula",
        "max_instances = floor(budget * 1e6 us/s / (cpu_us_per_probe * 1000 / check_interval_ms));"
            + " every instance probes every node, so the cluster's size does not change it");
    c.put(
        "max_instances",
        cpuMicrosPerProbe > 0
            ? InstanceLines.maxInstances(cpuMicrosPerProbe, intervalMs, BUDGET)
            : null);
    Map<String, Object> share = new LinkedHashMap<>();
    for (int n : FLEET) {
      share.put(
          Integer.toString(n),
          Math.round(n * cpuMicrosPerProbe * (1000.0 / intervalMs) / 1e6 * 100_000) / 1000.0);
    }
    c.put("node_cpu_percent_of_one_core_at_instances", share);
    return c;
  }

  /** One query's loop: probes done, server ticks used, and the measured time. */
  record Load(long probes, long ticks, double seconds, long errors) {}

  private static Load load(
      GaleraCluster galera, GaleraNode node, long pid, String sql, int threads, int seconds)
      throws Exception {
    String url = node.jdbcUrl() + "&connectTimeout=1000&socketTimeout=5000";
    AtomicLong probes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Exception> failed = new AtomicReference<>();
    CountDownLatch connected = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong end = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try (Connection c =
                        DriverManager.getConnection(url, galera.user(), galera.password());
                    Statement st = c.createStatement()) {
                  connected.countDown();
                  go.await();
                  while (System.nanoTime() < end.get()) {
                    try (ResultSet rs = st.executeQuery(sql)) {
                      while (rs.next()) {
                        rs.getString(1);
                      }
                      probes.incrementAndGet();
                    } catch (SQLException e) {
                      errors.incrementAndGet();
                    }
                  }
                } catch (SQLException e) {
                  failed.set(e);
                  connected.countDown();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-probe-cost-" + i);
      t.setDaemon(true);
      ts.add(t);
      t.start();
    }
    try {
      if (!connected.await(THREAD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "probing threads did not connect within " + THREAD_BOUND.toSeconds() + " s");
      }
      if (failed.get() != null) {
        throw new IllegalStateException("a probing thread could not connect", failed.get());
      }
      long before = ticks(pid);
      long start = System.nanoTime();
      end.set(start + TimeUnit.SECONDS.toNanos(seconds));
      go.countDown();
      for (Thread t : ts) {
        long left = end.get() + THREAD_BOUND.toNanos() - System.nanoTime();
        if (Bounded.join(t, Duration.ofNanos(Math.max(0, left)), Duration.ofSeconds(5))
            == Bounded.Joined.STUCK) {
          throw new IllegalStateException(
              t.getName() + " still running " + THREAD_BOUND.toSeconds() + " s after its time");
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      return new Load(probes.get(), ticks(pid) - before, elapsed, errors.get());
    } finally {
      end.compareAndSet(0, System.nanoTime());
      go.countDown();
    }
  }

  /** utime + stime of {@code pid}, in clock ticks. */
  private static long ticks(long pid) throws IOException {
    return InstanceLines.cpuTicks(
        Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
  }

  /** {@code getconf CLK_TCK} (100 on Linux almost always; 100 when getconf does not answer). */
  static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 100;
      }
      return Long.parseLong(
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
