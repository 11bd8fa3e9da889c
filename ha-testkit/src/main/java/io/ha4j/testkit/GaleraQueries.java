package io.ha4j.testkit;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.GaleraCluster.WsrepStatus;
import io.ha4j.testkit.internal.Procs;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Asks Galera nodes for their state with the {@code mariadb} client as root over each node's unix
 * socket (reachable even while the node's address is cut off), and waits on the answers: one node
 * Synced, or every node Synced in the same Primary view. Kept apart from {@link GaleraCluster} so
 * that the client's command line and the parsing of its output live in one place.
 */
final class GaleraQueries {

  private static final String WSREP_STATUS =
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment',"
          + "'wsrep_cluster_size','wsrep_cluster_status','wsrep_ready','wsrep_connected',"
          + "'wsrep_cluster_conf_id','wsrep_evs_state')";

  private GaleraQueries() {}

  /** {@link GaleraNode#status()}. */
  static WsrepStatus status(GaleraNode node) {
    if (!node.isRunning() || node.isPaused()) {
      return WsrepStatus.UNREACHABLE;
    }
    Procs.Result r = client(node, 2, WSREP_STATUS, Duration.ofSeconds(5));
    if (!r.ok()) {
      return WsrepStatus.UNREACHABLE;
    }
    Map<String, String> v = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      String[] kv = line.split("\t", 2);
      if (kv.length == 2) {
        v.put(kv[0].toLowerCase(Locale.ROOT), kv[1].trim());
      }
    }
    int size;
    try {
      size = Integer.parseInt(v.getOrDefault("wsrep_cluster_size", "0"));
    } catch (NumberFormatException e) {
      size = 0;
    }
    long conf;
    try {
      // unsigned: a node outside any Primary view shows 18446744073709551615 (-1)
      conf = Long.parseUnsignedLong(v.getOrDefault("wsrep_cluster_conf_id", "-1"));
    } catch (NumberFormatException e) {
      conf = -1;
    }
    return new WsrepStatus(
        v.getOrDefault("wsrep_local_state_comment", "unknown"),
        size,
        v.getOrDefault("wsrep_cluster_status", "unknown"),
        "ON".equals(v.get("wsrep_ready")),
        "ON".equals(v.get("wsrep_connected")),
        conf,
        v.getOrDefault("wsrep_evs_state", "unknown"));
  }

  /** {@link GaleraNode#sql(String)}. */
  static List<String> sql(GaleraNode node, String statements) {
    Procs.Result r = client(node, 5, statements, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new ClusterException(node.describe() + ": SQL failed: " + r.describe());
    }
    return r.stdout().isBlank() ? List.of() : List.of(r.stdout().strip().split("\n"));
  }

  private static Procs.Result client(
      GaleraNode node, int connectTimeoutSeconds, String statements, Duration timeout) {
    return Procs.run(
        List.of(
            "mariadb",
            "--no-defaults",
            "-S",
            node.socket().toString(),
            "-uroot",
            "-N",
            "-B",
            "--connect-timeout=" + connectTimeoutSeconds,
            "-e",
            statements),
        timeout);
  }

  /** Waits until {@code node} is Synced and ready; fails with its log tail if it dies. */
  static void awaitSynced(GaleraNode node, Duration timeout) {
    node.await(
        "to be Synced",
        timeout,
        () -> {
          WsrepStatus st = node.status();
          return "Synced".equals(st.stateComment()) && st.ready()
              ? Waits.Poll.done()
              : node.deadOrNotYet(st.toString());
        });
  }

  /**
   * How long after a fault Galera may still change its view: a node silent for {@code
   * evs.suspect_timeout} is suspected, checked every {@code evs.inactive_check_period} (0.5 s),
   * even when it speaks again just before; the eviction then takes about a second more.
   */
  static final Duration SETTLE_MARGIN = Duration.ofSeconds(2);

  /**
   * {@link GaleraCluster#awaitHealthy(Duration)}: every node Synced in the same Primary view with
   * its group protocol at rest, and no eviction still to come from a recent fault. A node isolated
   * or paused for almost {@code evs.suspect_timeout} and then repaired is evicted all the same,
   * after the repair (seen: an isolation of 4.7 s, healed, then GATHER 0.25 s later and a view
   * without the node 1.2 s after the heal), so the wait lasts at least until {@link #SETTLE_MARGIN}
   * past the suspect timeout after the last fault.
   */
  static void awaitHealthy(GaleraCluster cluster, Duration timeout) {
    List<GaleraNode> nodes = cluster.nodes;
    int size = nodes.size();
    long settled = settledAt(cluster);
    try {
      Waits.until(
          cluster + " to have every node Synced in the same Primary view of size " + size,
          timeout,
          Duration.ofMillis(200),
          () -> {
            Set<Long> views = new HashSet<>();
            for (GaleraNode n : nodes) {
              WsrepStatus st = n.status();
              if (!st.healthyMemberOf(size)) {
                if (!n.isRunning()) {
                  n.deadOrNotYet("");
                }
                return Waits.Poll.notYet("node " + n.index + ": " + st);
              }
              views.add(st.confId());
            }
            // a node resumed after a pause still shows the view it was frozen in
            if (views.size() != 1) {
              return Waits.Poll.notYet("nodes in different views " + views);
            }
            long left = settled - System.nanoTime();
            return left <= 0
                ? Waits.Poll.done()
                : Waits.Poll.notYet(
                    "healthy, but a view change may still follow the last fault for "
                        + Duration.ofNanos(left).toMillis()
                        + " ms");
          });
    } catch (Waits.TimeoutException e) {
      throw cluster.withLogTails(e);
    }
  }

  /**
   * The {@link System#nanoTime()} after which no node's last kill, pause or isolation can still
   * change the view: {@code evs.suspect_timeout} plus {@link #SETTLE_MARGIN} after the latest.
   */
  static long settledAt(GaleraCluster cluster) {
    long wait = cluster.evsSuspectTimeout().plus(SETTLE_MARGIN).toNanos();
    long settled = System.nanoTime();
    for (GaleraNode n : cluster.nodes) {
      OptionalLong f = n.lastFault();
      if (f.isPresent() && f.getAsLong() + wait - settled > 0) {
        settled = f.getAsLong() + wait;
      }
    }
    return settled;
  }
}
