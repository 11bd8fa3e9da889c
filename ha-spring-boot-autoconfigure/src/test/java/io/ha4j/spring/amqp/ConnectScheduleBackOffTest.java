package io.ha4j.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.RetrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

class ConnectScheduleBackOffTest {

  @Test
  void followsKombusGridWithOslosDefaultsAndNeverStops() {
    BackOffExecution e = new ConnectScheduleBackOff(RetrySettings.ofDefaults()).start();
    List<Long> sleeps = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sleeps.add(e.nextBackOff());
    }
    assertThat(sleeps.subList(0, 17))
        .containsExactly(
            1000L, 3000L, 5000L, 7000L, 9000L, 11000L, 13000L, 15000L, 17000L, 19000L, 21000L,
            23000L, 25000L, 27000L, 29000L, 31000L, 31000L);
    assertThat(sleeps).doesNotContain(BackOffExecution.STOP);
  }

  @Test
  void ignoresTheAttemptLimitBecauseListenersRetryForever() {
    RetrySettings limited =
        RetrySettings.builder()
            .interval(Duration.ofSeconds(2))
            .backoff(Duration.ZERO)
            .build()
            .withMaxRetries(1);
    BackOffExecution e = new ConnectScheduleBackOff(limited).start();
    assertThat(List.of(e.nextBackOff(), e.nextBackOff(), e.nextBackOff()))
        .containsExactly(2000L, 2000L, 2000L);
  }

  @Test
  void eachStartIsANewTimetable() {
    ConnectScheduleBackOff b = new ConnectScheduleBackOff(RetrySettings.ofDefaults());
    BackOffExecution first = b.start();
    first.nextBackOff();
    first.nextBackOff();
    assertThat(b.start().nextBackOff()).isEqualTo(1000L);
  }
}
