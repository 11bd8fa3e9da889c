package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraListener;
import io.ha4j.jdbc.NodeState;
import io.ha4j.jdbc.NodeStatus;
import io.ha4j.jdbc.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link GaleraDataSource} does, put together from its parts: the {@link Node}s (pool,
 * prober, health), the {@link Monitor} that checks them, the {@link WriterSwitch} that holds the
 * writer, and the {@link UnitOfWork} runner. Lends connections from the writer (and from readers)
 * and tells each part what the others need to know. Thread-safe.
 */
public final class GaleraCore {

  private static final Logger LOG = LoggerFactory.getLogger(GaleraCore.class);

  private final GaleraSettings settings;
  private final String name;
  private final Environment env;
  private final List<Node> nodes;
  private final Monitor monitor;
  private final WriterSwitch writerSwitch;
  private final UnitOfWork unitOfWork;
  private final AtomicInteger readerTurn = new AtomicInteger();
  private final Object lifecycleLock = new Object();
  private volatile GaleraDataSource.State lifecycle = GaleraDataSource.State.OPENING;

  private GaleraCore(
      GaleraSettings settings,
      String name,
      List<GaleraListener> listeners,
      boolean retryLockWaitTimeout,
      Environment env,
      NodeIo io) {
    this.settings = settings;
    this.name = name;
    this.env = env;
    Events events = new Events(name, listeners);
    List<Node> ns = new ArrayList<>();
    for (int i = 0; i < settings.nodes().size(); i++) {
      ns.add(new Node(i, settings.nodes().get(i), settings, io));
    }
    this.nodes = Collections.unmodifiableList(ns);
    this.monitor = new Monitor(name, nodes, env, events);
    this.writerSwitch =
        new WriterSwitch(
            name, nodes, settings.failback(), settings.drainTimeout(), env, events, monitor::later);
    monitor.writerSwitch(writerSwitch);
    this.unitOfWork =
        new UnitOfWork(
            settings.retry(), retryLockWaitTimeout, env, events, this::getConnection, this::closed);
  }

  /**
   * Checks every node once and starts the monitor. Tolerates nodes that are down; when none answers
   * it tries again every {@code retry_interval} up to {@code max_retries} times, as oslo.db does at
   * start-up.
   *
   * @throws SQLException when no node answered within that budget (the core is closed then)
   */
  public static GaleraCore open(
      GaleraSettings settings,
      String name,
      List<GaleraListener> listeners,
      boolean retryLockWaitTimeout,
      Environment env,
      NodeIo io)
      throws SQLException {
    GaleraCore core = new GaleraCore(settings, name, listeners, retryLockWaitTimeout, env, io);
    core.start();
    return core;
  }

  private void start() throws SQLException {
    int attempts = 0;
    try {
      while (true) {
        attempts++;
        monitor.checkAllNow();
        if (nodes.stream().anyMatch(n -> n.last.answered())) {
          break;
        }
        if (settings.maxRetries().isPresent() && attempts > settings.maxRetries().getAsInt()) {
          close();
          throw new SQLException(
              "no Galera node answered after "
                  + attempts
                  + " attempt(s) ([database] max_retries = "
                  + settings.maxRetries().getAsInt()
                  + ", retry_interval = "
                  + settings.retryInterval().toSeconds()
                  + " s): "
                  + Node.describe(nodes),
              "08001");
        }
        LOG.info(
            "Galera data source {}: no node answers ({}); next try in {} s",
            name,
            Node.describe(nodes),
            settings.retryInterval().toSeconds());
        env.sleeper().sleep(settings.retryInterval());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new SQLException("interrupted while waiting for a Galera node to answer", e);
    }
    synchronized (lifecycleLock) {
      if (lifecycle == GaleraDataSource.State.OPENING) {
        lifecycle = GaleraDataSource.State.OPEN;
      }
    }
    writerSwitch.started();
    monitor.schedule(settings.checkInterval());
  }

  /**
   * The life-cycle state: {@code OPEN} while there is a writer, {@code RECOVERING} while there is
   * none (no healthy node, or a drain is running).
   */
  public GaleraDataSource.State state() {
    GaleraDataSource.State s = lifecycle;
    if (s == GaleraDataSource.State.OPEN && writerSwitch.writer() == null) {
      return GaleraDataSource.State.RECOVERING;
    }
    return s;
  }

  private boolean closed() {
    GaleraDataSource.State s = lifecycle;
    return s == GaleraDataSource.State.CLOSING || s == GaleraDataSource.State.CLOSED;
  }

  /** A connection to the current writer; see {@link GaleraDataSource#getConnection()}. */
  public Connection getConnection() throws SQLException {
    long timeout = settings.poolTimeout().toNanos();
    long deadline = env.now() + timeout;
    SQLException last = null;
    while (true) {
      if (closed()) {
        throw new SQLException("Galera data source " + name + " is closed", "08003");
      }
      Node w = writerSwitch.writer();
      if (w != null) {
        try {
          return lend(w, w.pool.getConnection());
        } catch (SQLException e) {
          last = e;
          monitor.suspect(w, e);
        }
      }
      long left = deadline - env.now();
      if (left <= 0) {
        SQLException e =
            new SQLException(
                "no healthy Galera writer for "
                    + name
                    + " within "
                    + settings.poolTimeout().toMillis()
                    + " ms: "
                    + Node.describe(nodes),
                "08001");
        if (last != null) {
          e.initCause(last);
        }
        throw e;
      }
      try {
        writerSwitch.awaitChange(w, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a Galera writer", e);
      }
    }
  }

  /** A connection for reads; see {@link GaleraDataSource#readers()}. */
  public Connection getReaderConnection() throws SQLException {
    if (settings.readerRouting()) {
      Node w = writerSwitch.writer();
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
          monitor.suspect(n, e);
        }
      }
    }
    return getConnection();
  }

  private Connection lend(Node n, Connection raw) {
    n.lent.add(raw);
    return Proxies.connection(raw, n.name, e -> monitor.suspect(n, e), () -> returned(n, raw));
  }

  private void returned(Node n, Connection raw) {
    n.lent.remove(raw);
    if (writerSwitch.isDraining(n)) {
      writerSwitch.reconsider(); // the last one back ends the drain
    }
  }

  /** Runs a unit of work; see {@link GaleraDataSource#call(SqlFunction)}. */
  public <T> T call(SqlFunction<T> work, boolean idempotent) throws SQLException {
    return unitOfWork.call(work, idempotent);
  }

  /** The current writer as {@code host:port}, if any. */
  public Optional<String> writer() {
    Node w = writerSwitch.writer();
    return w == null ? Optional.empty() : Optional.of(w.name);
  }

  /** Every node as the monitor last saw it, in configured order. */
  public List<NodeStatus> nodes() {
    Node w = writerSwitch.writer();
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
              n.detail(),
              n == w,
              n.checks));
    }
    return out;
  }

  /** Units of work re-run so far, by reason. */
  public Map<GaleraErrors.Kind, Long> retries() {
    return unitOfWork.retries();
  }

  /** Every node with its state, for messages. */
  public String describeNodes() {
    return Node.describe(nodes);
  }

  // for unit tests: drive the monitor by hand
  void checkNow(int index) {
    monitor.check(nodes.get(index));
  }

  /** Stops the monitor and closes every node pool; borrowed connections are closed too. */
  public void close() {
    synchronized (lifecycleLock) {
      if (closed()) {
        return;
      }
      lifecycle = GaleraDataSource.State.CLOSING;
    }
    writerSwitch.close();
    monitor.close();
    for (Node n : nodes) {
      n.pool.close();
    }
    lifecycle = GaleraDataSource.State.CLOSED;
  }
}
