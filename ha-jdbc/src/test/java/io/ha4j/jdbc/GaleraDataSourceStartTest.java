package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Start-up when no node answers: oslo.db's max_retries / retry_interval, then a clear error. */
class GaleraDataSourceStartTest {

  @Test
  void givesUpAfterMaxRetriesNamingEveryNodeWithoutThePassword() throws Exception {
    List<GaleraNode> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        nodes.add(new GaleraNode("127.0.0.1", s.getLocalPort(), 0));
      }
    }
    GaleraSettings settings =
        GaleraSettings.builder()
            .nodes(nodes)
            .username("svc")
            .password("S3cret-pw")
            .database("db")
            .maxRetries(OptionalInt.of(2))
            .retryInterval(Duration.ofMillis(100))
            .build();
    List<GaleraEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    long t0 = System.nanoTime();
    SQLException e =
        catchThrowableOfType(
            () -> GaleraDataSource.builder().settings(settings).listener(events::add).build(),
            SQLException.class);

    assertThat(e.getMessage())
        .contains("after 3 attempt(s)")
        .contains("max_retries = 2")
        .contains(nodes.get(0).hostAndPort())
        .contains(nodes.get(1).hostAndPort())
        .contains("UNREACHABLE")
        .doesNotContain("S3cret-pw");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("two sleeps of retry_interval")
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(events).filteredOn(GaleraEvent.NodeStateChanged.class::isInstance).hasSize(2);
  }
}
