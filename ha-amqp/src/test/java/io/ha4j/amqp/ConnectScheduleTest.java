package io.ha4j.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.AmqpSettings.FailoverStrategy;
import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectScheduleTest {

  @Test
  void sleepsOnlyAfterAFullCycleAndGivesUpAfterMaxRetries() {
    RetrySettings retry =
        RetrySettings.builder()
            .interval(Duration.ofSeconds(1))
            .backoff(Duration.ofSeconds(2))
            .intervalMax(Duration.ofSeconds(30))
            .maxRetries(java.util.OptionalInt.of(5))
            .build();
    ConnectSchedule s = ConnectSchedule.of(retry, 2, FailoverStrategy.ROUND_ROBIN);
    List<Integer> hosts = new ArrayList<>();
    List<Optional<Duration>> sleeps = new ArrayList<>();
    Optional<Duration> next;
    do {
      hosts.add(s.host());
      next = s.failed();
      sleeps.add(next);
    } while (next.isPresent());

    assertThat(hosts).containsExactly(0, 1, 0, 1, 0, 1);
    assertThat(sleeps)
        .containsExactly(
            Optional.of(Duration.ZERO),
            Optional.of(Duration.ofSeconds(1)),
            Optional.of(Duration.ZERO),
            Optional.of(Duration.ofSeconds(3)),
            Optional.of(Duration.ZERO),
            Optional.empty());
    assertThat(s.attempt()).isEqualTo(6);
  }
}
