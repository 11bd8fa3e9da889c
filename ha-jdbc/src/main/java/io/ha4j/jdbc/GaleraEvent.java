package io.ha4j.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link GaleraDataSource} reports to its {@link GaleraListener}s. Each {@code toString()}
 * reads as a sentence that starts with the data source's name. Every event carries {@link
 * #dataSource()}, the {@linkplain GaleraDataSource.Builder#name(String) name} of the data source it
 * happened to; the constructors without it are kept for compatibility and leave it empty.
 *
 * @since 0.1
 */
public sealed interface GaleraEvent {

  /**
   * The name of the data source the event happened to; empty only for events built with a
   * constructor that takes no name.
   *
   * @since 0.1.0
   */
  String dataSource();

  /** {@code "name: "}, or nothing for an unnamed event. */
  private static String prefix(String dataSource) {
    return dataSource.isEmpty() ? "" : dataSource + ": ";
  }

  /** Null is taken as "no name". */
  private static String name(String dataSource) {
    return dataSource == null ? "" : dataSource;
  }

  /**
   * The writer changed. Two durations tell how long it took, both counted from the same start: the
   * first failure seen on the old writer (an error a lent connection or a check of the node saw),
   * or the start of a drain for a planned switch, or the moment no node was a healthy writer when
   * the data source had none.
   *
   * <ul>
   *   <li>{@code duration}, the switch time: from that start to the moment the new writer was
   *       chosen (nothing is lent in between);
   *   <li>{@code writesBlocked}: from that start to the first write that succeeded on a connection
   *       lent from the new writer (a {@code commit()}, or an update or batch in auto-commit mode).
   *       After a writer dies it includes the seconds the surviving Galera nodes hold commits back
   *       until they evict the dead one ({@code evs.suspect_timeout}).
   * </ul>
   *
   * <p>The event is emitted, and its line logged, when {@code writesBlocked} is known: at that
   * first write. When nothing is borrowed from the new writer within one {@code check_interval}
   * after the switch and no unit of work waits to run again, nobody was waiting to write: it is
   * emitted then, with {@code writesBlocked} equal to {@code duration}. When connections are
   * borrowed but none writes within {@code pool_timeout}, it is emitted then, with {@code
   * writesBlocked} the time until then (a lower bound). A switch to no writer ({@code to} null) is
   * emitted at once, with both durations equal.
   *
   * @param dataSource the data source's name
   * @param from the old writer ({@code host:port}) or null at start
   * @param to the new writer or null when no node is healthy
   * @param reason why (e.g. "127.0.0.21:3306 unreachable: connection refused", "failback")
   * @param duration the switch time (see above)
   * @param writesBlocked how long writes were blocked (see above); at least {@code duration}
   */
  record WriterChanged(
      String dataSource,
      String from,
      String to,
      String reason,
      Duration duration,
      Duration writesBlocked)
      implements GaleraEvent {

    /** Checks the durations and normalises a null data source name to "". */
    public WriterChanged {
      dataSource = name(dataSource);
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(writesBlocked, "writesBlocked");
    }

    /**
     * An event of an unnamed data source whose writes were blocked only during the switch.
     *
     * @deprecated name the data source and give the blocked time
     */
    @Deprecated(since = "0.2")
    public WriterChanged(String from, String to, String reason, Duration duration) {
      this("", from, to, reason, duration, duration);
    }

    @Override
    public String toString() {
      return prefix(dataSource)
          + "writer "
          + (from == null ? "none" : from)
          + " -> "
          + (to == null ? "none" : to)
          + " in "
          + duration.toMillis()
          + " ms (writes blocked "
          + seconds(writesBlocked)
          + "): "
          + reason;
    }

    private static String seconds(Duration d) {
      long ms = d.toMillis();
      return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
  }

  /**
   * A node's state changed.
   *
   * @param dataSource the data source's name
   * @param node {@code host:port}
   * @param from previous state
   * @param to new state
   * @param detail the reason, e.g. "wsrep_desync = ON"
   */
  record NodeStateChanged(
      String dataSource, String node, NodeState from, NodeState to, String detail)
      implements GaleraEvent {

    /** Normalises a null data source name to "". */
    public NodeStateChanged {
      dataSource = name(dataSource);
    }

    /** An event of an unnamed data source. */
    public NodeStateChanged(String node, NodeState from, NodeState to, String detail) {
      this("", node, from, to, detail);
    }

    @Override
    public String toString() {
      return prefix(dataSource)
          + "node "
          + node
          + " "
          + from
          + " -> "
          + to
          + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * A unit of work is re-run.
   *
   * @param dataSource the data source's name
   * @param kind why
   * @param attempt the attempt about to start (2 for the first retry)
   * @param sleep the pause before it
   * @param error the failure, without parameters or data
   */
  record Retry(String dataSource, GaleraErrors.Kind kind, int attempt, Duration sleep, String error)
      implements GaleraEvent {

    /** Normalises a null data source name to "". */
    public Retry {
      dataSource = name(dataSource);
    }

    /** An event of an unnamed data source. */
    public Retry(GaleraErrors.Kind kind, int attempt, Duration sleep, String error) {
      this("", kind, attempt, sleep, error);
    }

    @Override
    public String toString() {
      return prefix(dataSource)
          + "unit of work re-run (attempt "
          + attempt
          + ") after "
          + kind
          + " in "
          + sleep.toMillis()
          + " ms: "
          + error;
    }
  }

  /**
   * The connection was lost after COMMIT was sent, and the outcome of that COMMIT was resolved with
   * the unit of work's commit marker on the current writer: either it had committed (the caller
   * gets the unit of work's result) or it had not and now never will (the unit of work is run
   * again).
   *
   * @param dataSource the data source's name
   * @param committed whether the lost COMMIT had committed
   * @param lostOn the node ({@code host:port}) the connection to which was lost during COMMIT
   * @param resolvedOn the node the outcome was read on
   * @param duration from the loss to the answer
   * @since 0.3
   */
  record CommitResolved(
      String dataSource, boolean committed, String lostOn, String resolvedOn, Duration duration)
      implements GaleraEvent {

    /** Checks the duration and normalises a null data source name to "". */
    public CommitResolved {
      dataSource = name(dataSource);
      Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String toString() {
      return prefix(dataSource)
          + "COMMIT lost on "
          + lostOn
          + (committed ? " had committed" : " had not committed (unit of work re-run)")
          + ", resolved on "
          + resolvedOn
          + " in "
          + duration.toMillis()
          + " ms";
    }
  }
}
