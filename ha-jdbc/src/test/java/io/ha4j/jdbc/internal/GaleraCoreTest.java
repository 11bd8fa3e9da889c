package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ha4j.config.FailbackPolicy;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.GiveUpException;
import io.ha4j.jdbc.GaleraConnectException;
import io.ha4j.jdbc.GaleraDataSource;
import io.ha4j.jdbc.GaleraEvent;
import io.ha4j.jdbc.GaleraListener;
import io.ha4j.jdbc.NodeState;
import io.ha4j.testkit.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writer choice, switching, drain, failback and rise/fall of {@link GaleraCore} over fake nodes and
 * a virtual clock. The monitor's own schedule is an hour, so only the checks the test makes run.
 */
class GaleraCoreTest {

  private final FakeNodes fakes = new FakeNodes();
  private final FakeNodes.Recorder recorder = new FakeNodes.Recorder();
  private GaleraCore core;

  @AfterEach
  void close() {
    if (core != null) {
      core.close();
    }
  }

  private GaleraSettings.Builder settings(int... priorities) {
    return GaleraSettings.builder()
        .nodes(fakes.nodes(priorities))
        .username("svc")
        .password("S3cret-pw")
        .database("db")
        .checkInterval(Duration.ofHours(1))
        .drainTimeout(Duration.ofSeconds(5))
        .fallCount(3)
        .riseCount(2)
        .retryInterval(Duration.ofSeconds(10))
        .maxRetries(OptionalInt.of(2));
  }

  private GaleraCore open(GaleraSettings s) throws SQLException {
    core = GaleraCore.open(s, "test", List.of(recorder), false, fakes.env, fakes);
    return core;
  }

  /** Three nodes of equal priority, all Synced, opened: node 0 is the writer. */
  private GaleraCore openThree(Consumer<GaleraSettings.Builder> tweak) throws SQLException {
    GaleraSettings.Builder b = settings(0, 0, 0);
    tweak.accept(b);
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    open(b.build());
    assertThat(core.writer()).contains(name(0));
    return core;
  }

  private String name(int i) {
    return fakes.node(i).name;
  }

  /** A write on the current writer: the switch to it is reported then. */
  private void writesFlow() throws SQLException {
    try (Connection c = core.getConnection()) {
      c.commit();
    }
  }

  private void check(int i, int times) {
    for (int k = 0; k < times; k++) {
      core.checkNow(i);
    }
  }

  @Test
  void noWriterIsChosenBeforeEveryNodeWasCheckedOnce() throws Exception {
    GaleraSettings s = settings(0, 0).build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    // the best node answers only after the second one was judged healthy
    CountDownLatch secondJudged = new CountDownLatch(1);
    GaleraListener watcher =
        e -> {
          if (e instanceof GaleraEvent.NodeStateChanged n && n.node().equals(name(1))) {
            secondJudged.countDown();
          }
        };
    fakes.node(0).beforeAnswer =
        () -> {
          try {
            assertThat(secondJudged.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };

    core = GaleraCore.open(s, "test", List.of(recorder, watcher), false, fakes.env, fakes);

    assertThat(secondJudged.getCount()).isZero();
    assertThat(core.writer()).contains(name(0));
    assertThat(recorder.writerChanges())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.from()).isNull();
              assertThat(w.to()).isEqualTo(name(0));
            });
  }

  @Test
  void theWriterIsTheHealthyNodeWithTheLowestPriorityTiesInConfiguredOrder() throws Exception {
    GaleraSettings s = settings(2, 1, 1, -1).build();
    fakes.all.forEach(FakeNodes.FakeNode::synced);
    open(s);
    assertThat(core.writer()).contains(name(1));
    assertThat(core.nodes()).extracting(n -> n.writer()).containsExactly(false, true, false, false);

    // the same configuration and the same view: the same choice
    FakeNodes.Recorder other = new FakeNodes.Recorder();
    try (AutoCloseableCore second =
        new AutoCloseableCore(
            GaleraCore.open(s, "other", List.of(other), false, fakes.env, fakes))) {
      assertThat(second.core.writer()).isEqualTo(core.writer());
    }

    // a negative priority is never the writer, even when it is the only healthy node
    fakes.node(0).refused();
    fakes.node(1).refused();
    fakes.node(2).refused();
    check(0, 1);
    check(1, 1);
    check(2, 1);
    assertThat(core.nodes().get(3).state()).isEqualTo(NodeState.HEALTHY);
    assertThat(core.writer()).isEmpty();
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.RECOVERING);
  }

  @Test
  void aDeadWriterIsReplacedAtOnceAndTheConnectionsLentFromItAreAborted() throws Exception {
    openThree(b -> {});
    Connection held = core.getConnection();
    FakeNodes.FakeConnection raw = fakes.node(0).lent.get(0);
    fakes.node(0).timingOut();
    check(0, 1); // one miss: still the writer, but trouble began here
    assertThat(core.writer()).contains(name(0));

    fakes.node(0).refused();
    fakes.advance(Duration.ofMillis(300));
    check(0, 1);

    assertThat(core.writer()).contains(name(1));
    assertThat(raw.aborted).as("lent connection aborted").isTrue();
    writesFlow();
    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.from()).isEqualTo(name(0));
    assertThat(w.to()).isEqualTo(name(1));
    assertThat(w.reason()).contains("UNREACHABLE").contains("refused");
    assertThat(w.duration()).as("since the first miss").isEqualTo(Duration.ofMillis(300));
    held.close();
  }

  @Test
  void aSilentWriterIsLeftAsSoonAsTheOthersShowAPrimaryViewWithoutIt() throws Exception {
    openThree(b -> {});
    Connection held = core.getConnection();
    FakeNodes.FakeConnection raw = fakes.node(0).lent.get(0);
    fakes.node(0).timingOut();
    check(0, 1); // one miss of three
    assertThat(core.writer()).contains(name(0));

    // the next probe of node 0 hangs, holding its check lock, while the cluster evicts it
    CountDownLatch hanging = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fakes.node(0).beforeAnswer =
        () -> {
          hanging.countDown();
          try {
            release.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread probe = new Thread(() -> core.checkNow(0), "hanging-probe");
    probe.start();
    try {
      assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
      fakes.advance(Duration.ofMillis(400));
      fakes.node(1).inView(8, 2);
      fakes.node(2).inView(8, 2);
      check(1, 1);

      assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
      assertThat(core.nodes().get(0).detail()).contains("went on without it");
      assertThat(core.writer()).contains(name(1));
      assertThat(raw.aborted).as("lent connection aborted").isTrue();
    } finally {
      release.countDown();
      probe.join(10_000);
    }
    fakes.node(0).beforeAnswer = () -> {};
    writesFlow();
    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.from()).isEqualTo(name(0));
    assertThat(w.reason()).contains("went on without it");
    held.close();
  }

  @Test
  void whileTheWriterIsSilentTheOthersAreCheckedOftenUntilTheyShowItWasEvicted() throws Exception {
    // the monitor's own schedule is an hour: only the frequent checks can see the eviction
    openThree(b -> {});
    assertThat(Monitor.fastInterval(Duration.ofHours(1))).isEqualTo(Duration.ofMillis(50));
    assertThat(Monitor.fastInterval(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(10));
    fakes.node(0).timingOut();
    check(0, 1);
    int before = fakes.node(1).probes.get();
    fakes.advance(Duration.ofMillis(400));
    fakes.node(1).inView(8, 2);
    fakes.node(2).inView(8, 2);

    Waits.until(
        "node 1 as the writer",
        Duration.ofSeconds(20),
        Duration.ofMillis(10),
        () ->
            core.writer().equals(java.util.Optional.of(name(1)))
                ? Waits.Poll.done()
                : Waits.Poll.notYet("writer " + core.writer()));
    assertThat(fakes.node(1).probes.get()).isGreaterThan(before);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
  }

  @Test
  void aSilentWriterStaysTheWriterWhileTheOthersShowTheSameView() throws Exception {
    openThree(b -> {});
    fakes.node(0).timingOut();
    check(0, 2);
    fakes.advance(Duration.ofMillis(400));
    check(1, 1);
    check(2, 1);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.HEALTHY);
    assertThat(core.writer()).contains(name(0));
  }

  @Test
  void timeOutsMarkANodeDownOnlyAfterFallCountMisses() throws Exception {
    openThree(b -> {});
    fakes.node(0).timingOut();

    check(0, 2);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.HEALTHY);
    assertThat(core.writer()).contains(name(0));

    check(0, 1);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
    assertThat(core.writer()).contains(name(1));
  }

  @Test
  void aNodeIsHealthyAgainOnlyAfterRiseCountHealthyChecks() throws Exception {
    openThree(b -> b.failback(FailbackPolicy.IMMEDIATE));
    fakes.node(0).refused();
    check(0, 1);
    assertThat(core.writer()).contains(name(1));

    fakes.node(0).synced();
    check(0, 1);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.UNREACHABLE);
    assertThat(core.writer()).contains(name(1));

    check(0, 1);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.HEALTHY);
    assertThat(core.writer()).as("immediate failback").contains(name(0));
    assertThat(recorder.events)
        .filteredOn(GaleraEvent.NodeStateChanged.class::isInstance)
        .map(Object::toString)
        .contains("test: node " + name(0) + " UNREACHABLE -> HEALTHY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"desync", "reject_queries", "read_only"})
  void aWriterTakenOutByAnOperatorIsDrainedBeforeTheSwitch(String how) throws Exception {
    openThree(b -> {});
    Connection held = core.getConnection();
    FakeNodes.FakeConnection raw = fakes.node(0).lent.get(0);
    switch (how) {
      case "desync" -> fakes.node(0).desynced();
      case "reject_queries" -> fakes.node(0).rejectingQueries();
      default -> fakes.node(0).readOnly();
    }

    check(0, 1);
    assertThat(core.writer()).as("nothing new is lent while draining").isEmpty();
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.RECOVERING);
    check(1, 1);
    check(2, 1);
    assertThat(core.writer()).as("still draining").isEmpty();
    assertThat(raw.aborted).isFalse();

    fakes.advance(Duration.ofSeconds(2));
    held.close();

    assertThat(core.writer()).contains(name(1));
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.OPEN);
    assertThat(raw.aborted).isFalse();
    assertThat(fakes.node(0).softEvictions.get()).isPositive();
    writesFlow();
    GaleraEvent.WriterChanged w = recorder.writerChanges().get(1);
    assertThat(w.from()).isEqualTo(name(0));
    assertThat(w.reason())
        .contains(
            switch (how) {
              case "desync" -> "wsrep_desync = ON";
              case "reject_queries" -> "wsrep_reject_queries = ALL";
              default -> "read_only = ON";
            });
    assertThat(w.duration()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aDrainEndsAfterDrainTimeoutWithConnectionsStillBorrowed() throws Exception {
    openThree(b -> {});
    Connection held = core.getConnection();
    fakes.node(0).desynced();
    check(0, 1);

    fakes.advance(Duration.ofMillis(4999));
    check(1, 1);
    assertThat(core.writer()).isEmpty();

    fakes.advance(Duration.ofMillis(1));
    check(1, 1);
    assertThat(core.writer()).contains(name(1));
    writesFlow();
    assertThat(recorder.writerChanges().get(1).reason())
        .contains("1 connection(s) still borrowed after the drain");
    assertThat(fakes.node(0).lent.get(0).aborted)
        .as("a live node's session is left alone")
        .isFalse();
    held.close();
  }

  @Test
  void aWriterThatDiesWhileDrainedIsLeftAtOnce() throws Exception {
    openThree(b -> {});
    core.getConnection();
    fakes.node(0).desynced();
    check(0, 1);
    assertThat(core.writer()).isEmpty();

    fakes.node(0).refused();
    check(0, 1);

    assertThat(core.writer()).contains(name(1));
    assertThat(fakes.node(0).lent.get(0).aborted).isTrue();
  }

  @Test
  void aSingleTimeOutOfADrainedWriterDoesNotEndTheDrain() throws Exception {
    openThree(b -> {});
    Connection held = core.getConnection();
    fakes.node(0).desynced();
    check(0, 1);

    fakes.node(0).timingOut(); // busy with the backup it was desynced for
    check(0, 1);

    assertThat(core.writer()).as("still draining").isEmpty();
    assertThat(fakes.node(0).lent.get(0).aborted).isFalse();
    held.close();
    assertThat(core.writer()).contains(name(1));
  }

  @Test
  void immediateFailbackDrainsTheCurrentWriterFirst() throws Exception {
    openThree(b -> b.failback(FailbackPolicy.IMMEDIATE));
    fakes.node(0).refused();
    check(0, 1);
    Connection onSecond = core.getConnection();
    assertThat(fakes.node(1).lent).hasSize(1);

    fakes.node(0).synced();
    check(0, 2);
    assertThat(core.writer()).as("draining node 2 before the failback").isEmpty();

    onSecond.close();
    assertThat(core.writer()).contains(name(0));
    writesFlow();
    assertThat(recorder.writerChanges().get(2).reason()).contains("failback").contains("IMMEDIATE");
  }

  @Test
  void afterStableFailbackWaitsUntilTheBetterNodeWasHealthyForTheStableTime() throws Exception {
    openThree(b -> b.failback(FailbackPolicy.afterStable(Duration.ofSeconds(30))));
    fakes.node(0).refused();
    check(0, 1);
    fakes.node(0).synced();
    check(0, 2);
    assertThat(core.nodes().get(0).state()).isEqualTo(NodeState.HEALTHY);

    fakes.advance(Duration.ofSeconds(29));
    check(0, 1);
    assertThat(core.writer()).contains(name(1));

    fakes.advance(Duration.ofSeconds(1));
    check(0, 1);
    assertThat(core.writer()).contains(name(0));
    writesFlow();
    assertThat(recorder.writerChanges().get(2).reason()).contains("AFTER_STABLE");
  }

  @Test
  void neverFailbackKeepsAHealthyWriterButLeavesAnUnhealthyOneForTheBestNode() throws Exception {
    openThree(b -> b.failback(FailbackPolicy.NEVER));
    fakes.node(0).refused();
    check(0, 1);
    fakes.node(0).synced();
    check(0, 2);
    fakes.advance(Duration.ofHours(2));
    check(0, 3);
    check(1, 1);
    assertThat(core.writer()).as("NEVER keeps the healthy writer").contains(name(1));

    fakes.node(1).desynced();
    check(1, 1);
    assertThat(core.writer()).as("the best healthy node takes over").contains(name(0));
    assertThat(recorder.writerChanges())
        .extracting(GaleraEvent.WriterChanged::reason)
        .noneMatch(r -> r.contains("failback"));
  }

  @Test
  void startUpRetriesOnTheOsloScheduleThenNamesEveryNodeWithoutThePassword() {
    GaleraSettings s = settings(0, 0).build();

    GaleraConnectException e = catchThrowableOfType(() -> open(s), GaleraConnectException.class);

    assertThat(e).isInstanceOf(GiveUpException.class);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.elapsed()).isEqualTo(Duration.ofSeconds(20));
    assertThat(e.resource()).isEqualTo("Galera data source 'test'");
    assertThat(e.getMessage())
        .contains("after 3 attempt(s)")
        .contains("max_retries = 2")
        .contains(name(0))
        .contains(name(1))
        .contains("UNREACHABLE")
        .doesNotContain("S3cret-pw");
    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    assertThat(recorder.events)
        .filteredOn(GaleraEvent.NodeStateChanged.class::isInstance)
        .hasSize(2);
    assertThat(fakes.node(0).probes.get()).isEqualTo(3);
  }

  @Test
  void startUpFailsAtOnceWithoutRetryingWhenTlsVerificationFailsOnEveryNode() {
    GaleraSettings s = settings(0, 0).build();
    fakes.all.forEach(
        n -> n.answer = Probe.tlsFailed("TLS verification failed for " + n.name + " (fake)"));

    GaleraConnectException e = catchThrowableOfType(() -> open(s), GaleraConnectException.class);

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.getMessage())
        .contains("TLS verification failed on every node")
        .contains("not retried")
        .contains(name(0))
        .contains(name(1))
        .doesNotContain("S3cret-pw");
    assertThat(fakes.sleeps).isEmpty();
    assertThat(fakes.node(0).probes.get()).isEqualTo(1);
  }

  @Test
  void oneNodeFailingTlsWhileAnotherIsUnreachableIsRetriedAsUsual() {
    GaleraSettings s = settings(0, 0).build();
    fakes.node(0).answer = Probe.tlsFailed("TLS verification failed (fake)");

    GaleraConnectException e = catchThrowableOfType(() -> open(s), GaleraConnectException.class);

    assertThat(e.attempts()).isEqualTo(3);
    assertThat(fakes.sleeps).hasSize(2);
  }

  @Test
  void startUpSucceedsOnceANodeAnswers() throws Exception {
    GaleraSettings s = settings(0, 0).build();
    fakes.node(1).beforeAnswer =
        () -> {
          if (!fakes.sleeps.isEmpty()) {
            fakes.node(1).synced();
          }
        };

    open(s);

    assertThat(fakes.sleeps).containsExactly(Duration.ofSeconds(10));
    // it was seen unreachable first, so it needs rise_count healthy checks
    assertThat(core.writer()).isEmpty();
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.RECOVERING);
    check(1, 1);
    assertThat(core.writer()).contains(name(1));
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.OPEN);
  }

  @Test
  void closedCoreLendsNothing() throws Exception {
    openThree(b -> {});
    core.close();
    assertThat(core.state()).isEqualTo(GaleraDataSource.State.CLOSED);
    assertThat(core.writer()).isEmpty();
    assertThatThrownBy(core::getConnection)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("closed");
  }

  /** Closes a second core. */
  private record AutoCloseableCore(GaleraCore core) implements AutoCloseable {
    @Override
    public void close() {
      core.close();
    }
  }
}
