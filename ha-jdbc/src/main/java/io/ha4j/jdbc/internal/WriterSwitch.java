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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the writer and changes it (GALERA.md design 4 to 6): after every check it asks {@link
 * WriterChoice}; a dead or non-Primary writer is replaced at once and the connections lent from it
 * are aborted; a writer an operator takes out, and a failback, are drained first: nothing new is
 * lent, and the switch happens when every connection lent from the old writer has come back or
 * {@code drain_timeout} has passed, whichever is first. No writer is chosen before every node was
 * checked once ({@link #started()}).
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
  private final Object lock = new Object();

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
   */
  WriterSwitch(
      String name,
      List<Node> nodes,
      FailbackPolicy failback,
      Duration drainTimeout,
      Environment env,
      Events events,
      BiConsumer<Runnable, Duration> timer) {
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

  /** Stops lending for good and wakes every waiting borrower. */
  void close() {
    synchronized (lock) {
      closed = true;
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
      switchTo(old, to, d.reason(), Duration.ofNanos(Math.max(0, now - since)), now);
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
    switchTo(old, to, reason, Duration.ofNanos(Math.max(0, now - drainStart)), now);
  }

  private void switchTo(Node from, Node to, String reason, Duration took, long now) {
    writer = to;
    if (to == null) {
      noWriterSince = now;
    }
    lock.notifyAll();
    String f = from == null ? null : from.name;
    String t = to == null ? null : to.name;
    LOG.info(
        "Galera data source {}: writer {} -> {} in {} ms ({})",
        name,
        f == null ? "none" : f,
        t == null ? "none" : t,
        took.toMillis(),
        reason);
    events.emit(() -> new GaleraEvent.WriterChanged(f, t, reason, took));
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
