package io.ha4j.jdbc.internal;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.NodeState;
import java.sql.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node: its pool, its prober, the connections lent from it, and the monitor's state machine
 * over its probes (GALERA.md design 2): a hard failure marks it down at once, a time-out after
 * {@code fall_count} misses; it is healthy again after {@code rise_count} healthy checks (at once
 * for its first check).
 */
final class Node {

  /** "Never" for {@link #troubleSince}. */
  static final long NONE = Long.MIN_VALUE;

  final int index;
  final GaleraNode config;
  final String name;
  final NodeIo.Pool pool;
  final NodeIo.Prober prober;

  /** Held while probing and applying, so that two checks of one node never interleave. */
  final ReentrantLock checkLock = new ReentrantLock();

  final AtomicBoolean recheckQueued = new AtomicBoolean();
  final Set<Connection> lent = ConcurrentHashMap.newKeySet();

  /** Lent connections ha4j aborted: evicted, not pooled again, when they come back. */
  final Set<Connection> aborted = ConcurrentHashMap.newKeySet();

  private final int fallCount;
  private final int riseCount;
  private final boolean availableWhenDonor;

  volatile NodeState state = NodeState.UNKNOWN;
  volatile Probe last = Probe.failed(false, "not checked yet");

  /** Its last answered probe, null before any. */
  volatile Probe lastAnswer;

  volatile Health.Verdict verdict = new Health.Verdict(false, false, "not checked yet");
  volatile long healthySince;
  volatile long troubleSince = NONE;
  volatile long checks;

  /** The cluster name of its last answer ("" before any). */
  volatile String clusterName = "";

  // guarded by this: a check applies its probe with its check lock held, and another node's check
  // may judge this one (leftBehind) while its own probe still hangs with that lock
  private int misses;
  private int healthyStreak;

  /** A change of {@link #state}. */
  record Change(NodeState from, NodeState to, String detail) {}

  Node(int index, GaleraNode config, GaleraSettings settings, NodeIo io) {
    this.index = index;
    this.config = config;
    this.name = config.hostAndPort();
    this.fallCount = settings.fallCount();
    this.riseCount = settings.riseCount();
    this.availableWhenDonor = settings.availableWhenDonor();
    this.pool = io.pool(config);
    this.prober = io.prober(config);
  }

  /**
   * Takes in one probe (with {@link #checkLock} held): what it says given the majority's UUID and
   * the other nodes' last probes, and the resulting state. A time-out counts as a miss, or marks
   * the node down at once when the others' views show that the Primary component went on without it
   * ({@link Health#leftBehind}).
   *
   * @return the state change, or null if the state stays
   */
  synchronized Change apply(Probe p, String majorityUuid, Collection<Probe> others, long now) {
    last = p;
    checks++;
    if (p.answered()) {
      lastAnswer = p;
      if (!p.clusterName().isEmpty()) {
        clusterName = p.clusterName();
      }
    }
    NodeState before = state;
    NodeState after = before;
    String detail;
    if (!p.answered()) {
      detail = p.error();
      healthyStreak = 0;
      misses = p.hardFailure() ? fallCount : misses + 1;
      String gone = p.hardFailure() ? "" : Health.leftBehind(lastAnswer, others);
      if (!gone.isEmpty()) {
        misses = fallCount;
        detail = detail + "; " + gone;
      }
      if (misses >= fallCount || before == NodeState.UNKNOWN) {
        after = NodeState.UNREACHABLE;
      }
      verdict = new Health.Verdict(false, false, detail);
      markTrouble(now);
    } else {
      misses = 0;
      Health.Verdict v = Health.judge(p, majorityUuid, availableWhenDonor);
      if (v.healthy()) {
        String stale = Health.staleView(p, others);
        if (!stale.isEmpty()) {
          v = new Health.Verdict(false, false, stale);
        }
      }
      verdict = v;
      detail = v.detail();
      if (v.healthy()) {
        healthyStreak++;
        if (before == NodeState.UNKNOWN || healthyStreak >= riseCount) {
          after = NodeState.HEALTHY;
          troubleSince = NONE;
        }
      } else {
        healthyStreak = 0;
        after = NodeState.UNHEALTHY;
        markTrouble(now);
      }
    }
    if (after == before) {
      return null;
    }
    if (after == NodeState.HEALTHY) {
      healthySince = now;
    }
    state = after;
    return new Change(before, after, detail);
  }

  /**
   * Marks the node down when it has missed a check since its last answer and the other nodes' last
   * probes show that the Primary component went on without it ({@link Health#leftBehind}). Called
   * after another node's check, without this node's check lock: its own probe may be the one
   * hanging.
   *
   * @return the state change, or null if the state stays
   */
  synchronized Change leftBehind(Collection<Probe> others, long now) {
    if (misses == 0 || misses >= fallCount || state != NodeState.HEALTHY) {
      return null;
    }
    String gone = Health.leftBehind(lastAnswer, others);
    if (gone.isEmpty()) {
      return null;
    }
    misses = fallCount;
    healthyStreak = 0;
    String detail = last.error() + "; " + gone;
    verdict = new Health.Verdict(false, false, detail);
    markTrouble(now);
    state = NodeState.UNREACHABLE;
    return new Change(NodeState.HEALTHY, NodeState.UNREACHABLE, detail);
  }

  /**
   * Whether it missed its last check (a time-out) and is not marked down yet: a writer in this
   * state may be hung, and the monitor checks the others more often.
   */
  synchronized boolean silent() {
    return misses > 0 && misses < fallCount && state == NodeState.HEALTHY;
  }

  /** Remembers when trouble began (kept until the node is healthy again). */
  void markTrouble(long now) {
    if (troubleSince == NONE) {
      troubleSince = now;
    }
  }

  /** Whether it is unreachable or outside the Primary component: its sessions are worthless. */
  boolean lost() {
    return state == NodeState.UNREACHABLE || !last.primary();
  }

  /** Why it is not healthy, "" when it is. */
  String detail() {
    return state == NodeState.HEALTHY ? "" : verdict.detail();
  }

  /** "host:port STATE (detail); …" in configured order. */
  static String describe(List<Node> nodes) {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(n.name).append(' ').append(n.state);
      String d = n.detail();
      if (!d.isEmpty()) {
        b.append(" (").append(d).append(')');
      }
    }
    return b.toString();
  }
}
