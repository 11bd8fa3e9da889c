package io.ha4j.cli.internal;

import java.util.Locale;
import java.util.Random;

/**
 * The seeded fault plan of {@code ha4j soak}: an endless sequence of faults, each on one node of
 * one cluster, the same sequence for the same seed. Every fault draws the same number of random
 * values whatever it turns out to be, so one choice never shifts the ones after it.
 *
 * <p>Not thread-safe: one thread walks the plan.
 */
final class SoakFaults {

  /** The kinds of fault. */
  enum Kind {
    /** kill -9 of the server, started again after the fault's duration. */
    KILL,
    /** SIGSTOP for the fault's duration, then SIGCONT. */
    PAUSE,
    /** All traffic to and from the node's address dropped (iptables) for the duration. */
    ISOLATE,
    /** Graceful stop, started again at once. */
    RESTART,
    /** {@code wsrep_desync=ON} on the Galera writer for the duration, then OFF (Galera only). */
    DESYNC;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which cluster a fault hits. */
  enum Target {
    RABBIT,
    GALERA;

    String label() {
      return this == RABBIT ? "rabbitmq" : "galera";
    }
  }

  /**
   * One planned fault.
   *
   * @param number 1 for the first fault of the run
   * @param gapMillis time from the previous fault's start (or the start of traffic) to this one
   * @param target the cluster
   * @param kind what is done to the node
   * @param node node index from 1; for {@link Kind#DESYNC} the node that is the writer when the
   *     fault starts is used instead
   * @param durationMillis how long the node stays faulted (0 for a restart)
   */
  record Fault(
      int number, long gapMillis, Target target, Kind kind, int node, long durationMillis) {

    /** "pause galera node 2 for 7.5 s". */
    String describe() {
      String where = target.label() + (kind == Kind.DESYNC ? " writer" : " node " + node);
      return kind.label()
          + " "
          + where
          + (durationMillis > 0
              ? String.format(Locale.ROOT, " for %.1f s", durationMillis / 1000.0)
              : "");
    }
  }

  static final long MIN_GAP_MILLIS = 10_000;
  static final long MAX_GAP_MILLIS = 20_000;

  private static final Kind[] RABBIT_KINDS = {Kind.KILL, Kind.PAUSE, Kind.ISOLATE, Kind.RESTART};
  private static final Kind[] GALERA_KINDS = Kind.values();

  private final Random random;
  private final int nodes;
  private int count;

  /** The plan for {@code seed} over clusters of {@code nodes} nodes each. */
  SoakFaults(long seed, int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
    }
    this.random = new Random(seed);
    this.nodes = nodes;
  }

  /** The next fault of the plan. */
  Fault next() {
    long gap = between(MIN_GAP_MILLIS, MAX_GAP_MILLIS);
    Target target = random.nextBoolean() ? Target.RABBIT : Target.GALERA;
    int kindDraw = random.nextInt(RABBIT_KINDS.length * GALERA_KINDS.length);
    int node = 1 + random.nextInt(nodes);
    double durationDraw = random.nextDouble();
    Kind kind =
        target == Target.RABBIT
            ? RABBIT_KINDS[kindDraw % RABBIT_KINDS.length]
            : GALERA_KINDS[kindDraw % GALERA_KINDS.length];
    long duration =
        switch (kind) {
          case KILL -> scale(durationDraw, 3_000, 10_000);
          case PAUSE, DESYNC -> scale(durationDraw, 5_000, 15_000);
          case ISOLATE -> scale(durationDraw, 5_000, 20_000);
          case RESTART -> 0;
        };
    return new Fault(++count, gap, target, kind, node, duration);
  }

  private long between(long min, long max) {
    return scale(random.nextDouble(), min, max);
  }

  /** {@code draw} in [0, 1) onto [min, max], rounded to 100 ms. */
  private static long scale(double draw, long min, long max) {
    long v = min + (long) (draw * (max - min + 1));
    return Math.min(max, Math.round(v / 100.0) * 100);
  }
}
