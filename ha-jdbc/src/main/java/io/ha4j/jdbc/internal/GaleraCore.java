package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraSettings;
import io.ha4j.config.OperationInterruptedException;
import io.ha4j.jdbc.GaleraConnectException;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraListener;
import io.ha4j.jdbc.NodeState;
import io.ha4j.jdbc.NodeStatus;
import io.ha4j.jdbc.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
  private final NodeIo io;
  private final List<Node> nodes;
  private final Monitor monitor;
  private final WriterSwitch writerSwitch;
  private final UnitOfWork unitOfWork;
  private final CommitMarkers markers; // null: off
  private final MarkerPurger purger; // null: markers off
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
    this.io = io;
    Events events = new Events(name, listeners);
    List<Node> ns = new ArrayList<>();
    for (int i = 0; i < settings.nodes().size(); i++) {
      ns.add(new Node(i, settings.nodes().get(i), settings, io));
    }
    this.nodes = Collections.unmodifiableList(ns);
    this.monitor = new Monitor(name, nodes, env, events);
    this.writerSwitch =
        new WriterSwitch(
            name,
            nodes,
            settings.failback(),
            settings.drainTimeout(),
            env,
            events,
            monitor::later,
            settings.checkInterval(),
            settings.poolTimeout(),
            this::waitingWriters);
    monitor.writerSwitch(writerSwitch);
    this.markers =
        settings.commitMarkers() ? new CommitMarkers(settings.commitMarkerTable()) : null;
    this.unitOfWork =
        new UnitOfWork(
            settings.retry(),
            retryLockWaitTimeout,
            env,
            events,
            this::getConnection,
            this::closed,
            markers);
    this.purger = markers == null ? null : new MarkerPurger(name, markers, this::getConnection);
  }

  /**
   * Checks every node once and starts the monitor. Tolerates nodes that are down; when none answers
   * it tries again every {@code retry_interval} up to {@code max_retries} times, as oslo.db does at
   * start-up.
   *
   * @throws GaleraConnectException when no node answered within that budget (the core is closed
   *     then)
   * @throws OperationInterruptedException when interrupted meanwhile (the interrupt flag is set
   *     again; the core is closed then)
   */
  public static GaleraCore open(
      GaleraSettings settings,
      String name,
      List<GaleraListener> listeners,
      boolean retryLockWaitTimeout,
      Environment env,
      NodeIo io) {
    GaleraCore core = new GaleraCore(settings, name, listeners, retryLockWaitTimeout, env, io);
    core.start();
    return core;
  }

  private void start() {
    String resource = "Galera data source '" + name + "'";
    long t0 = env.now();
    int attempts = 0;
    try {
      while (true) {
        attempts++;
        monitor.checkAllNow();
        boolean anyAnswered = nodes.stream().anyMatch(n -> n.last.answered());
        if (nodes.stream().allMatch(n -> n.last.tlsFailure())) {
          // a CA that did not sign the servers' certificates, a name they do not carry: retrying
          // cannot fix the configuration (as AMQP.md for TLS handshake failures)
          close();
          throw new GaleraConnectException(
              resource,
              "TLS verification failed on every node of "
                  + resource
                  + ", not retried: "
                  + Node.describe(nodes),
              attempts,
              Duration.ofNanos(env.now() - t0),
              null);
        }
        if (attempts == 1) {
          warnAboutNodesDownAtStart(anyAnswered);
        }
        if (anyAnswered) {
          break;
        }
        if (settings.maxRetries().isPresent() && attempts > settings.maxRetries().getAsInt()) {
          close();
          throw new GaleraConnectException(
              resource,
              "no node of "
                  + resource
                  + " answered after "
                  + attempts
                  + " attempt(s) in "
                  + Duration.ofNanos(env.now() - t0).toMillis()
                  + " ms ([database] max_retries = "
                  + settings.maxRetries().getAsInt()
                  + ", retry_interval = "
                  + settings.retryInterval().toSeconds()
                  + " s): "
                  + Node.describe(nodes),
              attempts,
              Duration.ofNanos(env.now() - t0),
              null);
        }
        LOG.debug(
            "{}: no node answers ({}); next try in {} s",
            resource,
            Node.describe(nodes),
            settings.retryInterval().toSeconds());
        env.sleeper().sleep(settings.retryInterval());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new OperationInterruptedException(
          resource, "interrupted while waiting for a node of " + resource + " to answer", e);
    }
    synchronized (lifecycleLock) {
      if (lifecycle == GaleraDataSource.State.OPENING) {
        lifecycle = GaleraDataSource.State.OPEN;
      }
    }
    writerSwitch.started();
    monitor.schedule(settings.checkInterval());
    if (purger != null) {
      purger.start();
    }
  }

  /**
   * One WARN per node that failed its first check, with what to look at and what happens next; the
   * further start-up rounds are DEBUG.
   */
  private void warnAboutNodesDownAtStart(boolean anyAnswered) {
    String plan;
    if (anyAnswered) {
      plan = "it is checked again every " + settings.checkInterval().toMillis() + " ms";
    } else if (settings.maxRetries().isPresent()) {
      int n = settings.maxRetries().getAsInt();
      plan =
          "no node answers: start-up tries again every "
              + settings.retryInterval().toSeconds()
              + " s, "
              + n
              + " more time(s) ([database] retry_interval, max_retries), then gives up";
    } else {
      plan =
          "no node answers: start-up tries again every "
              + settings.retryInterval().toSeconds()
              + " s for ever ([database] max_retries = -1)";
    }
    for (Node n : nodes) {
      if (n.state != NodeState.HEALTHY) {
        LOG.warn(
            "Galera data source '{}': node {} is {} at start-up: {}. Check its host and port in"
                + " [galera] nodes or [database] connection, and the credentials, or run 'ha4j"
                + " check'; {}",
            name,
            n.name,
            n.state,
            n.detail(),
            plan);
      }
    }
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
      if (w == null && nodes.stream().allMatch(n -> n.last.tlsFailure())) {
        SQLException e =
            new SQLException(
                "no Galera writer for "
                    + name
                    + ": TLS verification failed on every node: "
                    + Node.describe(nodes),
                "08001");
        if (last != null) {
          e.initCause(last);
        }
        throw e;
      }
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
    writerSwitch.lent(n);
    return Proxies.connection(
        raw,
        n.name,
        e -> monitor.suspect(n, e),
        broken -> returned(n, raw, broken),
        () -> writerSwitch.wrote(n));
  }

  /**
   * A lent connection comes back. One that saw its node fail, or that ha4j aborted, is evicted
   * before the pool takes it back, so that HikariCP does not log it as broken (see {@link
   * JdbcNodeIo}).
   */
  private void returned(Node n, Connection raw, boolean broken) {
    n.lent.remove(raw);
    if (n.aborted.remove(raw) | broken) {
      n.pool.evict(raw);
    }
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
              n.checks,
              lastClusterName(n)));
    }
    return out;
  }

  /** The cluster name the node reported in its last answer, kept while it does not answer. */
  private static String lastClusterName(Node n) {
    return n.clusterName;
  }

  /** Units of work sleeping before they run again. */
  private int waitingWriters() {
    return unitOfWork.waiting();
  }

  /** Units of work re-run so far, by reason. */
  public Map<GaleraErrors.Kind, Long> retries() {
    return unitOfWork.retries();
  }

  /** COMMITs whose lost answer was resolved, by outcome (true: it had committed). */
  public Map<Boolean, Long> commitResolutions() {
    return unitOfWork.resolutions();
  }

  /** Every node with its state, for messages. */
  public String describeNodes() {
    return Node.describe(nodes);
  }

  // for unit tests: drive the monitor by hand
  void checkNow(int index) {
    monitor.check(nodes.get(index));
  }

  /**
   * How long {@link #close()} waits for the node pools. HikariCP's {@code close()} first waits for
   * a connection it is opening to finish: up to the connect time-out for a node that does not
   * answer (paused, cut off), which made closing a data source with such a node take 1.3 to 1.7 s
   * when the pools were closed one after the other. The pools are closed at the same time, each on
   * a thread of its own; a pool that needs longer finishes closing in the background, on its own
   * daemon thread, within the connect time-out.
   */
  static final Duration CLOSE_WAIT = Duration.ofMillis(250);

  private void closePools() {
    List<Thread> closers = new ArrayList<>();
    for (Node n : nodes) {
      Thread t = new Thread(n.pool::close, "ha4j-galera-close-" + name + "-" + n.name);
      t.setDaemon(true);
      t.start();
      closers.add(t);
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      for (Thread t : closers) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the pools go on closing in the background
    }
    long busy = closers.stream().filter(Thread::isAlive).count();
    if (busy > 0) {
      LOG.debug("Galera data source '{}': {} pool(s) finish closing in the background", name, busy);
    }
  }

  /** Stops the monitor and closes every node pool; borrowed connections are closed too. */
  public void close() {
    synchronized (lifecycleLock) {
      if (closed()) {
        return;
      }
      lifecycle = GaleraDataSource.State.CLOSING;
    }
    if (purger != null) {
      purger.close();
    }
    writerSwitch.close();
    monitor.close();
    closePools();
    io.close();
    lifecycle = GaleraDataSource.State.CLOSED;
  }
}
