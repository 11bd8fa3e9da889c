package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusters.class)
class RabbitClusterIT {

  private static final Duration FAULT_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void everyNodeReportsTheWholeClusterAndSpeaksAmqpOnItsOwnAddress(RabbitCluster rabbit)
      throws Exception {
    List<String> all = rabbit.nodes().stream().map(RabbitNode::nodeName).sorted().toList();

    for (RabbitNode n : rabbit.nodes()) {
      assertThat(n.runningNodes()).isEqualTo(all);
      assertThat(n.partitions()).isEmpty();
      assertThat(n.address()).matches("127\\.0\\.\\d+\\.1" + n.index());
      assertThat(n.port()).isNotIn(5672, 3306);
      try (Connection c = connect(n)) {
        assertThat(c.getServerProperties().get("version").toString()).startsWith("3.");
      }
    }
  }

  @Test
  void killedNodeLeavesTheOthersWithOneRunningNodeLess(RabbitCluster rabbit) {
    RabbitNode victim = rabbit.node(2);
    RabbitNode observer = rabbit.node(1);
    int n = rabbit.nodes().size();

    victim.kill();

    assertThat(victim.isRunning()).isFalse();
    assertThat(refuses(victim)).isTrue();
    awaitRunningCount(observer, n - 1);
    assertThat(observer.runningNodes()).doesNotContain(victim.nodeName());
  }

  @Test
  void killedQuorumLeaderIsReplacedByAnotherNode(RabbitCluster rabbit) throws Exception {
    String queue = "testkit-qq-" + System.nanoTime();
    try (Connection c = connect(rabbit.node(1));
        Channel ch = c.createChannel()) {
      ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
    }
    RabbitNode leader = awaitLeader(rabbit, queue, Optional.empty());

    leader.kill();

    RabbitNode next = awaitLeader(rabbit, queue, Optional.of(leader));
    assertThat(next.index()).isNotEqualTo(leader.index());
    assertThat(next.isRunning()).isTrue();
  }

  @Test
  void pausedNodeIsDroppedByTheOthersAndTheClusterIsWholeAgainAfterResume(RabbitCluster rabbit) {
    RabbitNode paused = rabbit.node(3);
    int n = rabbit.nodes().size();

    paused.pause();

    assertThat(paused.isPaused()).isTrue();
    awaitRunningCount(rabbit.node(1), n - 1);

    paused.resume();
    rabbit.restoreHealthy(LocalClusters.RESTORE_TIMEOUT);

    assertThat(paused.isPaused()).isFalse();
    for (RabbitNode node : rabbit.nodes()) {
      assertThat(node.runningNodes()).hasSize(n);
      assertThat(node.partitions()).isEmpty();
    }
  }

  @Test
  void isolatedNodeIsCutOffUntilHealed(RabbitCluster rabbit) {
    RabbitNode isolated = rabbit.node(3);
    int n = rabbit.nodes().size();

    isolated.isolate();

    assertThat(isolated.isIsolated()).isTrue();
    awaitRunningCount(rabbit.node(1), n - 1);
    assertThat(io.ha4j.testkit.internal.AmqpProbe.answers(isolated.address(), isolated.port(), 500))
        .isFalse();

    isolated.heal();
    rabbit.awaitHealthy(LocalClusters.RESTORE_TIMEOUT);

    assertThat(isolated.isIsolated()).isFalse();
    assertThat(rabbit.node(1).runningNodes()).hasSize(n);
  }

  private static Connection connect(RabbitNode n) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(n.address());
    f.setPort(n.port());
    f.setConnectionTimeout(5000);
    f.setAutomaticRecoveryEnabled(false);
    return f.newConnection("testkit-it");
  }

  private static boolean refuses(ClusterNode n) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(n.address(), n.port()), 2000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void awaitRunningCount(RabbitNode observer, int count) {
    Waits.until(
        "node " + observer.index() + " to report " + count + " running nodes",
        FAULT_TIMEOUT,
        Duration.ofMillis(500),
        () -> {
          List<String> running = observer.runningNodes();
          return running.size() == count ? Waits.Poll.done() : Waits.Poll.notYet("sees " + running);
        });
  }

  private static RabbitNode awaitLeader(
      RabbitCluster rabbit, String queue, Optional<RabbitNode> notThis) {
    RabbitNode[] found = new RabbitNode[1];
    Waits.until(
        "a leader of "
            + queue
            + (notThis.isPresent() ? " other than node " + notThis.get().index() : ""),
        FAULT_TIMEOUT,
        Duration.ofMillis(300),
        () -> {
          Optional<RabbitNode> l = rabbit.quorumLeader(queue);
          if (l.isPresent() && (notThis.isEmpty() || l.get() != notThis.get())) {
            found[0] = l.get();
            return Waits.Poll.done();
          }
          return Waits.Poll.notYet("leader is " + l.map(RabbitNode::nodeName).orElse("unknown"));
        });
    return found[0];
  }
}
