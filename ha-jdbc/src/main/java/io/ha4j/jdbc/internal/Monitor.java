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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the nodes (GALERA.md design 2 and 3): each on its own schedule every {@code
 * check_interval} on ha4j's named threads, all at once at start-up, and one at once when the
 * application saw an error that suspects it. After every check the writer is reconsidered.
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

  /** Checks each node every {@code interval} from now on. */
  void schedule(Duration interval) {
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
      Node.Change c = n.apply(p, majorityUuid(), others, env.now());
      if (c != null) {
        logChange(n, c);
        events.emit(
            ds -> new GaleraEvent.NodeStateChanged(ds, n.name, c.from(), c.to(), c.detail()));
      }
    } finally {
      if (closed) {
        n.prober.close(); // close() does not wait for a check in flight
      }
      n.checkLock.unlock();
    }
    writerSwitch.reconsider();
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
