package io.ha4j.jdbc.internal;

import io.ha4j.config.FailbackPolicy;
import io.ha4j.jdbc.NodeState;
import java.util.List;

/**
 * Chooses the writer, pure: the healthy node with the best (lowest, non-negative) priority, ties by
 * configured order; so every instance with the same configuration and the same view picks the same
 * node. A healthy writer is kept unless the failback policy lets a better node take over.
 */
public final class WriterChoice {

  private WriterChoice() {}

  /**
   * A node as the chooser sees it.
   *
   * @param index configured position
   * @param priority lower wins; negative = never the writer
   * @param state monitor verdict
   * @param administrative when unhealthy: only because an operator took it out (drain)
   * @param healthySinceNanos when it last became healthy
   * @param detail why it is not healthy
   */
  public record View(
      int index,
      int priority,
      NodeState state,
      boolean administrative,
      long healthySinceNanos,
      String detail) {}

  /**
   * What to do.
   *
   * @param target the writer to use (index), or -1 for none
   * @param drain whether to drain the current writer first (planned switch)
   * @param reason why the writer changes ("" if it does not)
   */
  public record Decision(int target, boolean drain, String reason) {}

  /** The decision for {@code nodes} (in configured order) and the current writer (-1: none). */
  public static Decision choose(
      List<View> nodes, int current, FailbackPolicy failback, long nowNanos) {
    View best = null;
    for (View v : nodes) {
      if (v.state() == NodeState.HEALTHY
          && v.priority() >= 0
          && (best == null || v.priority() < best.priority())) {
        best = v;
      }
    }
    int bestIndex = best == null ? -1 : best.index();
    if (current < 0) {
      return new Decision(bestIndex, false, bestIndex < 0 ? "" : "first healthy writer");
    }
    View cur = nodes.get(current);
    if (cur.state() != NodeState.HEALTHY) {
      String why = cur.state() + (cur.detail().isEmpty() ? "" : ": " + cur.detail());
      return new Decision(
          bestIndex, cur.state() == NodeState.UNHEALTHY && cur.administrative(), why);
    }
    if (bestIndex == current || best == null) {
      return new Decision(current, false, "");
    }
    // best ranks before the current writer (lower priority, or equal and configured earlier)
    boolean back =
        switch (failback.mode()) {
          case IMMEDIATE -> true;
          case AFTER_STABLE ->
              nowNanos - best.healthySinceNanos() >= failback.stableTime().toNanos();
          case NEVER -> false;
        };
    return back
        ? new Decision(bestIndex, true, "failback to the better node (" + failback.mode() + ")")
        : new Decision(current, false, "");
  }
}
