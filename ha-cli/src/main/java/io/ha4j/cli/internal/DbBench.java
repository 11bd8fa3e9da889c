package io.ha4j.cli.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.HaproxyFront;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * {@code ha4j bench db}: starts a 3-node test-kit Galera cluster and measures, in one run on that
 * cluster, five ways of reaching it ({@link Contender}): point-select and single-row-update
 * throughput, and the writer failover after each {@link Fault} (kill -9, SIGSTOP, iptables
 * isolation of the node the contender writes to). For ha4j each failover is split into the
 * cluster's own stall (seen by a raw probe writer on a surviving node) and ha4j's share after it.
 */
final class DbBench {

  private static final int ROWS = 10_000;

  /** Rows the probe writer updates, one after the other (the contenders write row 1). */
  private static final int PROBE_FIRST_ROW = 5_001;

  /** Bound on restoring the cluster to healthy after a fault (restarting the killed node). */
  private static final Duration RESTORE = Duration.ofMinutes(3);

  /** Bound on one throughput round's worker threads ending after its measured time. */
  static final Duration ROUND_MARGIN = Duration.ofSeconds(120);

  /** The five ways of reaching the cluster, by their names in the report. */
  enum Contender {
    /** {@link GaleraDataSource} over every node. */
    HA4J,
    /** HikariCP on node 1 only. */
    HIKARI_WRITER,
    /** HikariCP through HAProxy as the OpenStack HA guide configures it. */
    HAPROXY_GUIDE,
    /** HikariCP through HAProxy with the guide's checks tuned for fast failover. */
    HAPROXY_TUNED,
    /** HikariCP over a Connector/J {@code jdbc:mariadb:sequential://} URL of every node. */
    SEQUENTIAL_URL;

    /** The name in the report: {@code ha4j}, {@code hikari_writer}, … */
    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The contender named {@code id}.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    static Contender parse(String id) {
      for (Contender c : values()) {
        if (c.id().equals(id.trim())) {
          return c;
        }
      }
      throw new IllegalArgumentException(
          "must be one or more of ha4j, hikari_writer, haproxy_guide, haproxy_tuned,"
              + " sequential_url separated by commas, was '"
              + id
              + "'");
    }
  }

  /** A fault of the node a contender writes to. */
  enum Fault {
    /** {@code kill -9} of the server; restarted by the cluster's recovery after the sample. */
    KILL,
    /** SIGSTOP of the server (a hung writer); resumed after the sample. */
    STOP,
    /** Every packet from and to the node's address dropped (iptables); healed after the sample. */
    ISOLATE;

    /** The name in the report and on the command line: {@code kill}, {@code stop}, … */
    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The fault named {@code id}.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    static Fault parse(String id) {
      for (Fault f : values()) {
        if (f.id().equals(id.trim())) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "must be one or more of kill, stop, isolate separated by commas, was '" + id + "'");
    }

    void inject(GaleraNode n) {
      switch (this) {
        case KILL -> n.kill();
        case STOP -> n.pause();
        case ISOLATE -> n.isolate();
      }
    }

    /** Ends the fault where that needs no restart: the killed node waits for the recovery. */
    void undo(GaleraNode n) {
      switch (this) {
        case KILL -> {}
        case STOP -> {
          if (n.isPaused()) {
            n.resume();
          }
        }
        case ISOLATE -> n.heal();
      }
    }
  }

  /** What the run measures; the evs timeouts are null for the kit's defaults. */
  record Options(
      int threads,
      int seconds,
      int rounds,
      int kills,
      List<Fault> faults,
      Duration evsSuspect,
      Duration evsInactive,
      boolean json,
      boolean withThroughput,
      boolean withFailover,
      List<Contender> failoverContenders) {
    Options {
      faults = List.copyOf(faults);
      if (faults.isEmpty()) {
        throw new IllegalArgumentException("faults must name at least one fault kind");
      }
      failoverContenders = List.copyOf(failoverContenders);
      if (failoverContenders.isEmpty()) {
        throw new IllegalArgumentException("the failover part needs at least one contender");
      }
      if ((evsSuspect == null) != (evsInactive == null)) {
        throw new IllegalArgumentException(
            "--evs-suspect and --evs-inactive must be given together");
      }
    }
  }

  private final PrintStream out;
  private final PrintStream err;

  DbBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** {@code ha4j bench db}; the two parts can be left out. */
  int run(Options o) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    GaleraCluster.Builder b = GaleraCluster.builder().name("bench").nodes(3);
    if (o.evsSuspect() != null) {
      b.evsTimeouts(o.evsSuspect(), o.evsInactive());
    }
    progress(o.json(), "starting a 3-node Galera cluster (test kit) ...");
    try (GaleraCluster galera = b.start();
        HaproxyFront guide = galera.haproxy(HaproxyFront.Variant.GUIDE);
        HaproxyFront tuned = galera.haproxy(HaproxyFront.Variant.TUNED)) {
      report.put(
          "setup",
          setup(o, galera.evsSuspectTimeout(), galera.evsInactiveTimeout(), RECOVERY_BOUND));
      GaleraSettings s = settings(galera, o.threads());
      Map<Contender, String> urls = urls(galera, guide, tuned);
      try (GaleraDataSource setup =
          GaleraDataSource.builder().settings(s).name("bench-setup").build()) {
        createTable(setup);
      }
      Map<Contender, Map<String, Double>> tp = null;
      if (o.withThroughput()) {
        tp = throughput(galera, s, urls, o);
      }
      Map<Contender, Map<Fault, Map<String, Object>>> fo = new EnumMap<>(Contender.class);
      Map<Fault, List<Split>> splits = new EnumMap<>(Fault.class);
      if (o.withFailover()) {
        failover(galera, s, urls, guide, tuned, o, fo, splits);
      }
      report.put("contenders", contenders(tp, fo));
      if (tp != null) {
        report.put("ha4j_vs_haproxy_guide", versusGuide(tp));
      }
      if (o.withFailover()) {
        report.put("failover_split", failoverSplit(o.faults(), splits));
      }
    }
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (o.json()) {
      out.println(JsonOut.write(report));
    } else {
      out.println();
      out.println("== ha4j bench db: " + report);
    }
    return 0;
  }

  static Map<String, Object> setup(
      Options o, Duration evsSuspect, Duration evsInactive, Duration recoveryBound) {
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("threads", o.threads());
    setup.put("seconds", o.seconds());
    setup.put("rounds", o.rounds());
    setup.put("kills", o.kills());
    setup.put("faults", o.faults().stream().map(Fault::id).toList());
    setup.put("contenders", List.of(Contender.values()).stream().map(Contender::id).toList());
    setup.put("failover_contenders", o.failoverContenders().stream().map(Contender::id).toList());
    setup.put("evs_suspect_ms", evsSuspect.toMillis());
    setup.put("evs_inactive_ms", evsInactive.toMillis());
    setup.put("evs_timeouts", o.evsSuspect() == null ? "default" : "--evs-suspect/--evs-inactive");
    setup.put("recovery_bound_s", recoveryBound.toSeconds());
    setup.put("probe_socket_timeout_ms", PROBE_SOCKET_TIMEOUT.toMillis());
    return setup;
  }

  private static GaleraSettings settings(GaleraCluster galera, int threads) {
    return KitSettings.galera(galera).maxPoolSize(threads).maxOverflow(0).build();
  }

  /** The JDBC URL of every HikariCP contender. */
  private static Map<Contender, String> urls(
      GaleraCluster galera, HaproxyFront guide, HaproxyFront tuned) {
    Map<Contender, String> urls = new EnumMap<>(Contender.class);
    urls.put(Contender.HIKARI_WRITER, galera.node(1).jdbcUrl());
    urls.put(Contender.HAPROXY_GUIDE, guide.jdbcUrl());
    urls.put(Contender.HAPROXY_TUNED, tuned.jdbcUrl());
    urls.put(
        Contender.SEQUENTIAL_URL,
        sequentialUrl(galera.hostsAndPorts(), galera.database()) + "?sslMode=disable");
    return urls;
  }

  /** {@code jdbc:mariadb:sequential://h1:p1,h2:p2,…/db}, options to be appended. */
  static String sequentialUrl(List<String> hostsAndPorts, String database) {
    return "jdbc:mariadb:sequential://" + String.join(",", hostsAndPorts) + "/" + database;
  }

  /**
   * A HikariCP pool of {@code size} connections on {@code url} as the benchmarks' plain contenders
   * use it: read committed, 1 s connect timeout, 60 s socket timeout, no TLS.
   */
  static HikariDataSource hikari(String url, String user, String password, int size, String name) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(url);
    h.setUsername(user);
    h.setPassword(password);
    h.setMaximumPoolSize(size);
    h.setMinimumIdle(size);
    h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    h.addDataSourceProperty("connectTimeout", 1000);
    h.addDataSourceProperty("socketTimeout", 60_000);
    // as ha4j's own connections to these clear-text nodes (driver 4 defaults to verify-full)
    h.addDataSourceProperty("sslMode", "disable");
    h.setPoolName("bench-" + name);
    return new HikariDataSource(h);
  }

  private DataSource open(
      Contender c, GaleraCluster galera, GaleraSettings s, Map<Contender, String> urls, int size) {
    if (c == Contender.HA4J) {
      return GaleraDataSource.builder().settings(s).name("bench").build();
    }
    return hikari(urls.get(c), galera.user(), galera.password(), size, c.id());
  }

  // ---------------------------------------------------------------- throughput

  private Map<Contender, Map<String, Double>> throughput(
      GaleraCluster galera, GaleraSettings s, Map<Contender, String> urls, Options o)
      throws Exception {
    Map<Contender, DataSource> open = new EnumMap<>(Contender.class);
    Map<Contender, Map<String, Double>> result = new EnumMap<>(Contender.class);
    try {
      for (Contender c : Contender.values()) {
        open.put(c, open(c, galera, s, urls, o.threads()));
      }
      GaleraDataSource ha = (GaleraDataSource) open.get(Contender.HA4J);
      if (!ha.writer().orElse("").equals(galera.node(1).hostAndPort())) {
        throw new IllegalStateException("the writer is not node 1: " + ha);
      }
      for (String op : List.of("point_select", "update")) {
        Map<Contender, List<Double>> rounds = new EnumMap<>(Contender.class);
        Map<Contender, Long> errors = new EnumMap<>(Contender.class);
        for (int r = 0; r <= o.rounds(); r++) {
          StringBuilder line = new StringBuilder();
          for (Contender c : Contender.values()) {
            Round x = ops(open.get(c), op, o.threads(), o.seconds());
            if (r > 0) {
              rounds.computeIfAbsent(c, k -> new ArrayList<>()).add(x.opsPerSecond());
              errors.merge(c, x.errors(), Long::sum);
            }
            line.append(String.format(", %s %.0f ops/s", c.id(), x.opsPerSecond()));
            if (x.errors() > 0) {
              line.append(String.format(" (%d errors, first: %s)", x.errors(), x.firstError()));
            }
          }
          progress(
              o.json(), "throughput " + op + ", round " + r + (r == 0 ? " (warm-up)" : "") + line);
        }
        rounds.forEach(
            (c, xs) -> {
              Map<String, Double> own = result.computeIfAbsent(c, k -> new LinkedHashMap<>());
              own.put(op, BenchCommand.median(xs));
              own.put(op + ERRORS, (double) errors.getOrDefault(c, 0L));
            });
      }
    } finally {
      for (DataSource ds : open.values()) {
        ((AutoCloseable) ds).close();
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

  /** Key suffix of a throughput entry that counts failed operations, not ops/s. */
  static final String ERRORS = "_errors";

  /**
   * One throughput round of one contender: operations per second and the operations that failed
   * (counted, the round goes on: a node of a loaded 2-core cluster can drop out for a moment).
   */
  record Round(double opsPerSecond, long errors, String firstError) {}

  /** Operations per second: each borrows a connection, runs one statement, returns it. */
  private static Round ops(DataSource ds, String op, int threads, int seconds) throws Exception {
    String sql =
        op.equals("update")
            ? "UPDATE bench SET v = v + 1 WHERE id = ?"
            : "SELECT v FROM bench WHERE id = ?";
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
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
                  } catch (SQLException e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, describe(e));
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
    return new Round(done.get() / ((System.nanoTime() - t) / 1e9), failed.get(), firstError.get());
  }

  // ---------------------------------------------------------------- report

  private static long ratio(double a, double b) {
    return Math.round(a / b * 1000);
  }

  /**
   * The {@code contenders} object: each contender (in {@link Contender} order) with its {@code
   * throughput} (ops/s and the ratio to ha4j per operation), when measured, and its {@code
   * failover} per fault kind ({@link FailoverRun}'s figures plus {@code samples}), when measured.
   */
  static Map<String, Object> contenders(
      Map<Contender, Map<String, Double>> throughput,
      Map<Contender, Map<Fault, Map<String, Object>>> failover) {
    Map<String, Object> result = new LinkedHashMap<>();
    for (Contender c : Contender.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (throughput != null && throughput.containsKey(c)) {
        Map<String, Double> own = throughput.get(c);
        Map<String, Double> ha = throughput.get(Contender.HA4J);
        Map<String, Object> t = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : own.entrySet()) {
          if (e.getKey().endsWith(ERRORS)) {
            t.put(e.getKey(), Math.round(e.getValue()));
            continue;
          }
          t.put(e.getKey() + "_ops_s", Math.round(e.getValue()));
          t.put(e.getKey() + "_ratio_to_ha4j", ratio(e.getValue(), ha.get(e.getKey())) / 1000.0);
        }
        m.put("throughput", t);
      }
      Map<Fault, Map<String, Object>> runs = failover.get(c);
      if (runs != null) {
        Map<String, Object> f = new LinkedHashMap<>();
        runs.forEach(
            (fault, run) -> {
              Map<String, Object> r = new LinkedHashMap<>(run);
              r.put("samples", run.get("recovered"));
              f.put(fault.id(), r);
            });
        m.put("failover", f);
      }
      result.put(c.id(), m);
    }
    return result;
  }

  /** ha4j's throughput over the guide's HAProxy per operation, and the goal (at least 1.0). */
  static Map<String, Object> versusGuide(Map<Contender, Map<String, Double>> throughput) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Double> ha = throughput.get(Contender.HA4J);
    Map<String, Double> guide = throughput.get(Contender.HAPROXY_GUIDE);
    ha.forEach(
        (op, x) -> {
          if (!op.endsWith(ERRORS)) {
            m.put(op, ratio(x, guide.get(op)) / 1000.0);
          }
        });
    m.put("goal_at_least", 1.0);
    return m;
  }

  /**
   * One split failover of ha4j, in milliseconds: the cluster's own stall (from the fault to the
   * probe's first commit on a survivor) and ha4j's share after it (0 when ha4j committed first).
   */
  record Split(double clusterStallMs, double ha4jShareMs) {
    /**
     * @param probeMs from the fault to the raw probe's first commit on a surviving node
     * @param ha4jMs from the fault to ha4j's first commit
     */
    static Split of(double probeMs, double ha4jMs) {
      if (probeMs < 0 || ha4jMs < 0) {
        throw new IllegalArgumentException(
            "times from the fault must not be negative, were " + probeMs + " and " + ha4jMs);
      }
      return new Split(probeMs, Math.max(0, ha4jMs - probeMs));
    }
  }

  /**
   * The {@code failover_split} object: per fault kind, p50/p99 of the cluster's stall and of ha4j's
   * share (null without a sample) and the number of samples.
   */
  static Map<String, Object> failoverSplit(List<Fault> faults, Map<Fault, List<Split>> splits) {
    Map<String, Object> result = new LinkedHashMap<>();
    for (Fault f : faults) {
      List<Split> xs = splits.getOrDefault(f, List.of());
      List<Double> stall = xs.stream().map(Split::clusterStallMs).toList();
      List<Double> share = xs.stream().map(Split::ha4jShareMs).toList();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cluster_stall_p50_ms", percentile(stall, 50));
      m.put("cluster_stall_p99_ms", percentile(stall, 99));
      m.put("ha4j_share_p50_ms", percentile(share, 50));
      m.put("ha4j_share_p99_ms", percentile(share, 99));
      m.put("samples", xs.size());
      result.put(f.id(), m);
    }
    return result;
  }

  private static Long percentile(List<Double> xs, int p) {
    return xs.isEmpty() ? null : Math.round(BenchCommand.percentile(xs, p));
  }

  // ---------------------------------------------------------------- failover

  /**
   * Bound on a contender's recovery after a fault: no write started after the fault ends within
   * this time, and the contender counts as not recovered for that sample.
   */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

  /** Bound on the steady phase before a fault (100 writes, and back on node 1). */
  static final Duration WARM_UP_BOUND = Duration.ofSeconds(60);

  /** Bound on opening a (fresh) contender, finding its node and closing it. */
  static final Duration CONNECT_BOUND = Duration.ofSeconds(60);

  /** Bound on the writer thread ending once told to stop (then it is interrupted). */
  static final Duration JOIN_BOUND = Duration.ofSeconds(10);

  /** Socket timeout of each probe statement: a stalled commit is given up and tried again. */
  static final Duration PROBE_SOCKET_TIMEOUT = Duration.ofMillis(500);

  private static final Duration POLL = Duration.ofMillis(1);

  private static final Duration READY_POLL = Duration.ofMillis(50);

  private void failover(
      GaleraCluster galera,
      GaleraSettings s,
      Map<Contender, String> urls,
      HaproxyFront guide,
      HaproxyFront tuned,
      Options o,
      Map<Contender, Map<Fault, Map<String, Object>>> result,
      Map<Fault, List<Split>> splits)
      throws Exception {
    for (Contender c : o.failoverContenders()) {
      BooleanSupplier onNode1 = readiness(c, guide, tuned);
      for (Fault fault : o.faults()) {
        AtomicReference<DataSource> current = new AtomicReference<>();
        FailoverRun<DataSource> run =
            new FailoverRun<>(
                c.id() + " " + fault.id(),
                () -> {
                  DataSource ds = open(c, galera, s, urls, 4);
                  current.set(ds);
                  return ds;
                },
                ds -> {
                  Sample x = oneFault(galera, ds, fault, onNode1);
                  if (c == Contender.HA4J && x.probeMs() != null) {
                    splits
                        .computeIfAbsent(fault, k -> new ArrayList<>())
                        .add(Split.of(x.probeMs(), x.contenderMs()));
                    progress(
                        o.json(),
                        String.format(
                            "  split: cluster stall %.0f ms, ha4j share %.0f ms",
                            x.probeMs(), Math.max(0, x.contenderMs() - x.probeMs())));
                  }
                  return x.contenderMs();
                },
                ds -> ((AutoCloseable) ds).close(),
                () -> galera.restoreHealthy(RESTORE),
                CONNECT_BOUND,
                line -> progress(o.json(), line));
        result.computeIfAbsent(c, k -> new EnumMap<>(Fault.class)).put(fault, run.run(o.kills()));
      }
    }
  }

  /**
   * Whether the contender writes to node 1 again after the cluster was restored: ha4j fails back to
   * node 1, HAProxy sends new sessions there once it has marked it up. The others need nothing.
   */
  private static BooleanSupplier readiness(Contender c, HaproxyFront guide, HaproxyFront tuned) {
    return switch (c) {
      case HAPROXY_GUIDE -> () -> upQuietly(guide);
      case HAPROXY_TUNED -> () -> upQuietly(tuned);
      default -> () -> true; // ha4j is checked on the data source itself, see oneFault
    };
  }

  private static boolean upQuietly(HaproxyFront front) {
    try {
      return front.isUp(1);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** One sample: the contender's failover time and, when it committed, the probe's. */
  record Sample(double contenderMs, Double probeMs) {}

  /**
   * One writer thread: borrow, one autocommit UPDATE, return, again. Faults the node the writes go
   * to and returns the time from the fault to the end of the first write started after it took
   * effect; a raw probe writer on a surviving node measures the cluster's own stall meanwhile. The
   * fault is ended (node resumed or healed) after the sample; a killed node is left to the
   * cluster's recovery. Every wait is bounded: the steady phase by {@link #WARM_UP_BOUND}, finding
   * the node by {@link #CONNECT_BOUND}, the recovery by {@link #RECOVERY_BOUND}, the end of the
   * threads by {@link #JOIN_BOUND}.
   *
   * @throws FailoverRun.NotRecoveredException when a bound ran out, with the last failure of the
   *     writer
   */
  private static Sample oneFault(
      GaleraCluster galera, DataSource ds, Fault fault, BooleanSupplier onNode1) throws Exception {
    Writer writer = new Writer("bench-writer", 1, ds::getConnection);
    writer.start();
    Writer probe = null;
    GaleraNode victim = null;
    boolean measured = false;
    try {
      String best = galera.node(1).hostAndPort();
      // ha4j fails back to node 1 once it is healthy again, HAProxy once it has marked it up:
      // fault the writer each has settled on (if it has not failed back within the bound, the
      // fault goes to the writer it kept)
      Bounded.SYSTEM.until(
          () ->
              writer.writes.get() >= 100
                  && (ds instanceof GaleraDataSource g
                      ? g.writer().orElse("").equals(best)
                      : onNode1.getAsBoolean()),
          WARM_UP_BOUND,
          READY_POLL);
      if (writer.writes.get() < 100) {
        throw new FailoverRun.NotRecoveredException(
            "only "
                + writer.writes.get()
                + " writes in "
                + WARM_UP_BOUND.toSeconds()
                + " s before the fault; last failure: "
                + describe(writer.last.get()));
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
      victim =
          galera.nodes().stream()
              .filter(n -> ("node" + n.index()).equals(victimName))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FailoverRun.NotRecoveredException(
                          "writes go to an unknown node " + victimName));
      GaleraNode survivor = survivor(galera, victim);
      String probeUrl =
          survivor.jdbcUrl()
              + "&connectTimeout=1000&socketTimeout="
              + PROBE_SOCKET_TIMEOUT.toMillis();
      probe =
          new Writer(
              "bench-probe",
              PROBE_FIRST_ROW,
              () -> DriverManager.getConnection(probeUrl, galera.user(), galera.password()));
      probe.start();
      Writer p = probe;
      if (!Bounded.SYSTEM.until(() -> p.writes.get() >= 10, WARM_UP_BOUND, READY_POLL)) {
        throw new FailoverRun.NotRecoveredException(
            "the probe writer on node"
                + survivor.index()
                + " did not commit within "
                + WARM_UP_BOUND.toSeconds()
                + " s before the fault; last failure: "
                + describe(probe.last.get()));
      }
      long faulted = System.nanoTime();
      fault.inject(victim);
      // only what starts once the fault is in effect counts (inject returns when the server is
      // dead, stopped or cut off): a write started between the signal and its delivery still
      // succeeds on the victim; the samples are measured from before the fault
      long inEffect = System.nanoTime();
      writer.faultedAt.set(inEffect);
      probe.faultedAt.set(inEffect);
      if (!Bounded.SYSTEM.until(() -> writer.firstAfter.get() != 0, RECOVERY_BOUND, POLL)) {
        throw new FailoverRun.NotRecoveredException(
            "no write within "
                + RECOVERY_BOUND.toSeconds()
                + " s after "
                + fault.id()
                + " of "
                + victimName
                + "; last failure: "
                + describe(writer.last.get()));
      }
      long left = RECOVERY_BOUND.toNanos() - (System.nanoTime() - faulted);
      Bounded.SYSTEM.until(
          () -> p.firstAfter.get() != 0, Duration.ofNanos(Math.max(0, left)), POLL);
      measured = true;
      long probeFirst = probe.firstAfter.get();
      return new Sample(
          (writer.firstAfter.get() - faulted) / 1e6,
          probeFirst == 0 ? null : (probeFirst - faulted) / 1e6);
    } finally {
      try {
        if (victim != null) {
          // after the sample: a hung node resumes, an isolated one is reachable again (before the
          // threads are joined, so that a statement waiting on it can end)
          fault.undo(victim);
        }
      } finally {
        stopBoth(writer, probe, measured);
      }
    }
  }

  /** Stops the probe and the writer, each within {@link #JOIN_BOUND} and as long again. */
  private static void stopBoth(Writer writer, Writer probe, boolean measured)
      throws InterruptedException, FailoverRun.NotRecoveredException {
    if (probe != null) {
      probe.stop.set(true);
      Bounded.join(probe, JOIN_BOUND, JOIN_BOUND);
    }
    writer.stop.set(true);
    Bounded.Joined j = Bounded.join(writer, JOIN_BOUND, JOIN_BOUND);
    if (j == Bounded.Joined.STUCK && measured) {
      // a thread that does not stop leaves the contender unusable: the sample counts as not
      // recovered, and the next one gets a fresh contender
      throw new FailoverRun.NotRecoveredException(
          "writer thread stuck after the sample; last failure: " + describe(writer.last.get()));
    }
  }

  /** The node of lowest index other than {@code victim}. */
  private static GaleraNode survivor(GaleraCluster galera, GaleraNode victim) {
    return galera.nodes().stream()
        .filter(n -> n.index() != victim.index())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node survives " + victim));
  }

  /** A source of connections: a pool's borrow, or a fresh raw connection. */
  private interface Connector {
    Connection connect() throws SQLException;
  }

  /**
   * A thread committing single-row autocommit updates in a tight loop. The contender's writer
   * borrows a connection per update (row 1); the probe keeps one raw connection while it works and
   * opens a new one after a failure, and moves to the next row with every update so that a commit
   * left pending on the server by a timed-out statement does not hold its next one on a row lock.
   */
  private static final class Writer extends Thread {
    final AtomicLong writes = new AtomicLong();
    final AtomicLong faultedAt = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong firstAfter = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<SQLException> last = new AtomicReference<>();
    private final int firstRow;
    private final Connector connector;
    private final boolean keep;

    Writer(String name, int firstRow, Connector connector) {
      super(name);
      setDaemon(true);
      this.firstRow = firstRow;
      this.connector = Objects.requireNonNull(connector);
      this.keep = firstRow != 1;
    }

    @Override
    public void run() {
      Connection kept = null;
      int row = firstRow;
      while (!stop.get() && !isInterrupted()) {
        long start = System.nanoTime();
        Connection c = kept;
        try {
          if (c == null) {
            c = connector.connect();
          }
          try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE bench SET v = v + 1 WHERE id = " + row);
          }
          writes.incrementAndGet();
          if (start >= faultedAt.get()) {
            firstAfter.compareAndSet(0, System.nanoTime());
            if (keep) {
              break; // the probe's work is done
            }
          }
        } catch (SQLException e) {
          last.set(e); // failing over; try again
          closeQuietly(c);
          c = null;
        } finally {
          if (keep) {
            kept = c;
            row = row >= ROWS ? firstRow : row + 1;
          } else {
            closeQuietly(c);
          }
        }
      }
      closeQuietly(kept);
    }

    private static void closeQuietly(Connection c) {
      if (c == null) {
        return;
      }
      try {
        c.close();
      } catch (SQLException e) {
        // a broken connection; nothing to keep
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
