package io.ha4j.jdbc.internal;

/**
 * One status query's answer from a node, or why there was none.
 *
 * @param answered whether the node answered the query
 * @param hardFailure when it did not: refused, unknown host or 1047 (down at once) rather than a
 *     time-out (down after {@code fall_count} misses)
 * @param error the failure, "" when answered
 * @param localState {@code wsrep_local_state} (4 Synced, 2 Donor/Desynced …)
 * @param stateComment {@code wsrep_local_state_comment}
 * @param ready {@code wsrep_ready}
 * @param connected {@code wsrep_connected}
 * @param clusterStatus {@code wsrep_cluster_status}
 * @param clusterName {@code @@wsrep_cluster_name}
 * @param clusterUuid {@code wsrep_cluster_state_uuid}
 * @param clusterSize {@code wsrep_cluster_size}
 * @param desync {@code @@wsrep_desync}
 * @param rejectQueries {@code @@wsrep_reject_queries}
 * @param readOnly {@code @@read_only}
 * @param donorRejectsQueries {@code @@wsrep_sst_donor_rejects_queries}
 * @param confId {@code wsrep_cluster_conf_id}, the membership view's number (-1 if unknown)
 * @param atNanos when the answer came ({@link System#nanoTime()})
 * @param tlsFailure when it did not: the TLS handshake or the server's certificate failed, which
 *     only a change of configuration (or of the server's certificate) can fix
 */
public record Probe(
    boolean answered,
    boolean hardFailure,
    String error,
    int localState,
    String stateComment,
    boolean ready,
    boolean connected,
    String clusterStatus,
    String clusterName,
    String clusterUuid,
    int clusterSize,
    boolean desync,
    String rejectQueries,
    boolean readOnly,
    boolean donorRejectsQueries,
    long confId,
    long atNanos,
    boolean tlsFailure) {

  /** An answer, or a failure that is not about TLS. */
  public Probe(
      boolean answered,
      boolean hardFailure,
      String error,
      int localState,
      String stateComment,
      boolean ready,
      boolean connected,
      String clusterStatus,
      String clusterName,
      String clusterUuid,
      int clusterSize,
      boolean desync,
      String rejectQueries,
      boolean readOnly,
      boolean donorRejectsQueries,
      long confId,
      long atNanos) {
    this(
        answered,
        hardFailure,
        error,
        localState,
        stateComment,
        ready,
        connected,
        clusterStatus,
        clusterName,
        clusterUuid,
        clusterSize,
        desync,
        rejectQueries,
        readOnly,
        donorRejectsQueries,
        confId,
        atNanos,
        false);
  }

  /** No answer because TLS failed: down at once, and a configuration problem. */
  public static Probe tlsFailed(String error) {
    return new Probe(
        false,
        true,
        error,
        0,
        "",
        false,
        false,
        "",
        "",
        "",
        0,
        false,
        "",
        false,
        false,
        -1,
        System.nanoTime(),
        true);
  }

  /** No answer. */
  public static Probe failed(boolean hard, String error) {
    return new Probe(
        false,
        hard,
        error,
        0,
        "",
        false,
        false,
        "",
        "",
        "",
        0,
        false,
        "",
        false,
        false,
        -1,
        System.nanoTime());
  }

  /** Whether it answered as a Primary component member. */
  public boolean primary() {
    return answered && "Primary".equals(clusterStatus);
  }
}
