package io.ha4j.cli.internal;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.config.HaException;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.NodeState;
import io.ha4j.jdbc.NodeStatus;
import io.ha4j.testkit.LoadRows;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** {@code ha4j db check|load}: drives {@link GaleraDataSource}. */
final class DbCommand {

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  DbCommand(Io io) {
    this.out = io.out();
    this.err = io.err();
    this.env = io.env();
  }

  /** {@code ha4j db check}. */
  int check(Commands.ConfigSources sources, boolean json) throws InterruptedException {
    return run(sources, (ds, changes) -> check(ds, json));
  }

  /** {@code ha4j db load}. */
  int load(Commands.ConfigSources sources, int threads, int seconds, String table)
      throws InterruptedException {
    try {
      LoadRows.checkTableName(table);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--table must be a plain table name, was '" + table + "'");
    }
    return run(sources, (ds, changes) -> load(ds, threads, seconds, table, changes));
  }

  private interface Body {
    int run(GaleraDataSource ds, List<Map<String, Object>> writerChanges)
        throws InterruptedException;
  }

  private int run(Commands.ConfigSources sources, Body body) throws InterruptedException {
    HaConfig config = sources.load(env);
    Cli.printProblems(err, config.warnings());
    GaleraSettings settings =
        config
            .galera()
            .orElseThrow(
                () ->
                    new UsageException(
                        "no database configured: set [database] connection (and [galera] nodes)"));
    List<Map<String, Object>> changes = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    GaleraDataSource ds;
    try {
      ds =
          GaleraDataSource.builder()
              .settings(settings)
              .name("ha4j-cli")
              .listener(
                  e -> {
                    if (e instanceof GaleraEvent.WriterChanged w) {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("t_ms", (System.nanoTime() - t0) / 1_000_000);
                      m.put("from", w.from());
                      m.put("to", w.to());
                      m.put("duration_ms", w.duration().toMillis());
                      m.put("writes_blocked_ms", w.writesBlocked().toMillis());
                      m.put("reason", w.reason());
                      changes.add(m);
                    }
                  })
              .build();
    } catch (HaException e) {
      err.println("ha4j: " + e.getMessage());
      return 1;
    }
    try (ds) {
      return body.run(ds, changes);
    }
  }

  private int check(GaleraDataSource ds, boolean json) {
    Map<String, Object> m = describe(ds);
    boolean healthy = Boolean.TRUE.equals(m.get("healthy"));
    if (json) {
      out.println(JsonOut.write(m));
    } else {
      printText(out, m);
      out.println(healthy ? "healthy" : "degraded");
    }
    return healthy ? 0 : 1;
  }

  /**
   * The writer, every node with its wsrep state and role, the cluster name most nodes report, and
   * whether all is healthy.
   */
  static Map<String, Object> describe(GaleraDataSource ds) {
    List<NodeStatus> nodes = ds.nodes();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster_name", majority(nodes.stream().map(NodeStatus::clusterName).toList()));
    m.put("writer", ds.writer().orElse(null));
    List<Map<String, Object>> list = new ArrayList<>();
    for (NodeStatus n : nodes) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("node", n.node());
      j.put("priority", n.priority());
      j.put("state", n.state().name().toLowerCase(java.util.Locale.ROOT));
      j.put("cluster_name", n.clusterName());
      j.put("wsrep_state", n.wsrepState());
      j.put("cluster_status", n.clusterStatus());
      j.put("cluster_size", n.clusterSize());
      j.put("role", n.writer() ? "writer" : n.state() == NodeState.HEALTHY ? "reader" : "none");
      j.put("detail", n.detail());
      list.add(j);
    }
    m.put("nodes", list);
    m.put(
        "healthy",
        ds.writer().isPresent() && nodes.stream().allMatch(n -> n.state() == NodeState.HEALTHY));
    return m;
  }

  /**
   * The value most of {@code names} have, ignoring empty ones (ties: the first seen); "" if none.
   */
  static String majority(List<String> names) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (String n : names) {
      if (n != null && !n.isEmpty()) {
        votes.merge(n, 1, Integer::sum);
      }
    }
    String best = "";
    int most = 0;
    for (Map.Entry<String, Integer> e : votes.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    return best;
  }

  /**
   * {@link #describe} for people: a header with the cluster name and the writer, then one line per
   * node that names it by address: its state, wsrep state and role, or why it is not healthy.
   *
   * <pre>
   * Galera cluster 'ha4j', writer 127.0.0.21:20031
   *   127.0.0.21:20031 healthy, Synced/Primary, 3 nodes, writer
   *   127.0.0.23:20033 unreachable: connection refused
   * </pre>
   */
  @SuppressWarnings("unchecked")
  static void printText(PrintStream out, Map<String, Object> db) {
    String cluster = String.valueOf(db.getOrDefault("cluster_name", ""));
    out.println(
        "Galera cluster "
            + (cluster.isEmpty() ? "(no node answered)" : "'" + cluster + "'")
            + ", writer "
            + (db.get("writer") == null ? "none" : db.get("writer")));
    for (Map<String, Object> n : (List<Map<String, Object>>) db.get("nodes")) {
      out.println("  " + n.get("node") + " " + nodeText(n, cluster));
    }
  }

  private static String nodeText(Map<String, Object> n, String cluster) {
    String state = String.valueOf(n.get("state"));
    String detail = String.valueOf(n.get("detail"));
    String wsrep = String.valueOf(n.get("wsrep_state"));
    String name = String.valueOf(n.get("cluster_name"));
    StringBuilder b = new StringBuilder(state);
    if ("unreachable".equals(state) || "unknown".equals(state)) {
      return b.append(": ").append(detail.isEmpty() ? "no answer" : detail).toString();
    }
    if (!wsrep.isEmpty()) {
      b.append(", ")
          .append(wsrep)
          .append('/')
          .append(n.get("cluster_status"))
          .append(", ")
          .append(n.get("cluster_size"))
          .append(" nodes");
    }
    if (!name.isEmpty() && !name.equals(cluster)) {
      b.append(", in cluster '").append(name).append('\'');
    }
    b.append(", ").append(n.get("role"));
    if (!detail.isEmpty()) {
      b.append(" (").append(detail).append(')');
    }
    return b.toString();
  }

  /**
   * Each transaction inserts one row with a unique client-generated id and adds one to a shared hot
   * row. The work is idempotent (it looks for its row first), so a COMMIT whose answer was lost is
   * re-run safely, and the table must end with exactly as many rows as commits.
   */
  private int load(
      GaleraDataSource ds,
      int threads,
      int seconds,
      String table,
      List<Map<String, Object>> changes)
      throws InterruptedException {
    long runId = System.currentTimeMillis() * 1000;
    try {
      prepareTable(ds, table);
    } catch (SQLException e) {
      err.println("ha4j: cannot prepare " + table + ": " + e.getMessage());
      return 1;
    }
    AtomicLong nextId = new AtomicLong(runId);
    AtomicLong commits = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<String> firstErrors = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      fs.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long id = nextId.incrementAndGet();
                  try {
                    ds.callIdempotent(c -> LoadRows.insertOnce(c, table, id));
                    commits.incrementAndGet();
                  } catch (SQLException | RuntimeException e) {
                    errors.incrementAndGet();
                    if (firstErrors.size() < 5) {
                      firstErrors.add(e.toString());
                    }
                  }
                }
              }));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        errors.incrementAndGet();
      }
    }
    pool.shutdown();
    long rows = -1;
    try {
      rows = countRows(ds, table, runId);
    } catch (SQLException e) {
      firstErrors.add("counting rows: " + e);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("commits", commits.get());
    m.put("rows", rows);
    Map<String, Object> retries = new LinkedHashMap<>();
    ds.retries()
        .forEach(
            (k, v) -> {
              if (v > 0 || k == GaleraErrors.Kind.DEADLOCK) {
                retries.put(k.name().toLowerCase(java.util.Locale.ROOT), v);
              }
            });
    m.put("retries", retries);
    m.put("errors", errors.get());
    m.put("writer_changes", changes.stream().filter(c -> c.get("from") != null).toList());
    m.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000);
    out.println(JsonOut.write(m));
    firstErrors.forEach(e -> err.println("ha4j: " + e));
    return errors.get() == 0 && rows == commits.get() ? 0 : 1;
  }

  /** The load's table: one row per transaction, and the hot row 0. */
  static void prepareTable(GaleraDataSource ds, String table) throws SQLException {
    ds.run(c -> LoadRows.createTable(c, table));
  }

  /** Rows of the load written after {@code runId} (ids are the run id plus a counter). */
  static long countRows(GaleraDataSource ds, String table, long runId) throws SQLException {
    return ds.call(c -> LoadRows.countRowsAfter(c, table, runId));
  }
}
