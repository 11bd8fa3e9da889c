package io.ha4j.amqp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void defaultsSleepOnKombusGridUpToThirtyOneSeconds() {
    RetrySchedule s = schedule(RetrySettings.ofDefaults(), 1);

    List<Long> sleeps = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sleeps.add(s.failed().orElseThrow().toMillis() / 1000);
    }

    assertThat(sleeps)
        .containsExactly(
            1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L, 21L, 23L, 25L, 27L, 29L, 31L, 31L, 31L,
            31L, 31L);
  }

  @Test
  void threeRefusingHostsWithFiveRetriesAreTriedTwiceOneSecondApartThenGivenUp() {
    RetrySchedule s = schedule(RetrySettings.ofDefaults().withMaxRetries(5), 3);

    List<String> timeline = timeline(s, 100);

    assertThat(timeline)
        .containsExactly("0@0", "1@0", "2@0", "0@1000", "1@1000", "2@1000", "gave up");
  }

  @Test
  void fourteenRetriesStartCyclesAtZeroOneFourNineSixteenSeconds() {
    RetrySchedule s = schedule(RetrySettings.ofDefaults().withMaxRetries(14), 3);

    List<String> timeline = timeline(s, 100);

    assertThat(timeline).hasSize(16);
    assertThat(timeline.subList(0, 15))
        .filteredOn(e -> e.startsWith("0@"))
        .containsExactly("0@0", "0@1000", "0@4000", "0@9000", "0@16000");
    assertThat(timeline.get(15)).isEqualTo("gave up");
  }

  @Test
  void aSingleHostSleepsAfterEveryFailure() {
    RetrySchedule s = schedule(RetrySettings.ofDefaults().withMaxRetries(3), 1);

    assertThat(timeline(s, 10)).containsExactly("0@0", "0@1000", "0@4000", "0@9000", "gave up");
  }

  @Test
  void nRetriesAllowNPlusOneAttempts() {
    for (int n = 1; n <= 7; n++) {
      RetrySchedule s = schedule(RetrySettings.ofDefaults().withMaxRetries(n), 3);
      assertThat(timeline(s, 100)).hasSize(n + 2); // n + 1 attempts and the give-up
    }
  }

  @Test
  void zeroIntervalIsTreatedAsOneSecondAsOsloDoes() {
    RetrySettings r =
        new RetrySettings(
            Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(30), OptionalInt.empty());
    RetrySchedule s = schedule(r, 1);

    assertThat(s.failed()).contains(Duration.ofSeconds(1));
    assertThat(s.failed()).contains(Duration.ofSeconds(3));
  }

  @Test
  void startsAtTheRequestedHostAndWrapsAround() {
    RetrySchedule s =
        new RetrySchedule(
            RetrySettings.ofDefaults(), 3, FailoverStrategy.ROUND_ROBIN, 2, bound -> 0);

    assertThat(s.host()).isEqualTo(2);
    s.failed();
    assertThat(s.host()).isZero();
  }

  @Test
  void shufflePicksEveryNextHostAtRandomWithReplacement() {
    int[] picks = {2, 2, 0, 1};
    int[] i = {0};
    RetrySchedule s =
        new RetrySchedule(
            RetrySettings.ofDefaults(), 3, FailoverStrategy.SHUFFLE, 0, bound -> picks[i[0]++]);

    List<Integer> hosts = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      s.failed();
      hosts.add(s.host());
    }

    assertThat(hosts).containsExactly(2, 2, 0, 1);
  }

  @Test
  void fractionalStepsAccumulateAsPythonFloatsDo() {
    RetrySettings r =
        new RetrySettings(
            Duration.ofMillis(100),
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            OptionalInt.empty());
    RetrySchedule s = schedule(r, 1);

    List<Duration> sleeps = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      sleeps.add(s.failed().orElseThrow());
    }

    // Python: 0.1, 0.2, 0.30000000000000004, 0.4, then 0.5 > 0.4, so 0.4 repeats.
    assertThat(sleeps)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofMillis(400),
            Duration.ofMillis(400),
            Duration.ofMillis(400));
  }

  private static RetrySchedule schedule(RetrySettings r, int hosts) {
    return new RetrySchedule(r, hosts, FailoverStrategy.ROUND_ROBIN, 0, bound -> 0);
  }

  /** "host@ms" per attempt on a virtual clock, then "gave up". */
  private static List<String> timeline(RetrySchedule s, int limit) {
    List<String> out = new ArrayList<>();
    long t = 0;
    for (int k = 0; k < limit; k++) {
      out.add(s.host() + "@" + t);
      Optional<Duration> sleep = s.failed();
      if (sleep.isEmpty()) {
        out.add("gave up");
        return out;
      }
      t += sleep.get().toMillis();
    }
    return out;
  }
}
