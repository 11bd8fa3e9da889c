package io.ha4j.testkit;

import io.ha4j.testkit.RabbitCluster.ClusterStatus;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import io.ha4j.testkit.internal.AmqpProbe;
import io.ha4j.testkit.internal.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, waits for and restores the processes of a RabbitMQ cluster: the cluster's private epmd
 * (so that no machine-wide one is used or started), each node (ready when its AMQP port answers),
 * the wait until every node sees the whole cluster, and the recovery after faults, which restarts
 * nodes a partition left out because {@code pause_minority} in 3.10 does not always heal it. Kept
 * apart from {@link RabbitCluster} so that the order and timing of these steps is read in one
 * place.
 */
final class RabbitLifecycle {

  /** How long a healed or resumed cluster may take to merge before nodes are restarted. */
  static final Duration MERGE_GRACE = Duration.ofSeconds(25);

  private RabbitLifecycle() {}

  /** Starts epmd and every node, then waits until the cluster is whole. */
  static void startAll(RabbitCluster cluster, Duration timeout) {
    startEpmd(cluster);
    cluster.nodes.forEach(n -> n.launch(List.of()));
    awaitHealthy(cluster, timeout);
  }

  /** Our own epmd on a private port, so that no machine-wide epmd is used or started. */
  private static void startEpmd(RabbitCluster cluster) {
    StringBuilder addrs = new StringBuilder("127.0.0.1");
    cluster.nodes.forEach(n -> addrs.append(',').append(n.address));
    try {
      Path log = cluster.stateDir.resolve("epmd.log");
      Procs.ProcId id =
          Procs.spawn(
              List.of(
                  "epmd",
                  "-port",
                  Integer.toString(cluster.epmdPort()),
                  "-address",
                  addrs.toString()),
              Map.of(),
              log);
      Files.writeString(epmdGroupFile(cluster), id.toString());
    } catch (IOException e) {
      throw new ClusterException("cannot start epmd for " + cluster + ": " + e.getMessage(), e);
    }
  }

  static boolean epmdAlive(RabbitCluster cluster) {
    try {
      Path f = epmdGroupFile(cluster);
      return Files.exists(f) && Procs.ProcId.parse(Files.readString(f)).alive();
    } catch (IOException e) {
      return false;
    }
  }

  private static Path epmdGroupFile(RabbitCluster cluster) {
    return cluster.stateDir.resolve("epmd.group.pid");
  }

  /** {@link RabbitNode#start()}: starts epmd again first if it is gone. */
  static void start(RabbitNode node) {
    if (node.isRunning()) {
      return;
    }
    if (!epmdAlive(node.rabbit)) {
      startEpmd(node.rabbit);
    }
    node.launch(List.of());
    node.awaitServerReady(RabbitCluster.DEFAULT_START_TIMEOUT);
  }

  /** Waits until {@code node} accepts AMQP connections; fails with its log tail if it dies. */
  static void awaitAmqp(RabbitNode node, Duration timeout) {
    // The AMQP listener opens last in the boot sequence; no rabbitmqctl polling (each call
    // costs ~0.5 CPU-s and slows the boot of the other nodes).
    node.await(
        "to accept AMQP connections",
        timeout,
        () ->
            AmqpProbe.answers(node.address, node.port(), 1000)
                ? Waits.Poll.done()
                : node.deadOrNotYet("AMQP port " + node.port() + " does not answer"));
  }

  /** {@link RabbitCluster#awaitHealthy(Duration)}. */
  static void awaitHealthy(RabbitCluster cluster, Duration timeout) {
    List<RabbitNode> nodes = cluster.nodes;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RabbitNode n : nodes) {
      n.awaitServerReady(LocalCluster.remaining(deadline));
    }
    try {
      Waits.until(
          cluster + " to report " + nodes.size() + " running nodes and no partition on every node",
          LocalCluster.remaining(deadline),
          Duration.ofMillis(500),
          () -> {
            for (RabbitNode n : nodes) {
              Optional<ClusterStatus> st = n.clusterStatus();
              if (st.isEmpty()) {
                return Waits.Poll.notYet("node " + n.index + " does not answer rabbitmqctl");
              }
              if (st.get().runningNodes().size() != nodes.size()
                  || !st.get().partitions().isEmpty()) {
                return Waits.Poll.notYet("node " + n.index + " reports " + st.get());
              }
            }
            return Waits.Poll.done();
          });
    } catch (Waits.TimeoutException e) {
      throw cluster.withLogTails(e);
    }
  }

  /** {@link RabbitCluster#restoreHealthy(Duration)}. */
  static void restoreHealthy(RabbitCluster cluster, Duration timeout) {
    List<RabbitNode> nodes = cluster.nodes;
    long deadline = System.nanoTime() + timeout.toNanos();
    List<RabbitNode> faulted = cluster.restoreBasics();
    for (RabbitNode n : nodes) {
      if (!n.isRunning()) {
        n.start();
      }
    }
    if (tryAwaitHealthy(cluster, MERGE_GRACE)) {
      return;
    }
    // A node paused or cut off longer than net_ticktime leaves a partition that
    // pause_minority heals only sometimes (3.10): restart the faulted nodes first, then any
    // other node that still does not see the whole cluster.
    for (RabbitNode n : faulted) {
      restart(n);
    }
    if (tryAwaitHealthy(cluster, MERGE_GRACE)) {
      return;
    }
    for (RabbitNode n : nodes) {
      if (!sees(n, nodes.size())) {
        restart(n);
      }
    }
    awaitHealthy(cluster, LocalCluster.remaining(deadline));
  }

  private static boolean tryAwaitHealthy(RabbitCluster cluster, Duration d) {
    try {
      awaitHealthy(cluster, d);
      return true;
    } catch (ClusterException e) {
      return false;
    }
  }

  private static boolean sees(RabbitNode n, int size) {
    Optional<ClusterStatus> st = n.clusterStatus();
    return st.isPresent()
        && st.get().runningNodes().size() == size
        && st.get().partitions().isEmpty();
  }

  private static void restart(RabbitNode n) {
    if (n.isRunning()) {
      n.kill();
    }
    n.start();
  }
}
