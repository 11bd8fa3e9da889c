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
}
