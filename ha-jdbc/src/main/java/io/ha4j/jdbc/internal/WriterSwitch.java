package io.ha4j.jdbc.internal;

import io.ha4j.config.FailbackPolicy;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.NodeState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the writer and changes it (GALERA.md design 4 to 6): after every check it asks {@link
 * WriterChoice}; a dead or non-Primary writer is replaced at once and the connections lent from it
 * are aborted; a writer an operator takes out, and a failback, are drained first: nothing new is
 * lent, and the switch happens when every connection lent from the old writer has come back or
 * {@code drain_timeout} has passed, whichever is first. No writer is chosen before every node was
 * checked once ({@link #started()}).
 *
 * <p>A switch to a node is reported (event and INFO line) once writes flow again: at the first
 * write that succeeds on a connection lent from the new writer ({@link #wrote(Node)}), or at the
 * first check after {@code check_interval} when nothing was borrowed from it meanwhile, or after
 * {@code pool_timeout} at the latest; see {@link GaleraEvent.WriterChanged}.
 */
final class WriterSwitch {

  private static final Logger LOG = LoggerFactory.getLogger(WriterSwitch.class);

  private final String name;
  private final List<Node> nodes;
  private final FailbackPolicy failback;
  private final Duration drainTimeout;
  private final Environment env;
  private final Events events;
  private final BiConsumer<Runnable, Duration> timer;
  private final Duration checkInterval;
  private final Duration poolTimeout;
  private final IntSupplier waitingWriters;
  private final Object lock = new Object();

  /** A switch not reported yet: it waits for the first write on its new writer. */
  private static final class Pending {
    final Node from;
    final Node to;
    final String reason;
    final Duration took;
    final long start;
    final long switchedAt;
    volatile boolean borrowed;

    Pending(Node from, Node to, String reason, Duration took, long start, long switchedAt) {
      this.from = from;
      this.to = to;
      this.reason = reason;
      this.took = took;
      this.start = start;
      this.switchedAt = switchedAt;
    }
  }

  private volatile Pending pending;

  private volatile Node writer; // null while none is healthy or a drain is running
  private volatile Node draining; // the old writer while a drain runs
  private boolean starting = true; // guarded by lock
  private boolean closed; // guarded by lock
  private long drainStart; // guarded by lock
  private long drainDeadline; // guarded by lock
  private String drainReason = ""; // guarded by lock
  private long noWriterSince; // guarded by lock

  /**
   * @param timer runs a task once after a delay (the end of a drain's time budget)
   * @param checkInterval how long a switch waits to be reported when nothing is borrowed
   * @param poolTimeout how long a switch waits at most to be reported
   * @param waitingWriters units of work sleeping before they run again: writers that wait
   */
  WriterSwitch(
      String name,
      List<Node> nodes,
      FailbackPolicy failback,
      Duration drainTimeout,
      Environment env,
      Events events,
      BiConsumer<Runnable, Duration> timer,
      Duration checkInterval,
      Duration poolTimeout,
      IntSupplier waitingWriters) {
    this.waitingWriters = waitingWriters;
    this.checkInterval = checkInterval;
    this.poolTimeout = poolTimeout;
    this.name = name;
    this.nodes = nodes;
    this.failback = failback;
    this.drainTimeout = drainTimeout;
    this.env = env;
    this.events = events;
    this.timer = timer;
    this.noWriterSince = env.now();
  }

  /** The current writer, or null. One volatile read. */
  Node writer() {
    return writer;
  }

  /** Whether {@code n} is being drained. */
  boolean isDraining(Node n) {
    return draining == n;
  }

  /** Every node was checked once: from now on a writer may be chosen. */
  void started() {
    synchronized (lock) {
      starting = false;
    }
    reconsider();
  }

  /** A connection was lent from {@code n}. One volatile read unless a switch waits for it. */
  void lent(Node n) {
    Pending p = pending;
    if (p != null && p.to == n) {
      p.borrowed = true;
    }
  }

  /**
   * A write succeeded on a connection lent from {@code n}: reports a switch to {@code n} that waits
   * for it. One volatile read unless a switch waits for it.
   */
  void wrote(Node n) {
    Pending p = pending;
    if (p != null && p.to == n) {
      synchronized (lock) {
        if (pending == p) {
          pending = null;
          report(p, Duration.ofNanos(Math.max(0, env.now() - p.start)));
        }
      }
    }
  }

  /** Reports a waiting switch that waited long enough; with the lock held. */
  private void settlePending(long now) {
    Pending p = pending;
    if (p == null) {
      return;
    }
    long since = now - p.switchedAt;
    if (!p.borrowed && waitingWriters.getAsInt() == 0 && since >= checkInterval.toNanos()) {
      pending = null;
      report(p, p.took); // nobody waited to write
    } else if (since >= poolTimeout.toNanos()) {
      pending = null;
      report(p, Duration.ofNanos(Math.max(0, now - p.start))); // a lower bound
    }
  }

  /** Reports a waiting switch now, before another one; with the lock held. */
  private void flushPending(long now) {
    Pending p = pending;
    if (p != null) {
      pending = null;
      report(p, p.borrowed ? Duration.ofNanos(Math.max(0, now - p.start)) : p.took);
    }
  }

  private void report(Pending p, Duration blocked) {
    report(p.from, p.to, p.reason, p.took, blocked.compareTo(p.took) < 0 ? p.took : blocked);
  }

  private void report(Node from, Node to, String reason, Duration took, Duration blocked) {
    String f = from == null ? null : from.name;
    String t = to == null ? null : to.name;
    GaleraEvent.WriterChanged e = new GaleraEvent.WriterChanged(name, f, t, reason, took, blocked);
    String sentence = e.toString().substring(name.length() + 2); // without "name: "
    if (to == null) {
      LOG.warn("Galera data source '{}': {}", name, sentence);
    } else {
      LOG.info("Galera data source '{}': {}", name, sentence);
    }
    events.emit(ds -> e);
  }

  /** Stops lending for good and wakes every waiting borrower. */
  void close() {
    synchronized (lock) {
      closed = true;
      pending = null;
      writer = null;
      draining = null;
      lock.notifyAll();
    }
  }

  /**
   * Waits up to {@code nanos} until the writer is no longer {@code seen} (or null), or the data
   * source closes.
   */
  void awaitChange(Node seen, long nanos) throws InterruptedException {
    synchronized (lock) {
      if (!closed && (writer == seen || writer == null)) {
        TimeUnit.NANOSECONDS.timedWait(lock, nanos);
      }
    }
  }

  /** Applies the writer choice to the nodes' current states; called after every check. */
  void reconsider() {
    synchronized (lock) {
      if (closed || starting) {
        return;
      }
      settlePending(env.now());
      if (draining != null) {
        finishDrainIfDone();
        return;
      }
      Node old = writer;
      long now = env.now();
      WriterChoice.Decision d =
          WriterChoice.choose(views(), old == null ? -1 : old.index, failback, now);
      int target = d.target();
      if (old == null ? target < 0 : target == old.index) {
        return;
      }
      if (d.drain() && old != null) {
        writer = null;
        noWriterSince = now;
        draining = old;
        drainStart = now;
        drainDeadline = now + drainTimeout.toNanos();
        drainReason = d.reason();
        LOG.debug("Galera data source {}: draining writer {} ({})", name, old.name, d.reason());
        timer.accept(this::reconsider, drainTimeout);
        finishDrainIfDone();
        return;
      }
      Node to = target < 0 ? null : nodes.get(target);
      long since = old == null ? noWriterSince : troubleStart(old, now);
      switchTo(old, to, d.reason(), since, now);
      if (old != null) {
        old.pool.softEvict();
        if (old.lost()) {
          abortLent(old);
        }
      }
    }
  }

  /**
   * Ends the drain when nothing lent from the old writer is left out, its time is up, or it died
   * meanwhile (then what is still out is aborted); with the lock held.
   */
  private void finishDrainIfDone() {
    Node old = draining;
    long now = env.now();
    int left = old.lent.size();
    // a single time-out of a node busy with a backup does not end the drain; a verdict does
    boolean lost =
        old.state == NodeState.UNREACHABLE || (old.last.answered() && !old.last.primary());
    if (left > 0 && now - drainDeadline < 0 && !lost) {
      return;
    }
    draining = null;
    old.pool.softEvict();
    if (lost) {
      abortLent(old);
    }
    WriterChoice.Decision d = WriterChoice.choose(views(), -1, failback, now);
    Node to = d.target() < 0 ? null : nodes.get(d.target());
    String reason =
        drainReason
            + (left > 0 && !lost
                ? " (" + left + " connection(s) still borrowed after the drain)"
                : "");
    switchTo(old, to, reason, drainStart, now);
  }

  /**
   * Swaps the writer in; the switch is reported at once when there is no new writer or at start,
   * otherwise when writes flow on the new one.
   *
   * @param start when the trouble (or the drain) began
   */
  private void switchTo(Node from, Node to, String reason, long start, long now) {
    flushPending(now);
    writer = to;
    if (to == null) {
      noWriterSince = now;
    }
    lock.notifyAll();
    Duration took = Duration.ofNanos(Math.max(0, now - start));
    if (to == null || from == null) {
      report(from, to, reason, took, took);
      return;
    }
    LOG.debug(
        "Galera data source {}: writer {} -> {} in {} ms ({}); reported once writes flow",
        name,
        from.name,
        to.name,
        took.toMillis(),
        reason);
    pending = new Pending(from, to, reason, took, start, now);
  }

  /**
   * Abandons the connections lent from a writer that died or left the Primary component: their
   * sockets are closed at once, so a statement blocked on one (a COMMIT on a node cut off by the
   * network, say) fails now with a connection error instead of after the socket timeout, and the
   * unit of work goes on on the new writer. The driver's {@code abort} runs too, on its own thread:
   * it opens a connection to the same node to send {@code KILL} and so may block for the connect
   * timeout, which must hold neither the switch nor the monitor.
   */
  private void abortLent(Node n) {
    List<Connection> lent = new ArrayList<>(n.lent);
    n.aborted.addAll(lent);
    int cut = n.pool.cutSockets();
    LOG.debug(
        "Galera data source {}: abandoning {}: {} socket(s) closed, {} lent connection(s) aborted",
        name,
        n.name,
        cut,
        lent.size());
    if (lent.isEmpty()) {
      return;
    }
    env.background()
        .execute(
            () -> {
              for (Connection c : lent) {
                try {
                  c.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                  LOG.debug(
                      "Galera data source {}: abort of a connection to {}: {}",
                      name,
                      n.name,
                      e.toString());
                }
              }
            });
  }

  private static long troubleStart(Node n, long now) {
    long t = n.troubleSince;
    return t == Node.NONE ? now : t;
  }

  private List<WriterChoice.View> views() {
    List<WriterChoice.View> v = new ArrayList<>(nodes.size());
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
}
