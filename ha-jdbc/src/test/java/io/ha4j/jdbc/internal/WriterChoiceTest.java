package io.ha4j.jdbc.internal;

import static io.ha4j.jdbc.NodeState.HEALTHY;
import static io.ha4j.jdbc.NodeState.UNHEALTHY;
import static io.ha4j.jdbc.NodeState.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.FailbackPolicy;
import io.ha4j.jdbc.NodeState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriterChoiceTest {

  private static WriterChoice.View v(int i, int prio, NodeState s) {
    return new WriterChoice.View(i, prio, s, false, 0, s == HEALTHY ? "" : "why");
  }

  @Test
  void bestPriorityThenConfiguredOrderAndNeverNegative() {
    List<WriterChoice.View> nodes = List.of(v(0, -1, HEALTHY), v(1, 5, HEALTHY), v(2, 5, HEALTHY));
    WriterChoice.Decision d = WriterChoice.choose(nodes, -1, FailbackPolicy.IMMEDIATE, 0);
    assertThat(d.target()).isEqualTo(1);
    assertThat(d.drain()).isFalse();
    assertThat(
            WriterChoice.choose(
                    List.of(v(0, 3, HEALTHY), v(1, 1, HEALTHY)), -1, FailbackPolicy.IMMEDIATE, 0)
                .target())
        .isEqualTo(1);
  }

  @Test
  void deadWriterIsLeftAtOnceAndAnAdministrativeOneWithADrain() {
    List<WriterChoice.View> dead = List.of(v(0, 0, UNREACHABLE), v(1, 0, HEALTHY));
    WriterChoice.Decision d = WriterChoice.choose(dead, 0, FailbackPolicy.IMMEDIATE, 0);
    assertThat(d.target()).isEqualTo(1);
    assertThat(d.drain()).isFalse();

    List<WriterChoice.View> desynced =
        List.of(
            new WriterChoice.View(0, 0, UNHEALTHY, true, 0, "wsrep_desync = ON"), v(1, 0, HEALTHY));
    WriterChoice.Decision p = WriterChoice.choose(desynced, 0, FailbackPolicy.IMMEDIATE, 0);
    assertThat(p.target()).isEqualTo(1);
    assertThat(p.drain()).isTrue();
    assertThat(p.reason()).contains("wsrep_desync");
  }

  @Test
  void noHealthyNodeMeansNoWriter() {
    assertThat(
            WriterChoice.choose(
                    List.of(v(0, 0, UNREACHABLE), v(1, 0, UNHEALTHY)),
                    0,
                    FailbackPolicy.IMMEDIATE,
                    0)
                .target())
        .isEqualTo(-1);
  }

  @Test
  void failbackFollowsThePolicy() {
    long now = Duration.ofMinutes(10).toNanos();
    WriterChoice.View back =
        new WriterChoice.View(0, 0, HEALTHY, false, now - Duration.ofSeconds(5).toNanos(), "");
    List<WriterChoice.View> nodes = List.of(back, v(1, 0, HEALTHY));

    WriterChoice.Decision imm = WriterChoice.choose(nodes, 1, FailbackPolicy.IMMEDIATE, now);
    assertThat(imm.target()).isZero();
    assertThat(imm.drain()).isTrue();

    assertThat(WriterChoice.choose(nodes, 1, FailbackPolicy.NEVER, now).target()).isEqualTo(1);
    assertThat(
            WriterChoice.choose(nodes, 1, FailbackPolicy.afterStable(Duration.ofSeconds(30)), now)
                .target())
        .isEqualTo(1);
    assertThat(
            WriterChoice.choose(nodes, 1, FailbackPolicy.afterStable(Duration.ofSeconds(3)), now)
                .target())
        .isZero();
  }
}
