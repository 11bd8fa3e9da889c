package io.ha4j.jdbc.internal;

/**
 * The health predicate of GALERA.md ("Node signals"), pure: what a probe says about a node given
 * the majority's cluster UUID.
 */
public final class Health {

  private Health() {}

  /**
   * The verdict on one answered probe.
   *
   * @param healthy fit to be the writer or a reader
   * @param administrative not healthy only because an operator took it out (desync, reject queries,
   *     read-only, donor): a writer in this state is left with a drain, not at once
   * @param detail why not healthy ("" when healthy)
   */
  public record Verdict(boolean healthy, boolean administrative, String detail) {}

  /** Judges {@code p} (which answered). */
  public static Verdict judge(Probe p, String majorityUuid, boolean availableWhenDonor) {
    if (!p.connected()) {
      return new Verdict(false, false, "wsrep_connected = OFF");
    }
    if (!p.primary()) {
      return new Verdict(false, false, "wsrep_cluster_status = " + p.clusterStatus());
    }
    if (!p.ready()) {
      return new Verdict(false, false, "wsrep_ready = OFF");
    }
    if (!majorityUuid.isEmpty() && !majorityUuid.equals(p.clusterUuid())) {
      return new Verdict(
          false, false, "wsrep_cluster_state_uuid differs from the majority's (split brain?)");
    }
    boolean donorServes =
        p.localState() == 2 && availableWhenDonor && !p.donorRejectsQueries() && !p.desync();
    if (p.localState() != 4 && !donorServes) {
      // 2 is also what wsrep_desync = ON shows: name the switch the operator turned
      return new Verdict(
          false,
          p.localState() == 2,
          p.desync()
              ? "wsrep_desync = ON"
              : "wsrep_local_state = " + p.localState() + " (" + p.stateComment() + ")");
    }
    if (p.desync()) {
      return new Verdict(false, true, "wsrep_desync = ON");
    }
    if (!"NONE".equalsIgnoreCase(p.rejectQueries())) {
      return new Verdict(false, true, "wsrep_reject_queries = " + p.rejectQueries());
    }
    if (p.readOnly()) {
      return new Verdict(false, true, "read_only = ON");
    }
    return new Verdict(true, false, "");
  }

  /**
   * Why {@code p} shows a stale membership view, or "" if it does not: another Primary node
   * reported a newer view ({@code wsrep_cluster_conf_id}) <em>before</em> {@code p} answered, so
   * {@code p} should have had it. A node resumed after a pause shows, Synced and Primary, the view
   * it was frozen in until it notices that the others evicted it. Answers taken in the other order
   * are not compared: a view change reaches every member within milliseconds, and the next check
   * settles it.
   */
  public static String staleView(Probe p, java.util.Collection<Probe> others) {
    if (!p.primary() || p.confId() < 0) {
      return "";
    }
    long newest = -1;
    for (Probe o : others) {
      if (o.primary() && o.atNanos() < p.atNanos() && o.confId() > newest) {
        newest = o.confId();
      }
    }
    return newest > p.confId()
        ? "stale view: wsrep_cluster_conf_id "
            + p.confId()
            + " while the cluster is at "
            + newest
            + " (resumed after a pause?)"
        : "";
  }

  /**
   * Why a node that stopped answering is out of the Primary component, or "" if nothing shows it:
   * another node, Primary, reported <em>after</em> the silent node's last answer a newer view
   * ({@code wsrep_cluster_conf_id}) with fewer members than that answer counted. The cluster
   * evicted someone after the node went silent; while it does not answer, it is taken to be the one
   * evicted. A node that merely paused while another one left is wrongly taken out this way, and
   * back after {@code rise_count} healthy checks: one extra writer switch, never two writers.
   *
   * @param lastAnswer the silent node's last answered probe
   * @param others the other nodes' last probes
   */
  public static String leftBehind(Probe lastAnswer, java.util.Collection<Probe> others) {
    if (lastAnswer == null
        || !lastAnswer.primary()
        || lastAnswer.confId() < 0
        || lastAnswer.clusterSize() <= 0) {
      return "";
    }
    for (Probe o : others) {
      if (o.primary()
          && o.atNanos() - lastAnswer.atNanos() > 0
          && o.confId() > lastAnswer.confId()
          && o.clusterSize() > 0
          && o.clusterSize() < lastAnswer.clusterSize()) {
        return "no answer, and the Primary component went on without it: view "
            + o.confId()
            + " of "
            + o.clusterSize()
            + " node(s) after its last answer in view "
            + lastAnswer.confId()
            + " of "
            + lastAnswer.clusterSize();
      }
    }
    return "";
  }
}
