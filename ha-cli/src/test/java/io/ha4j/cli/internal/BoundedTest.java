package io.ha4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedTest {

  /** A clock that only moves when the code under test sleeps. */
  private static final class FakeTime {
    final AtomicLong now = new AtomicLong(1_000);
    final List<Duration> sleeps = new ArrayList<>();
    final Bounded bounded =
        new Bounded(
            now::get,
            d -> {
              sleeps.add(d);
              now.addAndGet(d.toNanos());
            });
  }

  @Test
  void untilReturnsAtOnceWhenTheConditionHoldsWithoutSleeping() throws Exception {
    FakeTime t = new FakeTime();

    assertThat(t.bounded.until(() -> true, Duration.ofSeconds(60), Duration.ofMillis(5))).isTrue();
    assertThat(t.sleeps).isEmpty();
  }

  @Test
  void untilPollsUntilTheConditionHolds() throws Exception {
    FakeTime t = new FakeTime();
    AtomicInteger polls = new AtomicInteger();

    boolean held =
        t.bounded.until(
            () -> polls.incrementAndGet() == 4, Duration.ofSeconds(60), Duration.ofMillis(5));

    assertThat(held).isTrue();
    assertThat(t.sleeps)
        .containsExactly(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(5));
  }

  @Test
  void untilGivesUpAfterTheBoundWithTheLastSleepShortened() throws Exception {
    FakeTime t = new FakeTime();
    long start = t.now.get();

    boolean held = t.bounded.until(() -> false, Duration.ofMillis(12), Duration.ofMillis(5));

    assertThat(held).isFalse();
    assertThat(t.sleeps)
        .containsExactly(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(2));
    assertThat(Duration.ofNanos(t.now.get() - start)).isEqualTo(Duration.ofMillis(12));
  }

  @Test
  void untilSeesAConditionThatTurnsTrueAtTheDeadline() throws Exception {
    FakeTime t = new FakeTime();
    long deadline = t.now.get() + Duration.ofMillis(10).toNanos();

    boolean held =
        t.bounded.until(
            () -> t.now.get() >= deadline, Duration.ofMillis(10), Duration.ofMillis(10));

    assertThat(held).isTrue();
  }

  @Test
  void untilRejectsBadBoundsNamingThem() {
    FakeTime t = new FakeTime();

    assertThatThrownBy(
            () -> t.bounded.until(() -> true, Duration.ofSeconds(-1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bound must not be negative, was PT-1S");
    assertThatThrownBy(() -> t.bounded.until(() -> true, Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("poll must be positive, was PT0S");
    assertThatThrownBy(() -> t.bounded.until(() -> true, null, Duration.ofMillis(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bound");
  }

  @Test
  void joinReportsAThreadThatEndedInTime() throws Exception {
    Thread th = new Thread(() -> {});
    th.start();

    assertThat(Bounded.join(th, Duration.ofSeconds(60), Duration.ofSeconds(60)))
        .isEqualTo(Bounded.Joined.ENDED);
  }

  @Test
  void joinInterruptsAThreadStillRunningAfterTheBound() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread th =
        new Thread(
            () -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            });
    th.start();

    Bounded.Joined j = Bounded.join(th, Duration.ZERO, Duration.ofSeconds(60));

    assertThat(j).isEqualTo(Bounded.Joined.ENDED_WHEN_INTERRUPTED);
    assertThat(interrupted).isTrue();
  }

  @Test
  void joinReportsAThreadThatIgnoresTheInterruptAsStuck() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread th =
        new Thread(
            () -> {
              while (release.getCount() > 0) {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  // ignores interrupts, as a blocked socket write does
                }
              }
            });
    th.setDaemon(true);
    th.start();
    try {
      assertThat(Bounded.join(th, Duration.ZERO, Duration.ZERO)).isEqualTo(Bounded.Joined.STUCK);
    } finally {
      release.countDown();
      th.join(60_000);
    }
    assertThat(th.isAlive()).isFalse();
  }

  @Test
  void callReturnsTheResult() throws Exception {
    assertThat(Bounded.call("answer", Duration.ofSeconds(60), () -> 42)).isEqualTo(42);
  }

  @Test
  void callRethrowsWhatTheWorkThrew() {
    assertThatThrownBy(
            () ->
                Bounded.call(
                    "connect",
                    Duration.ofSeconds(60),
                    () -> {
                      throw new IOException("refused");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("refused");
  }

  @Test
  void callGivesUpAfterTheBoundNamingTheWorkAndInterruptsIt() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                Bounded.call(
                    "reading the output",
                    Duration.ofMillis(500),
                    () -> {
                      try {
                        never.await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                      return null;
                    }))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("reading the output did not finish within 500 ms");
    assertThat(interrupted.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }
}
