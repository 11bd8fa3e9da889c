package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.GaleraSettings;
import io.ha4j.jdbc.NodeState;
import io.ha4j.testkit.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor's own schedule over fake nodes: two data sources with the same settings over the same
 * three nodes must keep checking every node whatever one check throws, so that they agree on the
 * writer again after each fault. A periodic task that throws is never run again by its executor,
 * and it says nothing about it: the node's state stays whatever it was, for good.
 */
class MonitorScheduleTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(10);

  private final FakeNodes fakes = new FakeNodes();
  private GaleraCore a;
  private GaleraCore b;

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  /**
   * Opens "a" (and "b" when {@code two}) over three Synced nodes checked every 20 ms: node 0 is the
   * writer.
   */
  private void open(boolean two) {
    GaleraSettings s =
        GaleraSettings.builder()
            .nodes(fakes.nodes(0, 0, 0))
            .username("svc")
            .password("S3cret-pw")
            .database("db")
            .checkInterval(Duration.ofMillis(20))
            .drainTimeout(Duration.ofSeconds(5))
            .fallCount(3)
            .riseCount(2)
            .retryInterval(Duration.ofSeconds(10))
            .maxRetries(OptionalInt.of(2))
            .build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    a = GaleraCore.open(s, "a", List.of(), false, fakes.env, fakes);
    assertThat(a.writer()).contains(name(0));
    if (two) {
      b = GaleraCore.open(s, "b", List.of(), false, fakes.env, fakes);
      assertThat(b.writer()).contains(name(0));
    }
  }

  private String name(int i) {
    return fakes.node(i).name;
  }

  /** Waits until every open data source names {@code node} as the writer. */
  private void allWriteTo(int node, String when) {
    Optional<String> want = Optional.of(name(node));
    Waits.until(
        "every data source writing to " + name(node) + " " + when,
        BOUND,
        POLL,
        () ->
            a.writer().equals(want) && (b == null || b.writer().equals(want))
                ? Waits.Poll.done()
                : Waits.Poll.notYet("a: " + a.writer() + (b == null ? "" : ", b: " + b.writer())));
  }

  /** Waits until node {@code i} was probed {@code more} more times. */
  private void probedAgain(int i, int more) {
    int target = fakes.node(i).probes.get() + more;
    Waits.until(
        name(i) + " probed " + more + " more times",
        BOUND,
        POLL,
        () ->
            fakes.node(i).probes.get() >= target
                ? Waits.Poll.done()
                : Waits.Poll.notYet(fakes.node(i).probes.get() + " of " + target + " probes"));
  }

  /** An error (not an exception) on its way out of a check, once, as a class that fails to load. */
  private static Runnable errorOnce(AtomicBoolean armed) {
    return () -> {
      if (armed.compareAndSet(true, false)) {
        throw new NoClassDefFoundError("io/ha4j/jdbc/internal/Missing (thrown by the test)");
      }
    };
  }

  @Test
  void aCheckThatThrowsAnErrorDoesNotEndTheChecksOfItsNode() {
    open(true);
    AtomicBoolean armed = new AtomicBoolean(true);
    fakes.node(0).beforeAnswer = errorOnce(armed);
    try (LogCapture log = new LogCapture()) {
      Waits.until(
          "the error thrown",
          BOUND,
          POLL,
          () -> armed.get() ? Waits.Poll.notYet("not thrown yet") : Waits.Poll.done());
      // each data source checks node 0 every 20 ms: 60 more probes mean both kept checking it
      probedAgain(0, 60);

      // the writer goes down: both data sources leave it ...
      fakes.node(0).refused();
      allWriteTo(1, "after node 0 went down");
      assertThat(a.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
      assertThat(b.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);

      // ... and both come back to it (failback = immediate)
      fakes.node(0).synced();
      allWriteTo(0, "after node 0 came back");
      assertThat(log.at("ERROR"))
          .as("the error is logged, naming the node")
          .anySatisfy(l -> assertThat(l).contains(name(0)).contains("NoClassDefFoundError"));
    }
  }

  @Test
  void anErrorInTheWriterSwitchEndsTheChecksOfNoNode() {
    open(false);
    // the switch away from node 0 throws once after the new writer is in place, as a class of
    // the switch that fails to load would (the first switch between two nodes in the process); it
    // runs in whichever check asked for the switch first
    AtomicBoolean armed = new AtomicBoolean(true);
    FakeNodes.FakeNode n0 = fakes.node(0);
    try (LogCapture log = new LogCapture()) {
      n0.softEvictHook = errorOnce(armed);
      n0.refused();
      allWriteTo(1, "after node 0 went down");
      assertThat(armed.get()).as("the switch threw").isFalse();
      for (int i = 0; i < 3; i++) {
        probedAgain(i, 30);
      }

      n0.synced();
      allWriteTo(0, "after node 0 came back");
      assertThat(log.at("ERROR"))
          .as("the error is logged")
          .anySatisfy(l -> assertThat(l).contains("NoClassDefFoundError"));
    }
  }
}
