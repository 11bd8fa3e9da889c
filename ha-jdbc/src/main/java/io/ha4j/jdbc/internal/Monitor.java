package io.ha4j.jdbc.internal;

import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.NodeState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the nodes (GALERA.md design 2 and 3): each on its own schedule every {@code
 * check_interval} on ha4j's named threads, all at once at start-up, and one at once when the
 * application saw an error that suspects it. After every check the writer is reconsidered.
 *
 * <p>A writer that misses a check may be hung or cut off, and the cluster evicts such a node after
 * {@code evs.suspect_timeout} or so, which may come before {@code fall_count} misses. So while the
 * writer is silent the other nodes are checked every {@link #fastInterval} as well, and a silent
 * node is marked down as soon as they show a Primary view that went on without it ({@link
 * Node#leftBehind}).
 */
final class Monitor {

  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

  private final String name;
  private final List<Node> nodes;
  private final Environment env;
  private final Events events;
  private final ScheduledExecutorService executor;
  private WriterSwitch writerSwitch; // set once before the first check
  private volatile boolean closed;
  private volatile Duration fastInterval = Duration.ofMillis(50);
  private final AtomicBoolean fast = new AtomicBoolean();

  Monitor(String name, List<Node> nodes, Environment env, Events events) {
    this.name = name;
    this.nodes = nodes;
    this.env = env;
    this.events = events;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newScheduledThreadPool(
            nodes.size() + 1,
            r -> {
              Thread t =
                  new Thread(r, "ha4j-galera-monitor-" + name + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  void writerSwitch(WriterSwitch s) {
    this.writerSwitch = s;
  }

  /** Runs {@code task} once after {@code delay} on a monitor thread (nothing once closed). */
  void later(Runnable task, Duration delay) {
    try {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException ignored) {
      // closing
    }
  }

  /** Checks every node once, in parallel, and waits for all of them. */
  void checkAllNow() throws InterruptedException {
    List<Future<?>> fs = new ArrayList<>();
    for (Node n : nodes) {
      fs.add(executor.submit(() -> checkQuietly(n)));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (ExecutionException e) {
        LOG.warn("Galera monitor of {}: check failed: {}", name, e.getCause().toString());
      }
    }
  }

  /**
   * How often the other nodes are checked while the writer is silent: a twentieth of {@code
   * interval}, from 10 to 50 ms (at most 40 extra checks a second per data source, and only for the
   * few seconds until the writer answers again or is marked down).
   */
  static Duration fastInterval(Duration interval) {
    long ms = Math.max(10, Math.min(50, interval.toMillis() / 20));
    return Duration.ofMillis(ms);
  }

  /** Checks each node every {@code interval} from now on. */
  void schedule(Duration interval) {
    fastInterval = fastInterval(interval);
    long period = interval.toNanos();
    for (Node n : nodes) {
      executor.scheduleAtFixedRate(() -> checkQuietly(n), period, period, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * One check that throws nothing: the executor never runs a periodic task again once it threw, and
   * says nothing, so an error (a class that fails to load, say) would freeze the node's state for
   * good and leave this data source disagreeing with the others about the writer.
   */
  void checkQuietly(Node n) {
    try {
      check(n);
    } catch (RuntimeException e) {
      LOG.warn("Galera monitor of {}: checking {} failed: {}", name, n.name, e.toString());
    } catch (Error e) {
      LOG.error(
          "Galera monitor of {}: checking {} failed: {}; checking it goes on",
          name,
          n.name,
          e.toString());
    }
  }

  /** One status query on the node's own connection, then its state machine, then the writer. */
  void check(Node n) {
    if (closed) {
      return;
    }
    n.checkLock.lock();
    try {
      if (closed) {
        return;
      }
      Probe p = n.prober.probe();
      if (closed) {
        return;
      }
      n.last = p;
      List<Probe> others = new ArrayList<>(nodes.size());
      for (Node o : nodes) {
        if (o != n) {
          others.add(o.last);
        }
      }
      report(n, n.apply(p, majorityUuid(), others, env.now()));
      if (p.primary()) {
        judgeSilent(n);
      }
    } finally {
      if (closed) {
        n.prober.close(); // close() does not wait for a check in flight
      }
      n.checkLock.unlock();
    }
    writerSwitch.reconsider();
    Node w = writerSwitch.writer();
    if (w == n && n.silent()) {
      checkOthersOften(w);
    }
  }

  private void report(Node n, Node.Change c) {
    if (c != null) {
      logChange(n, c);
      events.emit(ds -> new GaleraEvent.NodeStateChanged(ds, n.name, c.from(), c.to(), c.detail()));
    }
  }

  /** After {@code by} answered as Primary: marks down every silent node its view left behind. */
  private void judgeSilent(Node by) {
    for (Node s : nodes) {
      if (s == by) {
        continue;
      }
      List<Probe> others = new ArrayList<>(nodes.size());
      for (Node o : nodes) {
        if (o != s) {
          others.add(o.last);
        }
      }
      report(s, s.leftBehind(others, env.now()));
    }
  }

  /**
   * Checks every node but the silent writer {@code w} each {@link #fastInterval} until {@code w}
   * answers again, is marked down or is no longer the writer. A node whose check is in flight is
   * skipped that round.
   */
  private void checkOthersOften(Node w) {
    if (closed || !fast.compareAndSet(false, true)) {
      return;
    }
    LOG.debug(
        "Galera monitor of {}: writer {} missed a check; checking the others every {} ms",
        name,
        w.name,
        fastInterval.toMillis());
    later(() -> fastRound(w), fastInterval);
  }

  private void fastRound(Node w) {
    if (closed || !w.silent() || writerSwitch.writer() != w) {
      fast.set(false);
      if (!closed && w.silent() && writerSwitch.writer() == w) {
        checkOthersOften(w); // went silent again meanwhile
      }
      return;
    }
    for (Node o : nodes) {
      if (o != w && o.checkLock.tryLock()) {
        try {
          checkQuietly(o);
        } finally {
          o.checkLock.unlock();
        }
      }
    }
    later(() -> fastRound(w), fastInterval);
  }

  /**
   * A node's state change, at the level an operator needs: the first check (start-up, reported by
   * the data source) and the writer going down (the writer switch that follows is the one line of
   * the failover) are DEBUG; another node going down is a WARN (degraded); a node back is INFO.
   */
  private void logChange(Node n, Node.Change c) {
    String line = "Galera data source '{}': node {} {} -> {}{}";
    String detail = c.detail().isEmpty() ? "" : ": " + c.detail();
    if (c.from() == NodeState.UNKNOWN
        || (c.to() != NodeState.HEALTHY && writerSwitch.writer() == n)
        || (c.from() != NodeState.HEALTHY && c.to() != NodeState.HEALTHY)) {
      LOG.debug(line, name, n.name, c.from(), c.to(), detail);
    } else if (c.to() == NodeState.HEALTHY) {
      LOG.info(line, name, n.name, c.from(), c.to(), detail);
    } else {
      LOG.warn(line, name, n.name, c.from(), c.to(), detail);
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

  /**
   * Asks for an immediate re-check of {@code n} after the application saw {@code e} on it, if
   * {@code e} suspects the node; at most one re-check is queued at a time.
   */
  void suspect(Node n, SQLException e) {
    if (closed || !GaleraErrors.suspectsNode(e)) {
      return;
    }
    n.markTrouble(env.now());
    if (n.recheckQueued.compareAndSet(false, true)) {
      if (GaleraErrors.classify(e) == GaleraErrors.Kind.CONNECTION_LOST) {
        // the node's idle connections are most likely dead too: close them now rather than have
        // HikariCP try each one (a WARN per connection) before the re-check decides
        n.pool.softEvict();
      }
      try {
        executor.execute(
            () -> {
              n.recheckQueued.set(false);
              checkQuietly(n);
            });
      } catch (RejectedExecutionException ignored) {
        n.recheckQueued.set(false); // closing
      }
    }
  }

  /**
   * Stops checking and closes the probers' connections. Does not wait for a check in flight: its
   * thread is interrupted and closes its own connection when it ends (see {@link #check}).
   */
  void close() {
    closed = true;
    executor.shutdownNow();
    for (Node n : nodes) {
      closeProberIfIdle(n);
    }
  }

  private static void closeProberIfIdle(Node n) {
    if (n.checkLock.tryLock()) {
      try {
        n.prober.close();
      } finally {
        n.checkLock.unlock();
      }
    }
  }
}
