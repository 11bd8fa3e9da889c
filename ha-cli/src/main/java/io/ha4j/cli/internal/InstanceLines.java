package io.ha4j.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code ha4j bench instances} and its application instances (child JVMs, {@link
 * BenchInstance}) say to each other, one line at a time, and the figures made of it: the writer
 * each instance moved to after a kill, rates per 10,000 transactions, the probe capacity of a node.
 * Pure functions on given values, so that tests need no process and no clock.
 *
 * <p>The child writes {@code READY <pid>}, {@code WRITER <epoch ms> <host:port or ->}, {@code
 * RESULT key=value …}, {@code NOTE <text>} and {@code BYE} on its stdout; the parent writes {@code
 * GO}, {@code SNAP} and {@code STOP} on its stdin.
 */
final class InstanceLines {

  private InstanceLines() {}

  /** A line from a child. */
  sealed interface Line permits Ready, WriterAt, Result, Note, Bye {}

  /** The child has opened its data source and waits for {@code GO}. */
  record Ready(long pid) implements Line {}

  /**
   * The writer the child's data source chose, from a wall-clock time on (all children share the
   * machine's clock).
   *
   * @param writer {@code host:port}, or null when it has none
   */
  record WriterAt(long epochMs, String writer) implements Line {}

  /** Counts since the previous {@code GO} or {@code SNAP}. */
  record Result(Map<String, Long> counts) implements Line {
    Result {
      counts = Map.copyOf(counts);
    }

    /** The count named {@code key}, 0 when absent. */
    long get(String key) {
      return counts.getOrDefault(key, 0L);
    }
  }

  /** Anything else the child says (the first error of each kind, a line from a library). */
  record Note(String text) implements Line {}

  /** The child has stopped its traffic and closed its data source. */
  record Bye() implements Line {}

  /** One result of several: every count summed key by key (the elapsed times too). */
  static Result merge(List<Result> rs) {
    Map<String, Long> m = new LinkedHashMap<>();
    rs.forEach(r -> r.counts().forEach((k, v) -> m.merge(k, v, Long::sum)));
    return new Result(m);
  }

  /**
   * When a writer switch happened, from when its event was emitted: a {@code WriterChanged} event
   * is emitted once the first write on the new writer succeeded (up to {@code pool_timeout} later),
   * and its durations both count from the same start, so the switch was {@code writesBlocked -
   * duration} before the emission.
   */
  static long switchedAtMillis(
      long emittedAtMillis, java.time.Duration duration, java.time.Duration writesBlocked) {
    return emittedAtMillis - Math.max(0, writesBlocked.minus(duration).toMillis());
  }

  /** {@code WRITER <epochMs> <writer or ->}. */
  static String writer(long epochMs, String writer) {
    return "WRITER " + epochMs + " " + (writer == null ? "-" : writer);
  }

  /** {@code RESULT k=v …} in the map's order. */
  static String result(Map<String, Long> counts) {
    StringBuilder b = new StringBuilder("RESULT");
    counts.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }

  /** The line, or a {@link Note} with it when it is not one of the protocol's. */
  static Line parse(String line) {
    String[] f = line.trim().split(" +");
    try {
      switch (f[0]) {
        case "READY":
          if (f.length == 2) {
            return new Ready(Long.parseLong(f[1]));
          }
          break;
        case "WRITER":
          if (f.length == 3) {
            return new WriterAt(Long.parseLong(f[1]), f[2].equals("-") ? null : f[2]);
          }
          break;
        case "RESULT":
          Map<String, Long> counts = new LinkedHashMap<>();
          for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq <= 0) {
              return new Note(line);
            }
            counts.put(f[i].substring(0, eq), Long.parseLong(f[i].substring(eq + 1)));
          }
          return new Result(counts);
        case "BYE":
          if (f.length == 1) {
            return new Bye();
          }
          break;
        case "NOTE":
          return new Note(line.trim().substring(4).trim());
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // not ours: kept as a note below
    }
    return new Note(line);
  }

  /**
   * How the instances moved after the writer {@code victim} was killed at {@code killedAtMs}: for
   * each instance the time from the kill to the first writer it named that is neither the victim
   * nor none, and from the kill to the first time after that it named the victim again (failback,
   * once the node was restored).
   *
   * @param timelines each instance's writer reports, in the order it made them
   */
  static Moves moves(List<List<WriterAt>> timelines, long killedAtMs, String victim) {
    Objects.requireNonNull(victim, "victim");
    List<Long> moved = new ArrayList<>();
    List<Long> back = new ArrayList<>();
    Set<String> to = new LinkedHashSet<>();
    for (List<WriterAt> t : timelines) {
      Long m = null;
      Long b = null;
      for (WriterAt w : t) {
        if (w.epochMs() < killedAtMs || w.writer() == null) {
          continue;
        }
        if (m == null && !w.writer().equals(victim)) {
          m = w.epochMs() - killedAtMs;
          to.add(w.writer());
        } else if (m != null && w.writer().equals(victim)) {
          b = w.epochMs() - killedAtMs;
          break;
        }
      }
      moved.add(m);
      back.add(b);
    }
    return new Moves(moved, back, List.copyOf(to));
  }

  /**
   * The instances' moves after one kill, in milliseconds from it, one entry per instance (null for
   * one that did not move or did not come back).
   *
   * @param movedMs to the first new writer it named
   * @param backMs to the first time it named the killed node again after that
   * @param newWriters the writers the instances moved to (one, when they agree)
   */
  record Moves(List<Long> movedMs, List<Long> backMs, List<String> newWriters) {
    Moves {
      movedMs = java.util.Collections.unmodifiableList(new ArrayList<>(movedMs));
      backMs = java.util.Collections.unmodifiableList(new ArrayList<>(backMs));
      newWriters = List.copyOf(newWriters);
    }

    /** Instances that named a new writer. */
    long moved() {
      return movedMs.stream().filter(Objects::nonNull).count();
    }

    /** From the first instance that moved to the last one that moved; null when none did. */
    Long disagreementMs() {
      return spread(movedMs);
    }

    /** The same for the move back to the restored node; null when none came back. */
    Long failbackDisagreementMs() {
      return spread(backMs);
    }

    /** The first move after the kill; null when none moved. */
    Long firstMoveMs() {
      return movedMs.stream().filter(Objects::nonNull).min(Long::compare).orElse(null);
    }

    /** The last move after the kill; null when none moved. */
    Long lastMoveMs() {
      return movedMs.stream().filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    private static Long spread(List<Long> xs) {
      List<Long> present = xs.stream().filter(Objects::nonNull).toList();
      if (present.isEmpty()) {
        return null;
      }
      return present.stream().max(Long::compare).get() - present.stream().min(Long::compare).get();
    }
  }

  /** {@code count} per 10,000 transactions, to two decimals; null without a transaction. */
  static Double per10k(long count, long transactions) {
    if (transactions <= 0) {
      return null;
    }
    return Math.round(count * 10_000.0 / transactions * 100) / 100.0;
  }

  /** The values' nearest-rank percentile, rounded; null when there is none. */
  static Long percentile(List<Long> xs, int p) {
    List<Double> present = xs.stream().filter(Objects::nonNull).map(Long::doubleValue).toList();
    return present.isEmpty() ? null : Math.round(BenchCommand.percentile(present, p));
  }

  /**
   * utime + stime, in clock ticks, from the text of {@code /proc/<pid>/stat} (fields 14 and 15; the
   * command name in parentheses may hold spaces).
   *
   * @throws IllegalArgumentException when the text is not such a line
   */
  static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] f = stat.substring(close + 1).trim().split(" +");
    if (f.length < 13) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    // f[0] is field 3 (state): utime is field 14, stime field 15
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * The server CPU time of one probe in microseconds: the ticks used while probing less what the
   * server used when idle over as long, divided by the probes done (0 when the load did not exceed
   * idle).
   */
  static double cpuMicrosPerProbe(
      long ticks, double idleTicksPerSecond, double seconds, long ticksPerSecond, long probes) {
    if (probes <= 0 || ticksPerSecond <= 0) {
      throw new IllegalArgumentException(
          "probes and ticks per second must be positive, were " + probes + ", " + ticksPerSecond);
    }
    double net = Math.max(0, ticks - idleTicksPerSecond * seconds);
    return net * 1e6 / ticksPerSecond / probes;
  }

  /**
   * How many application instances a node carries before their probes cost more than {@code budget}
   * of one core: every instance probes every node once per {@code intervalMs}, so one node spends
   * {@code instances × cpuMicrosPerProbe × 1000 / intervalMs} µs of CPU per second, and the budget
   * is {@code budget × 1,000,000} µs per second. The cluster's size does not enter: each node is
   * probed by every instance.
   */
  static long maxInstances(double cpuMicrosPerProbe, long intervalMs, double budget) {
    if (cpuMicrosPerProbe <= 0 || intervalMs <= 0 || budget <= 0) {
      throw new IllegalArgumentException(
          "cost, interval and budget must be positive, were "
              + cpuMicrosPerProbe
              + ", "
              + intervalMs
              + ", "
              + budget);
    }
    double probesPerInstancePerSecond = 1000.0 / intervalMs;
    return (long) Math.floor(budget * 1e6 / (cpuMicrosPerProbe * probesPerInstancePerSecond));
  }
}
