package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.testkit.GaleraCluster.GaleraNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FaultProxy} in front of a real Galera node. */
@ExtendWith(LocalClusters.class)
class FaultProxyIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Connection viaProxy(GaleraCluster galera, FaultProxy proxy) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://"
            + proxy.host()
            + ":"
            + proxy.port()
            + "/"
            + galera.database()
            + "?sslMode=disable",
        galera.user(),
        galera.password());
  }

  private static long rows(GaleraCluster galera, GaleraNode node, String table, int id)
      throws SQLException {
    try (Connection c =
            DriverManager.getConnection(node.jdbcUrl(), galera.user(), galera.password());
        Statement s = c.createStatement()) {
      s.execute("SET SESSION wsrep_sync_wait = 1");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id = " + id)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aLostAnswerLeavesTheCommitDoneAndALostCommitLeavesNothing(GaleraCluster galera)
      throws Exception {
    GaleraNode node = galera.node(1);
    String table = "proxy" + System.nanoTime();
    try (FaultProxy proxy = FaultProxy.start(node.address(), node.port())) {
      assertThat(proxy.host()).isEqualTo("127.0.0.1");
      try (Connection c = viaProxy(galera, proxy);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        c.setAutoCommit(false);
        s.execute("INSERT INTO " + table + " VALUES (0)");
        c.commit(); // not armed: passes through
      }

      proxy.arm(FaultProxy.CommitFault.ANSWER_LOST);
      SQLException lostAnswer = commitOneRow(galera, proxy, table, 1);
      proxy.arm(FaultProxy.CommitFault.COMMIT_LOST);
      SQLException lostCommit = commitOneRow(galera, proxy, table, 2);

      assertThat(proxy.faults()).isEqualTo(2);
      assertThat(proxy.armed()).isFalse();
      assertThat((Throwable) lostAnswer).as("COMMIT with its answer lost").isNotNull();
      assertThat((Throwable) lostCommit).as("COMMIT lost").isNotNull();
      // both look the same to the client: a lost connection
      assertThat(lostAnswer.getSQLState()).startsWith("08");
      assertThat(lostCommit.getSQLState()).startsWith("08");
      assertThat(rows(galera, node, table, 0)).isEqualTo(1);
      // the server answered the COMMIT the client never saw: committed, also on the other nodes
      assertThat(rows(galera, galera.node(2), table, 1)).isEqualTo(1);
      // the server never got the COMMIT: the disconnect rolled the row back
      Waits.until(
          "the cut session's row lock released",
          WAIT,
          Duration.ofMillis(50),
          () -> {
            try (Connection c =
                    DriverManager.getConnection(node.jdbcUrl(), galera.user(), galera.password());
                Statement s = c.createStatement()) {
              s.execute("SET SESSION innodb_lock_wait_timeout = 1");
              s.execute("INSERT INTO " + table + " VALUES (2)"); // fails with 1062 if committed
              return Waits.Poll.done();
            } catch (SQLException e) {
              return Waits.Poll.notYet(e.getErrorCode() + " " + e.getMessage());
            }
          });
      System.out.printf(
          "fault proxy: answer lost -> %s; commit lost -> %s; %d connections%n",
          lostAnswer.getMessage().lines().findFirst().orElse(""),
          lostCommit.getMessage().lines().findFirst().orElse(""),
          proxy.connections());
    }
    try (Connection c =
            DriverManager.getConnection(node.jdbcUrl(), galera.user(), galera.password());
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + table);
    }
  }

  /** Inserts {@code id} in a transaction through the proxy; the COMMIT's failure. */
  private static SQLException commitOneRow(
      GaleraCluster galera, FaultProxy proxy, String table, int id) throws SQLException {
    try (Connection c = viaProxy(galera, proxy);
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO " + table + " VALUES (" + id + ")");
      return catchThrowableOfType(c::commit, SQLException.class);
    }
  }
}
