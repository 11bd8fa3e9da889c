package io.ha4j.testkit;

import io.ha4j.testkit.RabbitCluster.ClusterStatus;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import io.ha4j.testkit.internal.Json;
import io.ha4j.testkit.internal.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code rabbitmqctl} against one node of a cluster, with the cluster's cookie and private
 * epmd, and reads its JSON answers: {@code cluster_status} (running nodes and partitions) and the
 * leader of a quorum queue from {@code list_queues}. Kept apart from {@link RabbitCluster} so that
 * the command line of the CLI and the shape of its output are known in one place.
 */
final class RabbitCtl {

  static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
  static final Duration CTL_TIMEOUT = Duration.ofSeconds(30);

  private RabbitCtl() {}

  /** Runs {@code rabbitmqctl -n <target> args…} against the target's cluster. */
  static Procs.Result run(RabbitNode target, List<String> args) {
    RabbitCluster cluster = target.rabbit;
    if (!RabbitLifecycle.epmdAlive(cluster)) {
      // rabbitmqctl would start a machine-wide epmd of its own on our port.
      return new Procs.Result(1, "", "epmd of " + cluster + " is not running", false);
    }
    List<String> cmd = new ArrayList<>(List.of(CTL.toString(), "-n", target.nodeName()));
    cmd.addAll(args);
    return Procs.run(cmd, RabbitConfig.erlangEnvironment(cluster), CTL_TIMEOUT);
  }

  /** {@link RabbitNode#ctl(String...)}. */
  static String runOrThrow(RabbitNode target, String... args) {
    Procs.Result r = run(target, List.of(args));
    if (!r.ok()) {
      throw new ClusterException(
          "rabbitmqctl "
              + String.join(" ", args)
              + " on node "
              + target.index
              + ": "
              + r.describe());
    }
    return r.stdout();
  }

  /** {@link RabbitNode#clusterStatus()}. */
  static Optional<ClusterStatus> clusterStatus(RabbitNode node) {
    if (!node.isRunning() || node.isPaused()) {
      return Optional.empty();
    }
    Procs.Result r = run(node, List.of("cluster_status", "--formatter", "json"));
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      Map<?, ?> m = (Map<?, ?>) Json.parse(r.stdout());
      List<String> running = strings(m.get("running_nodes"));
      List<String> partitioned = new ArrayList<>();
      Object p = m.get("partitions");
      if (p instanceof Map<?, ?> pm) {
        pm.forEach(
            (k, v) -> {
              partitioned.add(String.valueOf(k));
              partitioned.addAll(strings(v));
            });
      } else {
        partitioned.addAll(strings(p));
      }
      return Optional.of(
          new ClusterStatus(
              running.stream().sorted().toList(),
              partitioned.stream().distinct().sorted().toList()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@link RabbitCluster#quorumLeader(String)}. */
  static Optional<RabbitNode> quorumLeader(RabbitCluster cluster, String queue) {
    for (RabbitNode n : cluster.nodes) {
      if (!n.isRunning() || n.isPaused() || n.isIsolated()) {
        continue;
      }
      Procs.Result r =
          run(
              n,
              List.of("list_queues", "name", "type", "leader", "--formatter", "json", "--quiet"));
      if (!r.ok()) {
        continue;
      }
      for (Object o : (List<?>) Json.parse(r.stdout())) {
        Map<?, ?> q = (Map<?, ?>) o;
        if (queue.equals(q.get("name"))) {
          Object leader = q.get("leader");
          return cluster.nodes.stream().filter(x -> x.nodeName().equals(leader)).findFirst();
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }
}
