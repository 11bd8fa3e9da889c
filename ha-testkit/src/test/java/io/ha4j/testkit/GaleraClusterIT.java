package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.GaleraCluster.WsrepStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusters.class)
class GaleraClusterIT {

  private static final Duration FAULT_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void everyNodeIsSyncedAndServesTheApplicationUser(GaleraCluster galera) throws Exception {
    int n = galera.nodes().size();
    for (GaleraNode node : galera.nodes()) {
      assertThat(node.status().healthyMemberOf(n)).as(node.status().toString()).isTrue();
      assertThat(node.address()).matches("127\\.0\\.\\d+\\.2" + node.index());
      assertThat(node.port()).isNotIn(5672, 3306);
      try (Connection c = connect(galera, node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void writesOnOneNodeAreReadOnTheOthers(GaleraCluster galera) throws Exception {
    String table = "t" + System.nanoTime();
    try (Connection c = connect(galera, galera.node(1));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20))");
      s.execute("INSERT INTO " + table + " VALUES (1, 'replicated')");
    }
    for (GaleraNode node : galera.nodes()) {
      try (Connection c = connect(galera, node);
          Statement s = c.createStatement()) {
        s.execute("SET SESSION wsrep_sync_wait = 1");
        try (ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("replicated");
        }
      }
    }
  }

  @Test
  void isolatedNodeTurnsNonPrimaryWhileTheRestStayPrimary(GaleraCluster galera) throws Exception {
    GaleraNode isolated = galera.node(3);
    int n = galera.nodes().size();

    isolated.isolate();

    awaitStatus(isolated, st -> !st.primary() && st.clusterSize() == 1, "non-Primary alone");
    for (GaleraNode other : galera.nodes()) {
      if (other != isolated) {
        awaitStatus(
            other, st -> st.primary() && st.clusterSize() == n - 1, "Primary of " + (n - 1));
      }
    }
    // Over its socket the isolated node answers, and refuses work with 1047.
    assertThatThrownBy(() -> isolated.sql("SELECT * FROM mysql.user LIMIT 1"))
        .hasMessageContaining("1047");

    isolated.heal();

    awaitStatus(isolated, st -> st.healthyMemberOf(n), "Synced in the whole cluster again");
  }

  @Test
  void awaitHealthyOutwaitsTheEvictionOfANodeHealedTooLate(GaleraCluster galera) throws Exception {
    GaleraNode isolated = galera.node(1);
    GaleraNode witness = galera.node(2);
    int n = galera.nodes().size();
    long before = witness.status().confId();

    isolated.isolate();
    // Heal at the worst moment: the others have begun to agree on a view without node 1, and every
    // node still shows the old view, Synced and Primary.
    Waits.until(
        "galera node 2 to suspect node 1",
        FAULT_TIMEOUT,
        Duration.ofMillis(20),
        () -> {
          WsrepStatus st = witness.status();
          return !"OPERATIONAL".equals(st.evsState()) || st.confId() != before
              ? Waits.Poll.done()
              : Waits.Poll.notYet(st.toString());
        });
    isolated.heal();
    galera.awaitHealthy(FAULT_TIMEOUT);

    for (GaleraNode node : galera.nodes()) {
      WsrepStatus st = node.status();
      assertThat(st.healthyMemberOf(n)).as("node %d: %s", node.index(), st).isTrue();
      assertThat(st.confId())
          .as("node %d's view after the one it was healed in", node.index())
          .isGreaterThan(before);
    }
    // node 1 takes writes (1047 while it is evicted)
    try (Connection c = connect(galera, isolated);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS settled (id INT PRIMARY KEY)");
      s.execute("REPLACE INTO settled VALUES (1)");
    }
  }

  @Test
  void killedNodeIsDroppedAndRejoinsByIstAfterStart(GaleraCluster galera) throws Exception {
    GaleraNode victim = galera.node(2);
    int n = galera.nodes().size();

    victim.kill();

    assertThat(victim.isRunning()).isFalse();
    awaitStatus(galera.node(1), st -> st.primary() && st.clusterSize() == n - 1, "size " + (n - 1));
    try (Connection c = connect(galera, galera.node(1));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS missed (id INT PRIMARY KEY)");
      s.execute("REPLACE INTO missed VALUES (" + System.nanoTime() % 100000 + ")");
    }

    victim.start();

    awaitStatus(victim, st -> st.healthyMemberOf(n), "Synced in the whole cluster again");
    assertThat(victim.logTail(400)).contains("Receiving IST");
  }

  @Test
  void pausedNodeIsDroppedAndReturnsAfterResume(GaleraCluster galera) {
    GaleraNode paused = galera.node(3);
    int n = galera.nodes().size();

    paused.pause();

    assertThat(paused.isPaused()).isTrue();
    awaitStatus(galera.node(1), st -> st.primary() && st.clusterSize() == n - 1, "size " + (n - 1));

    paused.resume();

    awaitStatus(paused, st -> st.healthyMemberOf(n), "Synced in the whole cluster again");
    awaitStatus(galera.node(1), st -> st.clusterSize() == n, "size " + n);
  }

  private static Connection connect(GaleraCluster galera, GaleraNode node) throws SQLException {
    return DriverManager.getConnection(
        node.jdbcUrl() + "&connectTimeout=5000&socketTimeout=10000",
        galera.user(),
        galera.password());
  }

  private static void awaitStatus(GaleraNode node, Predicate<WsrepStatus> p, String what) {
    Waits.until(
        "galera node " + node.index() + " to be " + what,
        FAULT_TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          WsrepStatus st = node.status();
          return p.test(st) ? Waits.Poll.done() : Waits.Poll.notYet(st.toString());
        });
  }
}
