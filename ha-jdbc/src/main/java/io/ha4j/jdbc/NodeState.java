package io.ha4j.jdbc;

/**
 * What the monitor last concluded about a Galera node.
 *
 * @since 0.1
 */
public enum NodeState {
  /** Not checked yet. */
  UNKNOWN,
  /** Synced, ready, connected, Primary, in the majority, not desynced, accepting queries. */
  HEALTHY,
  /** Answers, but fails the health predicate (desynced, rejecting queries, non-Primary …). */
  UNHEALTHY,
  /** Does not answer: refused, timed out {@code fall_count} times, or 1047 on the check. */
  UNREACHABLE
}
