package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailoverRunTest {

  /** Contenders are numbered; each kill takes the next scripted outcome. */
  private static final class Script {
    final AtomicInteger opened = new AtomicInteger();
    final List<Integer> closed = new ArrayList<>();
    final List<Integer> killedOn = new ArrayList<>();
    final AtomicInteger restores = new AtomicInteger();
    final List<String> progress = new ArrayList<>();
    final Deque<Object> outcomes = new ArrayDeque<>();
    Exception openFailure;

    FailoverRun<Integer> run() {
      return new FailoverRun<>(
          "fake",
          () -> {
            if (openFailure != null) {
              Exception e = openFailure;
              openFailure = null;
              throw e;
            }
            return opened.incrementAndGet();
          },
          c -> {
            killedOn.add(c);
            Object o = outcomes.removeFirst();
            if (o instanceof Exception e) {
              throw e;
            }
            return (Double) o;
          },
          closed::add,
          restores::incrementAndGet,
          Duration.ofSeconds(60),
          progress::add);
    }
  }

  @Test
  void everyKillRecoveredGivesEverySampleOnOneContender() throws Exception {
    Script s = new Script();
    s.outcomes.addAll(List.of(300.0, 100.0, 200.0));

    Map<String, Object> m = s.run().run(3);

    assertThat(m)
        .containsEntry("kills", 3)
        .containsEntry("recovered", 3)
        .containsEntry("not_recovered", 0)
        .containsEntry("p50_ms", 200L)
        .containsEntry("p99_ms", 300L)
        .containsEntry("samples_ms", List.of(300L, 100L, 200L))
        .containsEntry("not_recovered_reasons", List.of());
    assertThat(s.opened).hasValue(1);
    assertThat(s.killedOn).containsExactly(1, 1, 1);
    assertThat(s.closed).containsExactly(1);
    assertThat(s.restores).hasValue(3);
  }

  @Test
  void aKillNotRecoveredIsCountedLeftOutOfTheSamplesAndTheContenderReplaced() throws Exception {
    Script s = new Script();
    s.outcomes.add(100.0);
    s.outcomes.add(
        new FailoverRun.NotRecoveredException("no confirm within 60 s after killing n1; state"));
    s.outcomes.add(5000.0);

    Map<String, Object> m = s.run().run(3);

    assertThat(m)
        .containsEntry("recovered", 2)
        .containsEntry("not_recovered", 1)
        .containsEntry("samples_ms", List.of(100L, 5000L))
        .containsEntry(
            "not_recovered_reasons",
            List.of("kill 2: no confirm within 60 s after killing n1; state"));
    assertThat(s.killedOn).containsExactly(1, 1, 2);
    assertThat(s.closed).containsExactly(1, 2);
    assertThat(s.restores).as("the cluster is restored after every kill").hasValue(3);
    assertThat(s.progress)
        .contains(
            "failover fake, kill 2/3: NOT RECOVERED (no confirm within 60 s after killing n1;"
                + " state); opening a fresh fake");
  }

  @Test
  void aContenderThatCannotBeOpenedCountsAsNotRecoveredAndIsOpenedAgainForTheNextKill()
      throws Exception {
    Script s = new Script();
    s.openFailure = new IOException("connection refused");
    s.outcomes.add(150.0);

    Map<String, Object> m = s.run().run(2);

    assertThat(m)
        .containsEntry("recovered", 1)
        .containsEntry("not_recovered", 1)
        .containsEntry("not_recovered_reasons", List.of("kill 1: connection refused"));
    assertThat(s.killedOn).containsExactly(1);
    assertThat(s.restores).hasValue(2);
  }

  @Test
  void withoutAnySampleThePercentilesAreNull() throws Exception {
    Script s = new Script();
    s.outcomes.add(new FailoverRun.NotRecoveredException("a"));
    s.outcomes.add(new IllegalStateException("b"));

    Map<String, Object> m = s.run().run(2);

    assertThat(m)
        .containsEntry("p50_ms", null)
        .containsEntry("p99_ms", null)
        .containsEntry("recovered", 0)
        .containsEntry("not_recovered", 2)
        .containsEntry("not_recovered_reasons", List.of("kill 1: a", "kill 2: b"));
    assertThat(s.opened).hasValue(2);
    assertThat(s.closed).containsExactly(1, 2);
  }

  @Test
  void aClusterThatCannotBeRestoredEndsTheRunAndClosesTheContender() {
    Script s = new Script();
    s.outcomes.add(100.0);
    FailoverRun<Integer> run =
        new FailoverRun<>(
            "fake",
            s.opened::incrementAndGet,
            c -> (Double) s.outcomes.removeFirst(),
            s.closed::add,
            () -> {
              throw new IllegalStateException("node 2 did not rejoin within 180 s");
            },
            Duration.ofSeconds(60),
            s.progress::add);

    assertThatThrownBy(() -> run.run(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node 2 did not rejoin within 180 s");
    assertThat(s.closed).containsExactly(1);
  }
}
