package io.ha4j.cli;

import static io.ha4j.cli.ConfigCommandTest.ha4j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.ConfigCommandTest.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha4j check} against local ports where nothing listens: every host and node is named by its
 * address with "unreachable: why", never as {@code //0 none}, and never with the password.
 */
class CheckCommandTest {

  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path config() throws IOException {
    return Files.writeString(
        dir.resolve("check.conf"),
        "[DEFAULT]\ntransport_url = rabbit://nova:S3cret-pw@127.0.0.1:"
            + freePort()
            + "/\n[database]\nconnection = mysql+pymysql://nova:S3cret-pw@127.0.0.1:"
            + freePort()
            + "/nova\n");
  }

  @Test
  void unreachableHostsAndNodesAreNamedByAddressWithTheirError() throws IOException {
    Path conf = config();

    Run r = ha4j("check", "--config-file", conf.toString());

    assertThat(r.code()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("RabbitMQ");
    assertThat(lines.get(1)).matches("  127\\.0\\.0\\.1:\\d+ unreachable: connection refused");
    assertThat(lines.get(2)).isEqualTo("Galera cluster (no node answered), writer none");
    assertThat(lines.get(3)).matches("  127\\.0\\.0\\.1:\\d+ unreachable: .+");
    assertThat(lines.get(4)).isEqualTo("degraded");
    assertThat(r.out()).doesNotContain("//0").doesNotContain("S3cret-pw");
    assertThat(r.err()).doesNotContain("S3cret-pw");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJsonReportHasOneClusterNamePerClusterAndEachNodeWithItsError() throws IOException {
    Path conf = config();

    Run r = ha4j("check", "--config-file", conf.toString(), "--json");

    Map<String, Object> report = ConfigCommandTest.json(r.out());
    Map<String, Object> rabbit = (Map<String, Object>) report.get("rabbitmq");
    Map<String, Object> galera = (Map<String, Object>) report.get("galera");
    assertThat(rabbit).containsEntry("cluster_name", "");
    assertThat(galera).containsEntry("cluster_name", "").containsEntry("healthy", false);
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) galera.get("nodes");
    assertThat(nodes)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.get("state")).isEqualTo("unreachable");
              assertThat((String) n.get("node")).startsWith("127.0.0.1:");
              assertThat((String) n.get("detail")).isNotEmpty();
            });
    assertThat(r.out()).doesNotContain("S3cret-pw");
  }
}
