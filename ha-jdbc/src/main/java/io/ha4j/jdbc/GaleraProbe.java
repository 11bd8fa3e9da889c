package io.ha4j.jdbc;

import io.ha4j.config.FailbackPolicy;
import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.internal.Health;
import io.ha4j.jdbc.internal.Probe;
import io.ha4j.jdbc.internal.StatusQuery;
import io.ha4j.jdbc.internal.WriterChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probes Galera nodes once, the way the monitor of a {@link GaleraDataSource} with the same
 * settings does: the same status query on a fresh connection with the same credentials, {@code
 * connection_parameters} (TLS …) and {@code check_timeout}, judged by the same health rules. For
 * tools such as {@code ha4j check}; a data source does not need it.
 *
 * <p>Thread-safe; every call opens and closes its own connections. Secrets never appear in a {@link
 * Result}.
 *
 * @since 0.1
 */
public final class GaleraProbe {

  private GaleraProbe() {}

  /**
   * What one node answered.
   *
   * @param node {@code host:port}
   * @param priority the configured priority (lower wins; negative = never the writer)
   * @param reachable whether the node answered the status query
   * @param error why it did not (vendor code and message, no secrets), "" when it did
   * @param clusterName {@code wsrep_cluster_name}, "" if unknown
   * @param clusterUuid {@code wsrep_cluster_state_uuid}, "" if unknown
   * @param clusterSize {@code wsrep_cluster_size}, 0 if unknown
   * @param clusterStatus {@code wsrep_cluster_status} (Primary, non-Primary …), "" if unknown
   * @param localState {@code wsrep_local_state} (4 Synced, 2 Donor/Desynced …), 0 if unknown
   * @param stateComment {@code wsrep_local_state_comment}, "" if unknown
   * @param ready {@code wsrep_ready}
   * @param connected {@code wsrep_connected}
   * @param desync {@code @@wsrep_desync}
   * @param rejectQueries {@code @@wsrep_reject_queries} (NONE, ALL, ALL_KILL), "" if unknown
   * @param readOnly {@code @@read_only}
   * @param donorRejectsQueries {@code @@wsrep_sst_donor_rejects_queries}
   * @param confId {@code wsrep_cluster_conf_id}, the membership view's number (-1 if unknown)
   * @param healthy whether a data source would lend from it (fit to be the writer or a reader)
   * @param detail why it is not healthy, "" when it is
   */
  public record Result(
      String node,
      int priority,
      boolean reachable,
      String error,
      String clusterName,
      String clusterUuid,
      int clusterSize,
      String clusterStatus,
      int localState,
      String stateComment,
      boolean ready,
      boolean connected,
      boolean desync,
      String rejectQueries,
      boolean readOnly,
      boolean donorRejectsQueries,
      long confId,
      boolean healthy,
      String detail) {

    /** Whether it answered as a member of the Primary component. */
    public boolean primary() {
      return reachable && "Primary".equals(clusterStatus);
    }

    /** One line, e.g. {@code 127.0.0.21:3306 Synced/Primary/3 healthy}. */
    @Override
    public String toString() {
      if (!reachable) {
        return node + " unreachable: " + error;
      }
      return node
          + " "
          + stateComment
          + "/"
          + clusterStatus
          + "/"
          + clusterSize
          + (healthy ? " healthy" : " not healthy: " + detail);
    }
  }

  /**
   * Probes one node. {@code healthy} is judged on this answer alone: with one node, no split brain
   * or stale view can be seen (use {@link #probeAll} for that).
   *
   * @param settings credentials, connection parameters and {@code check_timeout} to use
   * @param node the node (need not be one of {@code settings.nodes()})
   * @return the answer, or why there was none; never throws for an unreachable node
   * @throws NullPointerException if an argument is null
   */
  public static Result probe(GaleraSettings settings, GaleraNode node) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(node, "node");
    Probe p = StatusQuery.probeOnce(settings, node);
    Health.Verdict v =
        p.answered()
            ? Health.judge(p, p.clusterUuid(), settings.availableWhenDonor())
            : new Health.Verdict(false, false, p.error());
    return result(node, p, v);
  }

  /**
   * Probes every node of {@code settings} in parallel and judges each as a data source would:
   * against the cluster UUID most Primary nodes report, and against the newest membership view
   * reported by another node.
   *
   * @return one result per configured node, in configured order
   * @throws NullPointerException if {@code settings} is null
   */
  public static List<Result> probeAll(GaleraSettings settings) {
    Objects.requireNonNull(settings, "settings");
    List<GaleraNode> nodes = settings.nodes();
    List<Probe> probes = new ArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            nodes.size(),
            r -> {
              Thread t = new Thread(r, "ha4j-galera-probe");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Probe>> fs = new ArrayList<>();
      for (GaleraNode n : nodes) {
        fs.add(pool.submit(() -> StatusQuery.probeOnce(settings, n)));
      }
      for (Future<Probe> f : fs) {
        probes.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing Galera nodes", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("probing Galera nodes failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    Map<String, Integer> votes = new HashMap<>();
    for (Probe p : probes) {
      if (p.primary() && !p.clusterUuid().isEmpty()) {
        votes.merge(p.clusterUuid(), 1, Integer::sum);
      }
    }
    String majority =
        votes.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse("");
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Probe p = probes.get(i);
      Health.Verdict v;
      if (!p.answered()) {
        v = new Health.Verdict(false, false, p.error());
      } else {
        v = Health.judge(p, majority, settings.availableWhenDonor());
        List<Probe> others = new ArrayList<>(probes);
        others.remove(i);
        String stale = v.healthy() ? Health.staleView(p, others) : "";
        if (!stale.isEmpty()) {
          v = new Health.Verdict(false, false, stale);
        }
      }
      out.add(result(nodes.get(i), p, v));
    }
    return out;
  }

  /**
   * The writer a data source started now would choose from these results: the healthy node with the
   * best non-negative priority, ties in list order.
   *
   * @param results in configured order, e.g. from {@link #probeAll}
   * @return its {@code host:port}, or empty when no node is a healthy writer
   */
  public static Optional<String> writerOf(List<Result> results) {
    List<WriterChoice.View> views = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      NodeState s =
          r.healthy()
              ? NodeState.HEALTHY
              : r.reachable() ? NodeState.UNHEALTHY : NodeState.UNREACHABLE;
      views.add(new WriterChoice.View(i, r.priority(), s, false, 0, r.detail()));
    }
    int w = WriterChoice.choose(views, -1, FailbackPolicy.IMMEDIATE, 0).target();
    return w < 0 ? Optional.empty() : Optional.of(results.get(w).node());
  }

  private static Result result(GaleraNode node, Probe p, Health.Verdict v) {
    return new Result(
        node.hostAndPort(),
        node.priority(),
        p.answered(),
        p.answered() ? "" : p.error(),
        p.clusterName(),
        p.clusterUuid(),
        p.clusterSize(),
        p.clusterStatus(),
        p.localState(),
        p.stateComment(),
        p.ready(),
        p.connected(),
        p.desync(),
        p.rejectQueries(),
        p.readOnly(),
        p.donorRejectsQueries(),
        p.confId(),
        v.healthy(),
        v.healthy() ? "" : v.detail());
  }
}
