package io.ha4j.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.jdbc.DbRetryTimetable.Retry;
import io.ha4j.jdbc.GaleraErrors.Kind;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DbRetryTimetableTest {

  @Test
  void defaultsSleepOneTwoFourEightThenTheCapUntilTwentyRetries() {
    List<Retry> r =
        DbRetryTimetable.of(
            DbRetrySettings.ofDefaults(), Collections.nCopies(30, Kind.CONNECTION_LOST), false);

    assertThat(r).hasSize(20);
    assertThat(r.stream().map(x -> x.sleep().toSeconds()).limit(6))
        .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    assertThat(r.get(0).attempt()).isEqualTo(2);
    assertThat(r.get(19).attempt()).isEqualTo(21);
    assertThat(r).noneMatch(Retry::jittered);
  }

  @Test
  void aDeadlockJittersTheFollowingSleepAndGivesItsBound() {
    List<Retry> r =
        DbRetryTimetable.of(
            DbRetrySettings.ofDefaults(),
            List.of(Kind.DEADLOCK, Kind.CONNECTION_LOST, Kind.CONNECTION_LOST),
            false);

    assertThat(r)
        .containsExactly(
            new Retry(2, Kind.DEADLOCK, Duration.ofSeconds(1), false),
            new Retry(3, Kind.CONNECTION_LOST, Duration.ofSeconds(2), true),
            new Retry(4, Kind.CONNECTION_LOST, Duration.ofSeconds(4), false));
  }

  @Test
  void stopsAtAFailureThatIsNotRetried() {
    DbRetrySettings s =
        DbRetrySettings.builder().incremental(false).maxRetries(OptionalInt.of(5)).build();
    List<Kind> failures = List.of(Kind.NODE_NOT_READY, Kind.LOCK_WAIT_TIMEOUT, Kind.DEADLOCK);

    assertThat(DbRetryTimetable.of(s, failures, false)).hasSize(1);
    assertThat(DbRetryTimetable.of(s, failures, true))
        .extracting(Retry::sleep)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(DbRetryTimetable.of(s, List.of(Kind.OTHER), true)).isEmpty();
  }
}
