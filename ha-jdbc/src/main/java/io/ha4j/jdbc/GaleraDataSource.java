package io.ha4j.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.internal.DbRetrySchedule;
import io.ha4j.jdbc.internal.Health;
import io.ha4j.jdbc.internal.Probe;
import io.ha4j.jdbc.internal.Proxies;
import io.ha4j.jdbc.internal.WriterChoice;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataSource} over a Galera cluster that lends connections to one writer node only: the
 * healthy node with the best priority (ties in configured order), so every instance with the same
 * configuration writes to the same node and Galera certification conflicts between them cannot
 * happen. A monitor checks every node's wsrep state each {@code check_interval} on its own
 * connection; a dead writer is replaced at once, a writer an operator takes out ({@code
 * wsrep_desync}, {@code wsrep_reject_queries}, {@code read_only}) or a failback is drained first.
 * {@link #call(SqlFunction)} re-runs a unit of work on 1213, 1047 and a connection lost before
 * COMMIT, with oslo.db's backoff.
 *
 * <p>Thread-safe. Close it to stop the monitor and the node pools.
 *
 * @since 0.1
 */
public final class GaleraDataSource implements DataSource, AutoCloseable {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(GaleraDataSource.class);

  /** One node: its pool, its monitor connection and what the monitor concluded. */
  private final class Node {
    final int index;
    final GaleraNode config;
    final String name;
    final HikariDataSource pool;
    final Object checkLock = new Object();
    final AtomicBoolean recheckQueued = new AtomicBoolean();
    volatile NodeState state = NodeState.UNKNOWN;
    volatile Probe last = Probe.failed(false, "not checked yet");
    volatile Health.Verdict verdict = new Health.Verdict(false, false, "not checked yet");
    volatile long healthySince;
    volatile long troubleSince;
    volatile long checks;
    final java.util.Set<Connection> lent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    int misses;
    int healthyStreak;
    Connection monitor; // guarded by checkLock

    Node(int index, GaleraNode config) {
      this.index = index;
      this.config = config;
      this.name = config.hostAndPort();
      this.pool = new HikariDataSource(poolConfig(config));
    }
  }

  private final GaleraSettings settings;
  private final String name;
  private final List<Node> nodes = new ArrayList<>();
  private final List<GaleraListener> listeners;
  private final boolean retryLockWaitTimeout;
  private final ScheduledExecutorService monitor;
  private final ExecutorService switcher;
  private final Object writerLock = new Object();
  private final AtomicInteger readerTurn = new AtomicInteger();
  private final Map<GaleraErrors.Kind, AtomicLong> retries = new EnumMap<>(GaleraErrors.Kind.class);
  private volatile Node writer; // null while none is healthy or a drain is running
  private volatile boolean closed;
  private boolean switching; // guarded by writerLock
  // no writer is chosen before every node was checked once: the first node to answer is not
  // necessarily the best, and a failback right after start would drain for nothing
  private volatile boolean starting = true;
  private long noWriterSince = System.nanoTime(); // guarded by writerLock

  private GaleraDataSource(Builder b) {
    this.settings = b.settings;
    this.name = b.name;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.retryLockWaitTimeout = b.retryLockWaitTimeout;
    for (GaleraErrors.Kind k : GaleraErrors.Kind.values()) {
      retries.put(k, new AtomicLong());
    }
    AtomicInteger threads = new AtomicInteger();
    this.monitor =
        Executors.newScheduledThreadPool(
            settings.nodes().size() + 1,
            r -> {
              Thread t =
                  new Thread(r, "ha4j-galera-monitor-" + name + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.switcher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ha4j-galera-switch-" + name);
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < settings.nodes().size(); i++) {
      nodes.add(new Node(i, settings.nodes().get(i)));
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- start-up

  private void start() throws SQLException {
    int attempts = 0;
    while (true) {
      attempts++;
      checkAllNow();
      if (nodes.stream().anyMatch(n -> n.last.answered())) {
        break;
      }
      boolean forever = settings.maxRetries().isEmpty();
      if (!forever && attempts > settings.maxRetries().getAsInt()) {
        close();
        throw new SQLException(
            "no Galera node answered after "
                + attempts
                + " attempt(s) ([database] max_retries = "
                + settings.maxRetries().getAsInt()
                + ", retry_interval = "
                + settings.retryInterval().toSeconds()
                + " s): "
                + describeNodes(),
            "08001");
      }
      LOG.info(
          "Galera data source {}: no node answers ({}); next try in {} s",
          name,
          describeNodes(),
          settings.retryInterval().toSeconds());
      try {
        Thread.sleep(settings.retryInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new SQLException("interrupted while waiting for a Galera node to answer", e);
      }
    }
    starting = false;
    reconsider();
    long period = settings.checkInterval().toNanos();
    for (Node n : nodes) {
      monitor.scheduleAtFixedRate(() -> checkQuietly(n), period, period, TimeUnit.NANOSECONDS);
    }
  }

  private void checkAllNow() {
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (Node n : nodes) {
      fs.add(monitor.submit(() -> checkQuietly(n)));
    }
    for (java.util.concurrent.Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.warn("Galera monitor of {}: check failed: {}", name, e.getCause().toString());
      }
    }
  }

  // ---------------------------------------------------------------- monitor

  private void checkQuietly(Node n) {
    try {
      check(n);
    } catch (RuntimeException e) {
      LOG.warn("Galera monitor of {}: checking {} failed: {}", name, n.name, e.toString());
    }
  }

  /** One status query on the node's own connection, then the state machine, then the writer. */
  private void check(Node n) {
    if (closed) {
      return;
    }
    synchronized (n.checkLock) {
      Probe p = probe(n);
      n.last = p;
      apply(n, p);
      n.checks++;
    }
    reconsider();
  }

  private static final String STATUS_QUERY =
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
          + " @@wsrep_sst_donor_rejects_queries";

  private Probe probe(Node n) {
    try {
      if (n.monitor == null || n.monitor.isClosed()) {
        n.monitor = DriverManager.getConnection(monitorUrl(n.config), monitorProperties());
      }
      try (Statement st = n.monitor.createStatement();
          ResultSet rs = st.executeQuery(STATUS_QUERY)) {
        rs.next();
        return new Probe(
            true,
            false,
            "",
            parseInt(rs.getString(1)),
            nz(rs.getString(2)),
            on(rs.getString(3)),
            on(rs.getString(4)),
            nz(rs.getString(5)),
            nz(rs.getString(6)),
            parseInt(rs.getString(7)),
            on(rs.getString(9)),
            nz(rs.getString(10)),
            on(rs.getString(11)),
            on(rs.getString(12)),
            parseConf(rs.getString(8)),
            System.nanoTime());
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == 1047 && n.monitor != null) {
        // not ready / non-Primary: SELECTs are refused, SHOW still answers and says why
        try {
          return probeWithShow(n.monitor);
        } catch (SQLException again) {
          // fall through: no answer at all
        }
      }
      closeMonitor(n);
      boolean hard =
          e.getErrorCode() == 1047
              || find(e, ConnectException.class)
              || find(e, UnknownHostException.class)
              || e.getErrorCode() == 1045;
      return Probe.failed(hard, describe(e));
    }
  }

  private static Probe probeWithShow(Connection c) throws SQLException {
    Map<String, String> v = new HashMap<>();
    try (Statement st = c.createStatement()) {
      for (String q :
          List.of(
              "SHOW GLOBAL STATUS LIKE 'wsrep%'",
              "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_desync',"
                  + " 'wsrep_reject_queries', 'read_only', 'wsrep_sst_donor_rejects_queries')")) {
        try (ResultSet rs = st.executeQuery(q)) {
          while (rs.next()) {
            v.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
          }
        }
      }
    }
    return new Probe(
        true,
        false,
        "",
        parseInt(v.get("wsrep_local_state")),
        nz(v.get("wsrep_local_state_comment")),
        on(v.get("wsrep_ready")),
        on(v.get("wsrep_connected")),
        nz(v.get("wsrep_cluster_status")),
        nz(v.get("wsrep_cluster_state_uuid")),
        parseInt(v.get("wsrep_cluster_size")),
        on(v.get("wsrep_desync")),
        nz(v.get("wsrep_reject_queries")),
        on(v.get("read_only")),
        on(v.get("wsrep_sst_donor_rejects_queries")),
        parseConf(v.get("wsrep_cluster_conf_id")),
        System.nanoTime());
  }

  private void apply(Node n, Probe p) {
    NodeState before = n.state;
    NodeState after = before;
    String detail;
    long now = System.nanoTime();
    if (!p.answered()) {
      detail = p.error();
      n.healthyStreak = 0;
      n.misses = p.hardFailure() ? settings.fallCount() : n.misses + 1;
      if (n.misses >= settings.fallCount() || before == NodeState.UNKNOWN) {
        after = NodeState.UNREACHABLE;
      }
      n.verdict = new Health.Verdict(false, false, detail);
      if (n.troubleSince == 0) {
        n.troubleSince = now;
      }
    } else {
      n.misses = 0;
      Health.Verdict v = Health.judge(p, majorityUuid(), settings.availableWhenDonor());
      if (v.healthy()) {
        List<Probe> others = new ArrayList<>();
        nodes.stream().filter(o -> o != n).forEach(o -> others.add(o.last));
        String stale = Health.staleView(p, others);
        if (!stale.isEmpty()) {
          v = new Health.Verdict(false, false, stale);
        }
      }
      n.verdict = v;
      detail = v.detail();
      if (v.healthy()) {
        n.healthyStreak++;
        if (before == NodeState.UNKNOWN || n.healthyStreak >= settings.riseCount()) {
          after = NodeState.HEALTHY;
        }
        if (after == NodeState.HEALTHY) {
          n.troubleSince = 0;
        }
      } else {
        n.healthyStreak = 0;
        after = NodeState.UNHEALTHY;
        if (n.troubleSince == 0) {
          n.troubleSince = now;
        }
      }
    }
    if (after != before) {
      if (after == NodeState.HEALTHY) {
        n.healthySince = now;
      }
      n.state = after;
      LOG.info("Galera node {} of {}: {} -> {} {}", n.name, name, before, after, detail);
      String d = detail;
      NodeState b = before;
      NodeState a = after;
      emit(() -> new GaleraEvent.NodeStateChanged(n.name, b, a, d));
    }
  }

  /** The cluster UUID most Primary nodes report ("" if none answered). */
  private String majorityUuid() {
    Map<String, Integer> votes = new HashMap<>();
    for (Node n : nodes) {
      Probe p = n.last;
      if (p.primary() && !p.clusterUuid().isEmpty()) {
        votes.merge(p.clusterUuid(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse("");
  }

  /** Asks for an immediate re-check of {@code n}, at most one queued at a time. */
  private void suspect(Node n, SQLException e) {
    if (closed || !GaleraErrors.suspectsNode(e)) {
      return;
    }
    if (n.troubleSince == 0) {
      n.troubleSince = System.nanoTime();
    }
    if (n.recheckQueued.compareAndSet(false, true)) {
      try {
        monitor.execute(
            () -> {
              n.recheckQueued.set(false);
              checkQuietly(n);
            });
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        n.recheckQueued.set(false); // closing
      }
    }
  }

  // ---------------------------------------------------------------- writer switching

  private void reconsider() {
    WriterChoice.Decision d;
    Node old;
    synchronized (writerLock) {
      if (switching || closed || starting) {
        return;
      }
      old = writer;
      d =
          WriterChoice.choose(
              views(), old == null ? -1 : old.index, settings.failback(), System.nanoTime());
      int target = d.target();
      if (old == null ? target < 0 : target == old.index) {
        return;
      }
      if (d.drain() && old != null) {
        switching = true;
        writer = null;
        noWriterSince = System.nanoTime();
      } else {
        Node to = target < 0 ? null : nodes.get(target);
        long since = old == null ? noWriterSince : troubleStart(old);
        writer = to;
        if (to == null) {
          noWriterSince = System.nanoTime();
        }
        writerLock.notifyAll();
        Duration took = Duration.ofNanos(Math.max(0, System.nanoTime() - since));
        announce(old, to, d.reason(), took);
        if (old != null) {
          old.pool.getHikariPoolMXBean().softEvictConnections();
          if (old.state == NodeState.UNREACHABLE || !old.last.primary()) {
            abortLent(old);
          }
        }
        return;
      }
    }
    Node draining = old;
    String reason = d.reason();
    switcher.execute(() -> drainAndSwitch(draining, reason));
  }

  /**
   * Aborts the connections lent from a writer that died or left the Primary component: a statement
   * blocked on it fails now (connection lost, so a unit of work re-runs on the new writer) instead
   * of after the socket timeout.
   */
  private void abortLent(Node n) {
    for (Connection c : n.lent) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        LOG.debug(
            "Galera data source {}: abort of a connection to {}: {}", name, n.name, e.toString());
      }
    }
  }

  private long troubleStart(Node n) {
    long t = n.troubleSince;
    return t == 0 ? System.nanoTime() : t;
  }

  /** Planned switch: no new borrows from {@code old}; wait for borrowed ones; evict; switch. */
  private void drainAndSwitch(Node old, String reason) {
    long start = System.nanoTime();
    long deadline = start + settings.drainTimeout().toNanos();
    while (!closed
        && old.pool.getHikariPoolMXBean().getActiveConnections() > 0
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = old.pool.getHikariPoolMXBean().getActiveConnections();
    old.pool.getHikariPoolMXBean().softEvictConnections();
    synchronized (writerLock) {
      switching = false;
      if (closed) {
        return;
      }
      WriterChoice.Decision d =
          WriterChoice.choose(views(), -1, settings.failback(), System.nanoTime());
      Node to = d.target() < 0 ? null : nodes.get(d.target());
      writer = to;
      if (to == null) {
        noWriterSince = System.nanoTime();
      }
      writerLock.notifyAll();
      announce(
          old,
          to,
          reason + (left > 0 ? " (" + left + " connection(s) still borrowed after the drain)" : ""),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void announce(Node from, Node to, String reason, Duration took) {
    String f = from == null ? null : from.name;
    String t = to == null ? null : to.name;
    LOG.info(
        "Galera data source {}: writer {} -> {} in {} ms ({})",
        name,
        f == null ? "none" : f,
        t == null ? "none" : t,
        took.toMillis(),
        reason);
    emit(() -> new GaleraEvent.WriterChanged(f, t, reason, took));
  }

  private List<WriterChoice.View> views() {
    List<WriterChoice.View> v = new ArrayList<>();
    for (Node n : nodes) {
      v.add(
          new WriterChoice.View(
              n.index,
              n.config.priority(),
              n.state,
              n.verdict.administrative(),
              n.healthySince,
              n.verdict.detail()));
    }
    return v;
  }

  // ---------------------------------------------------------------- DataSource

  /**
   * A connection to the current writer. While no node is a healthy writer (or a planned switch
   * drains the old one) it waits up to the pool timeout ({@code [database] pool_timeout}, 30 s by
   * default), then throws an {@link SQLException} naming every node with its last state.
   */
  @Override
  public Connection getConnection() throws SQLException {
    long deadline = System.nanoTime() + settings.poolTimeout().toNanos();
    SQLException last = null;
    while (true) {
      if (closed) {
        throw new SQLException("Galera data source " + name + " is closed", "08003");
      }
      Node w = writer;
      if (w != null) {
        try {
          return lend(w, w.pool.getConnection());
        } catch (SQLException e) {
          last = e;
          suspect(w, e);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        SQLException e =
            new SQLException(
                "no healthy Galera writer for "
                    + name
                    + " within "
                    + settings.poolTimeout().toMillis()
                    + " ms: "
                    + describeNodes(),
                "08001");
        if (last != null) {
          e.initCause(last);
        }
        throw e;
      }
      synchronized (writerLock) {
        if (writer == w || writer == null) {
          try {
            TimeUnit.NANOSECONDS.timedWait(
                writerLock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a Galera writer", e);
          }
        }
      }
    }
  }

  private Connection lend(Node n, Connection raw) {
    n.lent.add(raw);
    return Proxies.connection(raw, n.name, e -> suspect(n, e), () -> n.lent.remove(raw));
  }

  /** Not supported: the credentials come from the settings. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "GaleraDataSource uses the configured credentials; call getConnection()");
  }

  /**
   * A data source for reads: connections to a healthy node other than the writer, in turn, or to
   * the writer when there is none (or {@code [galera] reader_routing} is off). With {@code
   * mysql_wsrep_sync_wait} set, reads are causal.
   */
  public DataSource readers() {
    return new ReaderDataSource();
  }

  private final class ReaderDataSource extends DelegatingDataSource {
    @Override
    public Connection getConnection() throws SQLException {
      if (settings.readerRouting()) {
        Node w = writer;
        List<Node> candidates = new ArrayList<>();
        for (Node n : nodes) {
          if (n != w && n.state == NodeState.HEALTHY) {
            candidates.add(n);
          }
        }
        if (!candidates.isEmpty()) {
          Node n = candidates.get(Math.floorMod(readerTurn.getAndIncrement(), candidates.size()));
          try {
            return lend(n, n.pool.getConnection());
          } catch (SQLException e) {
            suspect(n, e);
          }
        }
      }
      return GaleraDataSource.this.getConnection();
    }
  }

  /** The current writer as {@code host:port}, if any. */
  public Optional<String> writer() {
    Node w = writer;
    return w == null ? Optional.empty() : Optional.of(w.name);
  }

  /** Every node as the monitor last saw it, in configured order. */
  public List<NodeStatus> nodes() {
    Node w = writer;
    List<NodeStatus> out = new ArrayList<>();
    for (Node n : nodes) {
      Probe p = n.last;
      out.add(
          new NodeStatus(
              n.name,
              n.config.priority(),
              n.state,
              p.stateComment(),
              p.clusterStatus(),
              p.clusterSize(),
              n.state == NodeState.HEALTHY ? "" : n.verdict.detail(),
              n == w,
              n.checks));
    }
    return out;
  }

  /** Units of work re-run so far, by reason. */
  public Map<GaleraErrors.Kind, Long> retries() {
    Map<GaleraErrors.Kind, Long> m = new EnumMap<>(GaleraErrors.Kind.class);
    retries.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  // ---------------------------------------------------------------- units of work

  /**
   * Runs {@code work} in one transaction on the writer and commits; re-runs it from the start in a
   * fresh transaction after a 1213 (deadlock, certification failure), a 1047 (node not ready) or a
   * connection lost before COMMIT was sent (and a 1205 lock wait timeout when the builder asked for
   * it), sleeping as oslo.db's {@code wrap_db_retry}. A connection lost during COMMIT throws {@link
   * CommitOutcomeUnknownException}: see {@link #callIdempotent(SqlFunction)}.
   *
   * @return what {@code work} returned in the run that committed
   * @throws SQLException the last failure when it cannot be retried or the retries are spent
   */
  public <T> T call(SqlFunction<T> work) throws SQLException {
    return callWith(work, false);
  }

  /** As {@link #call(SqlFunction)} without a result. */
  public void run(SqlWork work) throws SQLException {
    callWith(
        c -> {
          work.accept(c);
          return null;
        },
        false);
  }

  /**
   * As {@link #call(SqlFunction)}, but {@code work} is safe to run again after a COMMIT whose
   * outcome is unknown (it checks whether its effect is already there, or its effect is the same
   * when applied twice): a connection lost during COMMIT re-runs it too.
   */
  public <T> T callIdempotent(SqlFunction<T> work) throws SQLException {
    return callWith(work, true);
  }

  private <T> T callWith(SqlFunction<T> work, boolean idempotent) throws SQLException {
    DbRetrySchedule schedule =
        new DbRetrySchedule(settings.retry(), () -> ThreadLocalRandom.current().nextDouble());
    int attempt = 1;
    while (true) {
      boolean committing = false;
      String node = "?";
      try (Connection c = getConnection()) {
        node = Proxies.nodeOf(c);
        try {
          c.setAutoCommit(false);
          T result = work.apply(c);
          committing = true;
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        GaleraErrors.Kind kind = GaleraErrors.classify(e);
        if (kind == GaleraErrors.Kind.CONNECTION_LOST && committing && !idempotent) {
          throw new CommitOutcomeUnknownException(node, e);
        }
        boolean retryable =
            kind == GaleraErrors.Kind.DEADLOCK
                || kind == GaleraErrors.Kind.NODE_NOT_READY
                || kind == GaleraErrors.Kind.CONNECTION_LOST
                || (kind == GaleraErrors.Kind.LOCK_WAIT_TIMEOUT && retryLockWaitTimeout);
        if (!retryable || !schedule.canRetry() || closed) {
          throw e;
        }
        Duration sleep = schedule.next(kind == GaleraErrors.Kind.DEADLOCK);
        attempt++;
        retries.get(kind).incrementAndGet();
        int a = attempt;
        String msg = describe(e);
        emit(() -> new GaleraEvent.Retry(kind, a, sleep, msg));
        try {
          Thread.sleep(sleep.toMillis(), (int) (sleep.toNanos() % 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          e.addSuppressed(ie);
          throw e;
        }
      }
    }
  }

  /** A ROLLBACK after a BF abort may itself report 1213; the transaction is gone either way. */
  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // nothing to undo
    }
  }

  // ---------------------------------------------------------------- helpers

  private HikariConfig poolConfig(GaleraNode n) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("ha4j-" + name + "-" + n.hostAndPort());
    h.setJdbcUrl("jdbc:mariadb://" + n.hostAndPort() + "/" + settings.database());
    h.setUsername(settings.username());
    h.setPassword(settings.password());
    h.setMaximumPoolSize(settings.maxPoolSize() + settings.maxOverflow());
    h.setMinimumIdle(settings.maxPoolSize());
    // a node down at start does not fail start-up; the monitor decides who is lent
    h.setInitializationFailTimeout(-1);
    // a dead writer must not hold a borrower long: the loop in getConnection tries the next one
    h.setConnectionTimeout(
        Math.max(
            250,
            Math.min(settings.poolTimeout().toMillis(), 2 * settings.checkTimeout().toMillis())));
    h.setValidationTimeout(Math.max(250, settings.checkTimeout().toMillis()));
    h.setMaxLifetime(Math.max(30_000, settings.connectionRecycleTime().toMillis()));
    h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    StringBuilder init =
        new StringBuilder("SET SESSION sql_mode = '")
            .append(settings.sqlMode().replace("'", "''"))
            .append('\'');
    settings.wsrepSyncWait().ifPresent(w -> init.append(", wsrep_sync_wait = ").append(w));
    h.setConnectionInitSql(init.toString());
    h.addDataSourceProperty("connectTimeout", Math.max(1000, settings.checkTimeout().toMillis()));
    // finite: a hung node must surface as an error, not hang the application forever
    h.addDataSourceProperty("socketTimeout", 60_000);
    settings.connectionParameters().forEach(h::addDataSourceProperty);
    return h;
  }

  private String monitorUrl(GaleraNode n) {
    return "jdbc:mariadb://" + n.hostAndPort() + "/";
  }

  private Properties monitorProperties() {
    Properties p = new Properties();
    p.setProperty("user", settings.username());
    p.setProperty("password", settings.password());
    String t = Long.toString(Math.max(100, settings.checkTimeout().toMillis()));
    p.setProperty("connectTimeout", t);
    p.setProperty("socketTimeout", t);
    return p;
  }

  private static void closeMonitorQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // going anyway
      }
    }
  }

  private void closeMonitor(Node n) {
    closeMonitorQuietly(n.monitor);
    n.monitor = null;
  }

  private String describeNodes() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(n.name).append(' ').append(n.state);
      String d = n.state == NodeState.HEALTHY ? "" : n.verdict.detail();
      if (!d.isEmpty()) {
        b.append(" (").append(d).append(')');
      }
    }
    return b.toString();
  }

  /** An error for logs and events: vendor code and message, never parameters or passwords. */
  static String describe(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl);
    }
    return (e.getErrorCode() != 0 ? e.getErrorCode() + " " : "") + m;
  }

  private static boolean find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Unsigned: outside a Primary view the server shows 18446744073709551615, i.e. -1. */
  private static long parseConf(String s) {
    try {
      return s == null ? -1 : Long.parseUnsignedLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static boolean on(String s) {
    return s != null && (s.equalsIgnoreCase("ON") || s.equals("1") || s.equalsIgnoreCase("TRUE"));
  }

  private void emit(java.util.function.Supplier<GaleraEvent> event) {
    if (listeners.isEmpty()) {
      return;
    }
    GaleraEvent e = event.get();
    for (GaleraListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("Galera listener of {} failed on {}: {}", name, e, ex.toString());
      }
    }
  }

  /** Stops the monitor and closes every node pool; borrowed connections are closed too. */
  @Override
  public void close() {
    synchronized (writerLock) {
      if (closed) {
        return;
      }
      closed = true;
      writer = null;
      writerLock.notifyAll();
    }
    monitor.shutdownNow();
    switcher.shutdownNow();
    for (Node n : nodes) {
      synchronized (n.checkLock) {
        closeMonitor(n);
      }
      n.pool.close();
    }
  }

  @Override
  public String toString() {
    return "GaleraDataSource["
        + name
        + ", writer="
        + writer().orElse("none")
        + ", "
        + describeNodes()
        + "]";
  }

  // ---------------------------------------------------------------- DataSource boilerplate

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // logging goes through slf4j
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // the pool timeout of the settings applies
  }

  @Override
  public int getLoginTimeout() {
    return (int) settings.poolTimeout().toSeconds();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("logging goes through slf4j");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The plumbing every lending {@link DataSource} here shares. */
  private abstract static class DelegatingDataSource implements DataSource {
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("uses the configured credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("logging goes through slf4j");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /** Builds a {@link GaleraDataSource}. Not thread-safe. */
  public static final class Builder {
    private GaleraSettings settings;
    private String name = "galera";
    private final List<GaleraListener> listeners = new ArrayList<>();
    private boolean retryLockWaitTimeout;

    private Builder() {}

    /** The settings (required). */
    public Builder settings(GaleraSettings settings) {
      this.settings = settings;
      return this;
    }

    /** A name for threads, pools and logs (default "galera"). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(GaleraListener listener) {
      this.listeners.add(listener);
      return this;
    }

    /** Whether units of work are re-run after a 1205 lock wait timeout (default false). */
    public Builder retryLockWaitTimeout(boolean retry) {
      this.retryLockWaitTimeout = retry;
      return this;
    }

    /**
     * Checks every node once and starts the monitor. Tolerates nodes that are down; when none
     * answers it tries again every {@code retry_interval} up to {@code max_retries} times, as
     * oslo.db does at start-up.
     *
     * @throws SQLException when no node answered within that budget
     */
    public GaleraDataSource build() throws SQLException {
      if (settings == null) {
        throw new IllegalStateException("settings are required");
      }
      GaleraDataSource ds = new GaleraDataSource(this);
      ds.start();
      return ds;
    }
  }
}
