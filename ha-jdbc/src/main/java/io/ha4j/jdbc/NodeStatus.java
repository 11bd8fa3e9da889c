package io.ha4j.jdbc;

/**
 * A snapshot of one node as the monitor sees it.
 *
 * @param node {@code host:port}
 * @param priority configured priority (lower wins; negative = never the writer)
 * @param state the monitor's verdict
 * @param wsrepState {@code wsrep_local_state_comment} (Synced, Donor/Desynced …), or "" if unknown
 * @param clusterStatus {@code wsrep_cluster_status} (Primary, non-Primary …), or ""
 * @param clusterSize {@code wsrep_cluster_size}, 0 if unknown
 * @param detail why the node is not healthy (or "" when it is)
 * @param writer whether it is the current writer
 * @param checks how many checks the monitor has made of it
 * @param clusterName {@code wsrep_cluster_name} as the node last reported it, or "" if it never
 *     answered
 * @since 0.1
 */
public record NodeStatus(
    String node,
    int priority,
    NodeState state,
    String wsrepState,
    String clusterStatus,
    int clusterSize,
    String detail,
    boolean writer,
    long checks,
    String clusterName) {

  /** Normalises a null cluster name to "". */
  public NodeStatus {
    clusterName = clusterName == null ? "" : clusterName;
  }

  /**
   * A snapshot without the cluster name.
   *
   * @deprecated give the cluster name
   */
  @Deprecated(since = "0.2")
  public NodeStatus(
      String node,
      int priority,
      NodeState state,
      String wsrepState,
      String clusterStatus,
      int clusterSize,
      String detail,
      boolean writer,
      long checks) {
    this(node, priority, state, wsrepState, clusterStatus, clusterSize, detail, writer, checks, "");
  }

  @Override
  public String toString() {
    return node
        + " "
        + state
        + (wsrepState.isEmpty() ? "" : " " + wsrepState + "/" + clusterStatus + "/" + clusterSize)
        + (detail.isEmpty() ? "" : " (" + detail + ")")
        + (writer ? " [writer]" : "");
  }
}
