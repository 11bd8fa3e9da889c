package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.testkit.GaleraCluster.WsrepStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusters.class)
class GaleraEvsTimeoutsIT {

  private static final Duration SUSPECT = Duration.ofSeconds(2);
  private static final Duration INACTIVE = Duration.ofSeconds(4);

  @Test
  void shortEvsTimeoutsDropAKilledNodeWithinSuspectPlusInactive(GaleraCluster defaults) {
    long defaultMs = msUntilKilledNodeIsDropped(defaults);

    try (GaleraCluster fast =
        GaleraCluster.builder()
            .name("evs-" + ProcessHandle.current().pid())
            .evsTimeouts(SUSPECT, INACTIVE)
            .start()) {
      assertThat(fast.evsSuspectTimeout()).isEqualTo(SUSPECT);
      assertThat(String.join("\n", fast.node(1).sql("SELECT @@wsrep_provider_options")))
          .contains("evs.suspect_timeout = PT2S")
          .contains("evs.inactive_timeout = PT4S")
          .contains("evs.keepalive_period = PT0.5S");

      long shortMs = msUntilKilledNodeIsDropped(fast);

      String figures =
          "size 2 after kill -9: "
              + shortMs
              + " ms with evs "
              + SUSPECT
              + "/"
              + INACTIVE
              + ", "
              + defaultMs
              + " ms with the defaults "
              + defaults.evsSuspectTimeout()
              + "/"
              + defaults.evsInactiveTimeout();
      System.out.println(figures);
      assertThat(shortMs).as(figures).isLessThan(SUSPECT.plus(INACTIVE).toMillis());
    }
  }

  /** Kills the last node and measures until node 1 sees a Primary view without it. */
  private static long msUntilKilledNodeIsDropped(GaleraCluster cluster) {
    int n = cluster.nodes().size();
    cluster.node(n).kill();
    long killed = System.nanoTime();
    Waits.until(
        cluster + " to drop node " + n,
        Duration.ofSeconds(60),
        Duration.ofMillis(50),
        () -> {
          WsrepStatus st = cluster.node(1).status();
          return st.primary() && st.clusterSize() == n - 1
              ? Waits.Poll.done()
              : Waits.Poll.notYet(st.toString());
        });
    return Duration.ofNanos(System.nanoTime() - killed).toMillis();
  }
}
