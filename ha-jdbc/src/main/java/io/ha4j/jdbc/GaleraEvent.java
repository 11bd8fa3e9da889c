package io.ha4j.jdbc;

import java.time.Duration;

/**
 * What a {@link GaleraDataSource} reports to its {@link GaleraListener}s. Each {@code toString()}
 * reads as a sentence.
 *
 * @since 0.1
 */
public sealed interface GaleraEvent {

  /**
   * The writer changed.
   *
   * @param from the old writer ({@code host:port}) or null at start
   * @param to the new writer or null when no node is healthy
   * @param reason why (e.g. "127.0.0.21:3306 unreachable: connection refused", "failback")
   * @param duration how long no writer was lent (drain included)
   */
  record WriterChanged(String from, String to, String reason, Duration duration)
      implements GaleraEvent {
    @Override
    public String toString() {
      return "writer changed from "
          + (from == null ? "none" : from)
          + " to "
          + (to == null ? "none" : to)
          + " in "
          + duration.toMillis()
          + " ms: "
          + reason;
    }
  }

  /**
   * A node's state changed.
   *
   * @param node {@code host:port}
   * @param from previous state
   * @param to new state
   * @param detail the reason, e.g. "wsrep_desync = ON"
   */
  record NodeStateChanged(String node, NodeState from, NodeState to, String detail)
      implements GaleraEvent {
    @Override
    public String toString() {
      return "node " + node + " " + from + " -> " + to + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * A unit of work is re-run.
   *
   * @param kind why
   * @param attempt the attempt about to start (2 for the first retry)
   * @param sleep the pause before it
   * @param error the failure, without parameters or data
   */
  record Retry(GaleraErrors.Kind kind, int attempt, Duration sleep, String error)
      implements GaleraEvent {
    @Override
    public String toString() {
      return "unit of work re-run (attempt "
          + attempt
          + ") after "
          + kind
          + " in "
          + sleep.toMillis()
          + " ms: "
          + error;
    }
  }
}
