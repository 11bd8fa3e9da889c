package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ha4j.testkit.HaproxyFront.Server;
import io.ha4j.testkit.HaproxyFront.Variant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxyFrontTest {

  private static final List<Server> SERVERS =
      List.of(
          new Server("node1", "127.0.4.21", 20431),
          new Server("node2", "127.0.4.22", 20432),
          new Server("node3", "127.0.4.23", 20433));

  private static final Path SOCKET = Path.of("/x/haproxy-guide/admin.sock");

  @Test
  void guideConfigHasTheGuidesDefaultsAndGaleraSection() {
    String cfg = HaproxyFront.config(Variant.GUIDE, 20471, SOCKET, SERVERS);

    assertThat(cfg.lines().map(String::strip))
        .contains(
            "maxconn 4000",
            "stats socket /x/haproxy-guide/admin.sock mode 600 level admin",
            "option redispatch",
            "retries 3",
            "timeout queue 1m",
            "timeout connect 10s",
            "timeout client 1m",
            "timeout server 1m",
            "timeout check 10s",
            "listen galera_cluster",
            "bind 127.0.0.1:20471",
            "mode tcp",
            "balance source",
            "option mysql-check user haproxy_check",
            "server node1 127.0.4.21:20431 check inter 2000 rise 2 fall 5",
            "server node2 127.0.4.22:20432 backup check inter 2000 rise 2 fall 5",
            "server node3 127.0.4.23:20433 backup check inter 2000 rise 2 fall 5")
        .noneMatch(l -> l.startsWith("daemon") || l.startsWith("chroot") || l.contains("3306"));
    assertThat(cfg).doesNotContain("shutdown-sessions").doesNotContain("shutdown-backup-sessions");
  }

  @Test
  void tunedConfigChecksFasterAndCutsSessionsOfAServerMarkedDown() {
    String cfg = HaproxyFront.config(Variant.TUNED, 20472, SOCKET, SERVERS);

    assertThat(cfg.lines().map(String::strip))
        .contains(
            "balance source",
            "option mysql-check user haproxy_check",
            "timeout check 10s",
            "server node1 127.0.4.21:20431 check inter 500 rise 2 fall 2"
                + " on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions",
            "server node2 127.0.4.22:20432 backup check inter 500 rise 2 fall 2"
                + " on-marked-down shutdown-sessions",
            "server node3 127.0.4.23:20433 backup check inter 500 rise 2 fall 2"
                + " on-marked-down shutdown-sessions");
    assertThat(cfg).doesNotContain("inter 2000");
  }

  @Test
  void variantsListenOnDifferentPortsOfTheSlot() {
    assertThat(Variant.GUIDE.portOffset()).isEqualTo(71);
    assertThat(Variant.TUNED.portOffset()).isEqualTo(72);
  }

  @Test
  void serverStatesAreReadFromShowStatByColumnName() {
    String csv =
        "# pxname,svname,qcur,status,weight\n"
            + "galera_cluster,FRONTEND,,OPEN,\n"
            + "galera_cluster,node1,0,DOWN,1\n"
            + "galera_cluster,node2,0,UP,1\n"
            + "galera_cluster,node3,0,UP 1/2,1\n"
            + "galera_cluster,BACKEND,0,UP,1\n"
            + "other,node4,0,UP,1\n\n";

    assertThat(HaproxyFront.parseStates(csv))
        .containsExactly(
            org.assertj.core.api.Assertions.entry(1, "DOWN"),
            org.assertj.core.api.Assertions.entry(2, "UP"),
            org.assertj.core.api.Assertions.entry(3, "UP 1/2"));
  }

  @Test
  void anAnswerThatIsNoStatTableIsAnErrorQuotingIt() {
    assertThatThrownBy(() -> HaproxyFront.parseStates("Unknown command.\n"))
        .isInstanceOf(ClusterException.class)
        .hasMessage("unexpected answer to 'show stat': Unknown command.");
  }

  @Test
  void missingHaproxyFailsSayingHowToInstallIt(@TempDir Path dir) {
    Path missing = dir.resolve("haproxy");

    assertThatThrownBy(() -> HaproxyFront.requireHaproxy(missing))
        .isInstanceOf(ClusterException.class)
        .hasMessage(
            "HAProxy is not installed (no "
                + missing
                + "): run scripts/install-servers, or as root: apt-get install haproxy");
  }
}
