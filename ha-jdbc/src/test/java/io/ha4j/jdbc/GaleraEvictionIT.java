package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.GaleraNode;
import io.ha4j.config.GaleraSettings;
import io.ha4j.testkit.GaleraCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hung writer on a cluster with short {@code evs} timeouts: the cluster evicts it before {@code
 * fall_count} missed checks would, and {@link GaleraDataSource} leaves it as soon as the other
 * nodes show the Primary view without it.
 */
class GaleraEvictionIT {

  /**
   * The survivors evict the paused node after about this long. The inactive time-out stays at the
   * kit's default: with 4 s (and so a 2 s {@code evs.install_timeout}) the survivors of a loaded
   * 2-core machine failed to form a Primary component within 60 s in 2 of 80 benchmark samples.
   */
  private static final Duration SUSPECT = Duration.ofSeconds(2);

  private static final Duration INACTIVE = GaleraCluster.DEFAULT_EVS_INACTIVE_TIMEOUT;

  /** Misses alone would mark the paused writer down only after this many checks. */
  private static final int FALL_COUNT = 10;

  private static String hp(GaleraCluster.GaleraNode n) {
    return n.address() + ":" + n.port();
  }

  @Test
  void aPausedWriterIsLeftOnceTheOthersShowThePrimaryViewWithoutIt() throws Exception {
    try (GaleraCluster galera =
        GaleraCluster.builder()
            .name("evict-" + ProcessHandle.current().pid())
            .evsTimeouts(SUSPECT, INACTIVE)
            .start()) {
      List<GaleraNode> nodes = new ArrayList<>();
      galera.nodes().forEach(n -> nodes.add(new GaleraNode(n.address(), n.port(), 0)));
      GaleraSettings s =
          GaleraSettings.builder()
              .nodes(nodes)
              .username(galera.user())
              .password(galera.password())
              .database(galera.database())
              .fallCount(FALL_COUNT)
              .build();
      GaleraDataSourceIT.Recorder r = new GaleraDataSourceIT.Recorder();
      try (GaleraDataSource ds =
          GaleraDataSource.builder().settings(s).listener(r).name("it-evict").build()) {
        assertThat(ds.writer()).contains(hp(galera.node(1)));
        String table = "evict_" + System.nanoTime();
        try (Connection c = ds.getConnection();
            Statement st = c.createStatement()) {
          st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
        }
        long paused = System.nanoTime();
        galera.node(1).pause();
        try {
          GaleraEvent.NodeStateChanged down =
              r.await(
                  GaleraEvent.NodeStateChanged.class,
                  e -> e.node().equals(hp(galera.node(1))) && e.to() == NodeState.UNREACHABLE);
          long tookMs = Duration.ofNanos(System.nanoTime() - paused).toMillis();
          // the rule that fired names the view; fall_count misses would read "socket timeout" only
          assertThat(down.detail()).contains("went on without it");
          try (Connection c = ds.getConnection();
              Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + table + " VALUES (1)");
          }
          GaleraEvent.WriterChanged w = r.writerTo(hp(galera.node(2)));
          assertThat(w.from()).isEqualTo(hp(galera.node(1)));
          System.out.printf(
              "paused writer marked down after %d ms with evs %s/%s (fall_count %d): %s%n",
              tookMs, SUSPECT, INACTIVE, FALL_COUNT, down.detail());
        } finally {
          galera.node(1).resume();
        }
      }
    }
  }
}
