package io.ha4j.testkit;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.internal.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a Galera node again after it was stopped or killed. A restarted node should rejoin by IST
 * (seconds) rather than a full SST, which needs its last committed position from {@code mariadbd
 * --wsrep-recover}; and when no other node is Primary it must bootstrap a new Primary component,
 * which Galera refuses until {@code grastate.dat} says it is safe. Kept apart from {@link
 * GaleraCluster.GaleraNode}, which describes the node, because this is the one place that reads and
 * rewrites the node's recovery state.
 */
final class GaleraLifecycle {

  private static final Pattern RECOVERED =
      Pattern.compile("Recovered position: ([0-9a-f-]{36}:-?\\d+)");

  private GaleraLifecycle() {}

  /**
   * {@link GaleraNode#start()}: from the recovered position, bootstrapping if nobody is Primary.
   */
  static void start(GaleraNode node) {
    if (node.isRunning()) {
      return;
    }
    node.killLeftovers();
    List<String> args = new ArrayList<>();
    recoverPosition(node).ifPresent(p -> args.add("--wsrep_start_position=" + p));
    boolean anyPrimary =
        node.galera.nodes.stream()
            .anyMatch(n -> n != node && n.isRunning() && n.status().primary());
    if (!anyPrimary) {
      markSafeToBootstrap(node);
      args.add("--wsrep-new-cluster");
    }
    node.launch(args);
    node.awaitServerReady(GaleraCluster.DEFAULT_START_TIMEOUT);
  }

  /** {@code mariadbd --wsrep-recover}: the last committed position, as {@code uuid:seqno}. */
  static Optional<String> recoverPosition(GaleraNode node) {
    long before = logLength(node);
    Procs.Result r =
        Procs.run(
            node.launchCommand(List.of("--wsrep-recover")), Map.of(), Duration.ofSeconds(120));
    if (!r.ok()) {
      throw new ClusterException(
          node.describe()
              + ": mariadbd --wsrep-recover failed ("
              + r.describe()
              + "); log:\n"
              + node.logTail(20));
    }
    String log;
    try {
      String all = Files.readString(node.logFile());
      log = all.substring((int) Math.min(before, all.length()));
    } catch (IOException e) {
      log = r.stdout() + r.stderr();
    }
    Matcher m = RECOVERED.matcher(log + r.stdout() + r.stderr());
    String pos = null;
    while (m.find()) {
      pos = m.group(1);
    }
    return Optional.ofNullable(pos);
  }

  private static long logLength(GaleraNode node) {
    try {
      return Files.exists(node.logFile()) ? Files.readString(node.logFile()).length() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void markSafeToBootstrap(GaleraNode node) {
    Path grastate = node.dir.resolve("data").resolve("grastate.dat");
    try {
      if (Files.exists(grastate)) {
        Files.writeString(
            grastate,
            Files.readString(grastate)
                .replaceAll("safe_to_bootstrap:\\s*0", "safe_to_bootstrap: 1"));
      }
    } catch (IOException e) {
      throw new ClusterException("cannot update " + grastate + ": " + e.getMessage(), e);
    }
  }
}
