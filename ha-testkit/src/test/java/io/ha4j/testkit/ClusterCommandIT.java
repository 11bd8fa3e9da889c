package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.internal.AmqpProbe;
import io.ha4j.testkit.internal.Iptables;
import io.ha4j.testkit.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line leaves clusters running between calls and {@code down} removes all of it. */
class ClusterCommandIT {

  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--dir");
    all.add(dir.toString());
    int code =
        ClusterCommand.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbit", "galera"})
  void upPrintsAnsweringNodesAndDownLeavesNoProcessNoRuleNoFile(String kind) throws Exception {
    Outcome up = run(kind, "up", "--nodes", "2", "--name", "cli");
    try {
      assertThat(up.code()).as(up.err()).isZero();
      Map<?, ?> cluster = (Map<?, ?>) Json.parse(up.out().strip());
      String runId = (String) cluster.get("run_id");
      Path stateDir = Path.of((String) cluster.get("dir"));
      List<?> nodes = (List<?>) cluster.get("nodes");
      assertThat(nodes).hasSize(2);
      Map<?, ?> first = (Map<?, ?>) nodes.get(0);
      // What the servers' command lines name: RabbitMQ the state directory (advanced.config;
      // node paths go through the environment), Galera its node root, which may lie outside
      // the state directory (see GaleraCluster).
      Path nodeRoot =
          kind.equals("rabbit")
              ? stateDir
              : Path.of((String) first.get("log")).getParent().getParent();
      String address = (String) first.get("address");
      int port = ((Long) first.get("port")).intValue();
      assertThat(port).isNotIn(5672, 3306);
      if (kind.equals("rabbit")) {
        assertThat(AmqpProbe.answers(address, port, 2000)).isTrue();
        RabbitCluster attached = RabbitCluster.attach(stateDir);
        assertThat(attached.transportUrl())
            .startsWith("rabbit://guest:guest@" + address + ":" + port + ",guest:guest@")
            .endsWith("/");
        assertThat(TestKit.osloConfig(attached, null))
            .isEqualTo("[DEFAULT]\ntransport_url = " + attached.transportUrl() + "\n");
      } else {
        assertThat(cluster.get("user")).isEqualTo("ha4j");
        assertThat(cluster.get("database")).isEqualTo("ha4j");
        GaleraCluster attached = GaleraCluster.attach(stateDir);
        assertThat(attached.connectionUrl())
            .startsWith(
                "mysql+pymysql://ha4j:"
                    + cluster.get("password")
                    + "@"
                    + address
                    + ":"
                    + port
                    + ",")
            .endsWith("/ha4j");
        assertThat(TestKit.osloConfig(null, attached))
            .isEqualTo("[database]\nconnection = " + attached.connectionUrl() + "\n");
      }

      // Later calls find the cluster: faults leave a rule and a stopped process behind.
      assertThat(run(kind, "isolate", "2", "--name", "cli").code()).isZero();
      assertThat(Iptables.rulesWithTag(runId)).hasSize(2);
      assertThat(run(kind, "pause", "1", "--name", "cli").code()).isZero();
      Outcome status = run(kind, "status", "--name", "cli");
      assertThat(status.code()).isZero();
      List<?> states = (List<?>) ((Map<?, ?>) Json.parse(status.out().strip())).get("nodes");
      assertThat(((Map<?, ?>) states.get(0)).get("state")).isEqualTo("paused");
      assertThat(((Map<?, ?>) states.get(1)).get("isolated")).isEqualTo(true);
      assertThat(processesMentioning(nodeRoot)).isNotEmpty();

      Outcome down = run(kind, "down", "--name", "cli");

      assertThat(down.code()).as(down.err()).isZero();
      assertThat(processesMentioning(nodeRoot)).isEmpty();
      assertThat(processesMentioning(Path.of("-port " + cluster.get("epmd_port")))).isEmpty();
      assertThat(Iptables.rulesWithTag(runId)).isEmpty();
      assertThat(stateDir).doesNotExist();
      assertThat(nodeRoot).doesNotExist();
    } finally {
      run(kind, "down", "--name", "cli");
    }
  }

  @Test
  void runIdsOfTwoClustersDifferAndRulesOfOneSurviveTheOthersDown() throws Exception {
    Outcome a = run("galera", "up", "--nodes", "1", "--name", "a");
    Outcome b = run("galera", "up", "--nodes", "1", "--name", "b");
    try {
      assertThat(a.code()).as(a.err()).isZero();
      assertThat(b.code()).as(b.err()).isZero();
      String runA = (String) ((Map<?, ?>) Json.parse(a.out().strip())).get("run_id");
      String runB = (String) ((Map<?, ?>) Json.parse(b.out().strip())).get("run_id");
      assertThat(runA).isNotEqualTo(runB);
      assertThat(run("galera", "isolate", "1", "--name", "a").code()).isZero();
      assertThat(run("galera", "isolate", "1", "--name", "b").code()).isZero();

      assertThat(run("galera", "down", "--name", "a").code()).isZero();

      assertThat(Iptables.rulesWithTag(runA)).isEmpty();
      assertThat(Iptables.rulesWithTag(runB)).hasSize(2);
    } finally {
      run("galera", "down", "--name", "a");
      run("galera", "down", "--name", "b");
    }
  }

  /** Live processes whose command line contains {@code needle}. */
  private static List<String> processesMentioning(Path needle) throws IOException {
    String n = needle.toString();
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            continue;
          }
          String cmd =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ');
          if (cmd.contains(n)) {
            found.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }
}
