package io.ha4j.jdbc.internal;

import io.ha4j.jdbc.GaleraErrors;
import io.ha4j.jdbc.GaleraEvent;
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

  void checkQuietly(Node n) {
    try {
      check(n);
    } catch (RuntimeException e) {
      LOG.warn("Galera monitor of {}: checking {} failed: {}", name, n.name, e.toString());
    }
  }

  /** One status query on the node's own connection, then its state machine, then the writer. */
  void check(Node n) {
    if (closed) {
      return;
    }
    synchronized (n.checkLock) {
      Probe p = n.prober.probe();
      n.last = p;
      List<Probe> others = new ArrayList<>(nodes.size());
      for (Node o : nodes) {
        if (o != n) {
          others.add(o.last);
        }
      }
      Node.Change c = n.apply(p, majorityUuid(), others, env.now());
      if (c != null) {
        LOG.info("Galera node {} of {}: {} -> {} {}", n.name, name, c.from(), c.to(), c.detail());
        events.emit(() -> new GaleraEvent.NodeStateChanged(n.name, c.from(), c.to(), c.detail()));
      }
    }
    writerSwitch.reconsider();
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

  /** Stops checking and closes the probers' connections. */
  void close() {
    closed = true;
    executor.shutdownNow();
    for (Node n : nodes) {
      synchronized (n.checkLock) {
        n.prober.close();
      }
    }
  }
}
