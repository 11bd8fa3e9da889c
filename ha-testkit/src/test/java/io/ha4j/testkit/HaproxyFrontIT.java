package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.testkit.HaproxyFront.Variant;
import io.ha4j.testkit.internal.Procs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LocalClusters.class)
class HaproxyFrontIT {

  /** Generous: the guide's variant alone needs fall 5 x inter 2 s to mark a node down. */
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);

  @ParameterizedTest
  @EnumSource(Variant.class)
  void connectionsReachNodeOneAndABackupAfterNodeOneIsKilled(Variant variant, GaleraCluster galera)
      throws Exception {
    try (HaproxyFront front = galera.haproxy(variant)) {
      assertThat(front.address()).isEqualTo("127.0.0.1");
      assertThat(front.port()).isNotEqualTo(3306);
      awaitStates(front, "every node UP", s -> s.values().stream().allMatch("UP"::equals));
      assertThat(nodeName(front)).isEqualTo("node1");

      galera.node(1).kill();
      long killed = System.nanoTime();

      AtomicReference<String> reached = new AtomicReference<>();
      Waits.until(
          "a new connection through " + front + " to reach a backup",
          FAILOVER_BOUND,
          Duration.ofMillis(50),
          () -> {
            try {
              reached.set(nodeName(front));
              return "node1".equals(reached.get())
                  ? Waits.Poll.notYet("reached node1")
                  : Waits.Poll.done();
            } catch (SQLException e) {
              return Waits.Poll.notYet(e.getMessage());
            }
          });
      long failoverMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
      System.out.println(
          "haproxy "
              + variant
              + ": new connections reach "
              + reached
              + " "
              + failoverMs
              + " ms after kill -9 of node1");
      assertThat(reached.get()).isIn("node2", "node3");
      awaitStates(front, "node1 DOWN", s -> "DOWN".equals(s.get(1)));
      assertThat(front.isUp(1)).isFalse();
    }
  }

  @Test
  void tunedVariantCutsAnOpenSessionWhenItsNodeIsMarkedDown(GaleraCluster galera) throws Exception {
    try (HaproxyFront front = galera.haproxy(Variant.TUNED);
        Connection open = connect(front, 30_000)) {
      assertThat(nodeName(open)).isEqualTo("node1");

      galera.node(1).isolate();
      awaitStates(front, "node1 DOWN", s -> "DOWN".equals(s.get(1)));

      // Not cut, the query would hang until the 30 s socket timeout: the client sees the
      // session closed at once instead.
      long before = System.nanoTime();
      assertThatThrownBy(() -> nodeName(open)).isInstanceOf(SQLException.class);
      long failedAfterMs = Duration.ofNanos(System.nanoTime() - before).toMillis();
      System.out.println(
          "haproxy TUNED: the open session failed " + failedAfterMs + " ms after node1 was DOWN");
      assertThat(failedAfterMs).as("ms until the open session failed").isLessThan(10_000);
      assertThat(nodeName(front)).isIn("node2", "node3");
    }
  }

  @Test
  void closeAndARestartLeaveNoHaproxyProcessOfTheFrontBehind(GaleraCluster galera)
      throws Exception {
    HaproxyFront first = galera.haproxy(Variant.GUIDE);
    long firstPid = first.pid().orElseThrow();
    Path cfg = first.directory().resolve("haproxy.cfg");
    assertThat(haproxyPidsWith(cfg)).containsExactly(firstPid);

    // A second start of the same variant (a stale front) kills the first one.
    HaproxyFront second = galera.haproxy(Variant.GUIDE);
    long secondPid = second.pid().orElseThrow();
    assertThat(secondPid).isNotEqualTo(firstPid);
    assertThat(first.isRunning()).isFalse();
    assertThat(haproxyPidsWith(cfg)).containsExactly(secondPid);

    // Closing the stale front leaves the new one alone.
    first.close();
    assertThat(second.isRunning()).isTrue();
    assertThat(nodeName(second)).isEqualTo("node1");

    second.close();

    assertThat(haproxyPidsWith(cfg)).isEmpty();
    assertThat(Procs.groupMembers(secondPid)).isEmpty();
    assertThat(second.isRunning()).isFalse();
    assertThatThrownBy(second::serverStates).isInstanceOf(ClusterException.class);
  }

  private static void awaitStates(
      HaproxyFront front,
      String what,
      java.util.function.Predicate<java.util.Map<Integer, String>> p) {
    Waits.until(
        front + ": " + what,
        FAILOVER_BOUND,
        Duration.ofMillis(100),
        () -> {
          java.util.Map<Integer, String> s = front.serverStates();
          return p.test(s) ? Waits.Poll.done() : Waits.Poll.notYet(s.toString());
        });
  }

  private static Connection connect(HaproxyFront front, int socketTimeoutMs) throws SQLException {
    GaleraCluster g = front.cluster();
    return DriverManager.getConnection(
        front.jdbcUrl() + "&connectTimeout=5000&socketTimeout=" + socketTimeoutMs,
        g.user(),
        g.password());
  }

  private static String nodeName(HaproxyFront front) throws SQLException {
    try (Connection c = connect(front, 10_000)) {
      return nodeName(c);
    }
  }

  private static String nodeName(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  /** Pids of live haproxy processes whose command line names {@code cfg}. */
  private static List<Long> haproxyPidsWith(Path cfg) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(
              p -> {
                try {
                  String cmd =
                      new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                  return cmd.contains(cfg.toString())
                      && Procs.stat(Long.parseLong(p.getFileName().toString()))
                          .filter(st -> st.comm().equals("haproxy") && st.state() != 'Z')
                          .isPresent();
                } catch (IOException e) {
                  return false;
                }
              })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .toList();
    }
  }
}
