package io.ha4j.cli.internal;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * One application instance of {@code ha4j bench instances}, in a JVM of its own (started by {@link
 * InstancesBench} with the same java and class path): a few threads, each running short
 * transactions that add 1 to two distinct hot rows (in id order, so that two transactions on one
 * node never deadlock on each other's locks: every 1213 is Galera's certification conflict), either
 * through a {@link GaleraDataSource} over every node ({@code ha4j}) or through HikariCP on one node
 * with a plain retry loop ({@code hikari_spread}). It speaks {@link InstanceLines}' protocol on
 * stdin and stdout; everything else it prints goes to stderr.
 */
final class BenchInstance {

  /** The environment variable that carries the database password (not the command line). */
  static final String PASSWORD_ENV = "HA4J_BENCH_PASSWORD";

  /** The table of hot rows: {@code id} 1 … rows, {@code v} counted up. */
  static final String TABLE = "hot";

  /** Retries of a 1213 by {@code hikari_spread}'s loop: oslo.db's {@code db_max_retries}. */
  static final int PLAIN_RETRIES = DbRetrySettings.DEFAULT_MAX_RETRIES;

  /** Bound on the worker threads ending after {@code STOP}, and on closing the data source. */
  static final Duration STOP_BOUND = Duration.ofSeconds(10);

  /** The first retries of ha4j's unit of work are described in the run's log, no more. */
  private static final int RETRIES_NOTED = 12;

  private static final String UPDATE = "UPDATE " + TABLE + " SET v = v + 1 WHERE id = ?";

  /** The two ways of reaching the cluster, by their names in the report. */
  enum Contender {
    /** A {@link GaleraDataSource} over every node, its unit of work retrying as oslo.db does. */
    HA4J,
    /** HikariCP on node (instance mod 3), a plain loop retrying 1213 at once. */
    HIKARI_SPREAD;

    /** {@code ha4j}, {@code hikari_spread}. */
    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Contender parse(String id) {
      for (Contender c : values()) {
        if (c.id().equals(id)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown contender '" + id + "'");
    }
  }

  /**
   * What an instance is told on its command line ({@code key=value} arguments) and in its
   * environment (the password).
   *
   * @param nodes every node's {@code host:port} (ha4j)
   * @param url the one node's JDBC URL (hikari_spread)
   */
  record Config(
      Contender contender,
      int index,
      int threads,
      int rows,
      List<String> nodes,
      String url,
      String database,
      String user,
      String password) {

    Config {
      nodes = List.copyOf(nodes);
      if (threads < 1 || rows < 2) {
        throw new IllegalArgumentException(
            "threads must be at least 1 and rows at least 2, were " + threads + ", " + rows);
      }
    }

    /** The command-line arguments that {@link #parse} reads back (no password). */
    List<String> args() {
      return List.of(
          "contender=" + contender.id(),
          "index=" + index,
          "threads=" + threads,
          "rows=" + rows,
          "nodes=" + String.join(",", nodes),
          "url=" + url,
          "database=" + database,
          "user=" + user);
    }

    static Config parse(List<String> args, String password) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String a : args) {
        int eq = a.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("expected key=value, was '" + a + "'");
        }
        m.put(a.substring(0, eq), a.substring(eq + 1));
      }
      for (String k : List.of("contender", "index", "threads", "rows", "nodes", "url")) {
        if (!m.containsKey(k)) {
          throw new IllegalArgumentException("missing " + k + "=");
        }
      }
      String nodes = m.get("nodes");
      return new Config(
          Contender.parse(m.get("contender")),
          Integer.parseInt(m.get("index")),
          Integer.parseInt(m.get("threads")),
          Integer.parseInt(m.get("rows")),
          nodes.isEmpty() ? List.of() : List.of(nodes.split(",")),
          m.get("url"),
          m.getOrDefault("database", ""),
          m.getOrDefault("user", ""),
          password == null ? "" : password);
    }

    GaleraSettings settings() {
      List<GaleraNode> ns = new ArrayList<>();
      for (String hp : nodes) {
        int colon = hp.lastIndexOf(':');
        ns.add(
            new GaleraNode(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)), 0));
      }
      return GaleraSettings.builder()
          .nodes(ns)
          .username(user)
          .password(password)
          .database(database)
          .maxPoolSize(threads)
          .maxOverflow(0)
          .build();
    }
  }

  /** The counts an instance reports, thread-safe. */
  static final class Counts {
    final AtomicLong committed = new AtomicLong();
    final AtomicLong seen1213 = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private final Set<String> noted = ConcurrentHashMap.newKeySet();

    /** A transaction given up: counted by kind; true the first time this kind is seen. */
    boolean surfaced(Throwable e) {
      GaleraErrors.Kind k = GaleraErrors.classify(e);
      errors.incrementAndGet();
      if (k == GaleraErrors.Kind.DEADLOCK) {
        seen1213.incrementAndGet();
      }
      errorKinds
          .computeIfAbsent(k.name().toLowerCase(Locale.ROOT), x -> new AtomicLong())
          .incrementAndGet();
      return noted.add(k.name());
    }

    /** Every count, the error kinds as {@code errors_<kind>}, in a fixed order. */
    Map<String, Long> snapshot() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("committed", committed.get());
      m.put("seen_1213", seen1213.get());
      m.put("retries", retries.get());
      m.put("errors", errors.get());
      new TreeMap<>(errorKinds).forEach((k, v) -> m.put("errors_" + k, v.get()));
      return m;
    }

    /** {@code now} less {@code base}, key by key, with the elapsed milliseconds. */
    static Map<String, Long> since(Map<String, Long> now, Map<String, Long> base, long elapsedMs) {
      Map<String, Long> m = new LinkedHashMap<>();
      now.forEach((k, v) -> m.put(k, v - base.getOrDefault(k, 0L)));
      m.put("elapsed_ms", elapsedMs);
      return m;
    }
  }

  private final Config config;
  private final PrintStream protocol;
  private final Counts counts = new Counts();
  private final AtomicLong retriesNoted = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean stop;
  private DataSource dataSource;
  private Map<String, Long> base = Map.of();
  private long markedAt;

  BenchInstance(Config config, PrintStream protocol) {
    this.config = config;
    this.protocol = protocol;
  }

  /**
   * The child's entry point: {@code key=value} arguments ({@link Config#args()}), the password in
   * {@value #PASSWORD_ENV}.
   */
  public static void main(String[] args) {
    // the protocol owns stdout: whatever else would print there goes to stderr
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    int exit = 0;
    try {
      Config c = Config.parse(List.of(args), System.getenv(PASSWORD_ENV));
      new BenchInstance(c, protocol).serve();
    } catch (Exception e) {
      protocol.println("NOTE instance failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    protocol.flush();
    // the workers and the pools' threads are not waited for any longer
    Runtime.getRuntime().halt(exit);
  }

  /** Opens the data source, says READY, then obeys stdin until STOP or its end. */
  void serve() throws Exception {
    open();
    protocol.println("READY " + ProcessHandle.current().pid());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "GO" -> {
          mark();
          startWorkers();
        }
        case "SNAP" -> protocol.println(InstanceLines.result(mark()));
        case "STOP" -> {
          stop = true;
          protocol.println(InstanceLines.result(mark()));
          closeAll();
          protocol.println("BYE");
          return;
        }
        default -> protocol.println("NOTE unknown command '" + line + "'");
      }
    }
    // stdin closed: the parent is gone or gave up on this instance
    stop = true;
    closeAll();
  }

  private void open() {
    if (config.contender() == Contender.HA4J) {
      dataSource =
          GaleraDataSource.builder()
              .settings(config.settings())
              .name("instance-" + config.index())
              .listener(this::onEvent)
              .build();
    } else {
      dataSource =
          DbBench.hikari(
              config.url(),
              config.user(),
              config.password(),
              config.threads(),
              "instance-" + config.index());
    }
  }

  private void onEvent(GaleraEvent e) {
    if (e instanceof GaleraEvent.WriterChanged w) {
      // the switch itself, not the event's emission (which waits for the first write)
      long at =
          InstanceLines.switchedAtMillis(
              System.currentTimeMillis(), w.duration(), w.writesBlocked());
      protocol.println(InstanceLines.writer(at, w.to()));
      protocol.println("NOTE " + w); // the reason, for the run's log

    } else if (e instanceof GaleraEvent.Retry r) {
      counts.retries.incrementAndGet();
      if (r.kind() == GaleraErrors.Kind.DEADLOCK) {
        counts.seen1213.incrementAndGet();
      }
      if (retriesNoted.incrementAndGet() <= RETRIES_NOTED) {
        protocol.println("NOTE " + System.currentTimeMillis() + " " + r);
      }
    }
  }

  /** The counts since the previous mark; starts a new interval. */
  private synchronized Map<String, Long> mark() {
    long now = System.nanoTime();
    Map<String, Long> snap = counts.snapshot();
    Map<String, Long> since = Counts.since(snap, base, (now - markedAt) / 1_000_000);
    base = snap;
    markedAt = now;
    return since;
  }

  private void startWorkers() {
    if (!workers.isEmpty()) {
      return;
    }
    for (int i = 0; i < config.threads(); i++) {
      Thread t = new Thread(this::work, "instance-" + config.index() + "-worker-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  private void work() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    while (!stop) {
      int a = 1 + rnd.nextInt(config.rows());
      int b = 1 + rnd.nextInt(config.rows() - 1);
      if (b >= a) {
        b++; // distinct from a
      }
      int low = Math.min(a, b);
      int high = Math.max(a, b);
      if (dataSource instanceof GaleraDataSource g) {
        viaHa4j(g, low, high);
      } else {
        viaPlainLoop(dataSource, low, high);
      }
    }
  }

  /** One unit of work: ha4j re-runs it after a 1213 (counted by its Retry events). */
  private void viaHa4j(GaleraDataSource g, int low, int high) {
    try {
      g.run(c -> addOne(c, low, high));
      counts.committed.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      note(e);
    }
  }

  /** One transaction in a plain loop: a 1213 is retried at once, up to {@link #PLAIN_RETRIES}. */
  private void viaPlainLoop(DataSource ds, int low, int high) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try {
          addOne(c, low, high);
          c.commit();
        } catch (SQLException e) {
          rollbackQuietly(c);
          throw e;
        }
        counts.committed.incrementAndGet();
        return;
      } catch (SQLException e) {
        if (GaleraErrors.classify(e) == GaleraErrors.Kind.DEADLOCK && attempt < PLAIN_RETRIES) {
          counts.seen1213.incrementAndGet();
          counts.retries.incrementAndGet();
          continue;
        }
        note(e);
        return;
      }
    }
  }

  private static void addOne(Connection c, int low, int high) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      ps.setInt(1, low);
      ps.executeUpdate();
      ps.setInt(1, high);
      ps.executeUpdate();
    }
  }

  private void note(Exception e) {
    if (counts.surfaced(e)) {
      protocol.println(
          "NOTE instance "
              + config.index()
              + ": first "
              + GaleraErrors.classify(e)
              + " surfaced: "
              + String.valueOf(e.getMessage()).replace('\n', ' '));
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // a ROLLBACK after a certification failure may report 1213 itself (GALERA.md): ignored
    }
  }

  /** Waits for the workers (bounded), then closes the data source (bounded). */
  private void closeAll() throws InterruptedException {
    long deadline = System.nanoTime() + STOP_BOUND.toNanos();
    for (Thread t : workers) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    try {
      Bounded.call(
          "closing the data source",
          STOP_BOUND,
          () -> {
            ((AutoCloseable) dataSource).close();
            return null;
          });
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      protocol.println("NOTE " + e.getMessage());
    }
  }
}
