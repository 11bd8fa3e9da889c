package io.ha4j.cli;

import static io.ha4j.cli.ConfigCommandTest.ha4j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.ConfigCommandTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ha4j reference}: the timetables, compared with values worked out by hand from kombu's
 * {@code fxrange} grid and oslo.db's {@code wrap_db_retry}.
 */
class ReferenceCommandTest {

  private static Run run(String argLine) {
    return ha4j(argLine.split(" "));
  }

  private static List<String> lines(Run r) {
    assertThat(r.code()).as("exit code, stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.out().lines().toList();
  }

  @Test
  void amqpThreeHostsSleepOnlyAfterEachFullCycleOnTheGrid() {
    // interval 1, backoff 2, max 30: fxrange(1, 31, 2) = 1, 3, 5, ..., 31, then 31 again
    List<String> l =
        lines(
            run(
                "reference amqp-schedule --hosts 3 --retry-interval 1 --retry-backoff 2 --interval-max 30 --max-retries 9"));

    assertThat(l)
        .containsExactly(
            "{\"attempt\":1,\"host\":0,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":2,\"host\":1,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":3,\"host\":2,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":4,\"host\":0,\"sleep_s\":1,\"at_s\":1}",
            "{\"attempt\":5,\"host\":1,\"sleep_s\":0,\"at_s\":1}",
            "{\"attempt\":6,\"host\":2,\"sleep_s\":0,\"at_s\":1}",
            "{\"attempt\":7,\"host\":0,\"sleep_s\":3,\"at_s\":4}",
            "{\"attempt\":8,\"host\":1,\"sleep_s\":0,\"at_s\":4}",
            "{\"attempt\":9,\"host\":2,\"sleep_s\":0,\"at_s\":4}",
            "{\"attempt\":10,\"host\":0,\"sleep_s\":5,\"at_s\":9}",
            "{\"give_up\":true,\"attempts\":10,\"at_s\":9}");
  }

  @Test
  void amqpForeverIsOneLineEndingWithTheCycleThatRepeats() {
    // one host, interval 0.5, backoff 1.5, max 3: fxrange(0.5, 3.5, 1.5) = 0.5, 2, 3.5, 3.5, ...
    List<String> l =
        lines(
            run(
                "reference amqp-schedule --hosts 1 --retry-interval 0.5 --retry-backoff 1.5 --interval-max 3"));

    assertThat(l)
        .containsExactly(
            "{\"forever\":true,\"steps\":["
                + "{\"attempt\":1,\"host\":0,\"sleep_s\":0,\"at_s\":0},"
                + "{\"attempt\":2,\"host\":0,\"sleep_s\":0.5,\"at_s\":0.5},"
                + "{\"attempt\":3,\"host\":0,\"sleep_s\":2,\"at_s\":2.5},"
                + "{\"attempt\":4,\"host\":0,\"sleep_s\":3.5,\"at_s\":6}],"
                + "\"repeat_last\":1}");
  }

  @Test
  void amqpZeroMaxRetriesMeansForeverAsInOslo() {
    List<String> l = lines(run("reference amqp-schedule --hosts 2 --max-retries 0"));

    assertThat(l)
        .singleElement()
        .asString()
        .startsWith("{\"forever\":true,")
        .endsWith(",\"repeat_last\":2}");
  }

  @Test
  void dbDefaultsDoubleFromOneUpToTenForTwentyRetries() {
    List<String> l = lines(run("reference db-retry"));

    assertThat(l).hasSize(22);
    assertThat(l.subList(0, 6))
        .containsExactly(
            "{\"attempt\":1,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":2,\"after\":\"connection\",\"sleep_s\":1,\"jitter\":false,\"at_s\":1}",
            "{\"attempt\":3,\"after\":\"connection\",\"sleep_s\":2,\"jitter\":false,\"at_s\":3}",
            "{\"attempt\":4,\"after\":\"connection\",\"sleep_s\":4,\"jitter\":false,\"at_s\":7}",
            "{\"attempt\":5,\"after\":\"connection\",\"sleep_s\":8,\"jitter\":false,\"at_s\":15}",
            "{\"attempt\":6,\"after\":\"connection\",\"sleep_s\":10,\"jitter\":false,\"at_s\":25}");
    // 1 + 2 + 4 + 8 + 16 × 10
    assertThat(l.get(21)).isEqualTo("{\"give_up\":true,\"attempts\":21,\"at_s\":175}");
  }

  @Test
  void dbDeadlockJittersTheSleepComputedAtItAndPrintsTheBound() {
    List<String> l =
        lines(run("reference db-retry --db-max-retries 3 --failures deadlock,connection"));

    assertThat(l)
        .containsExactly(
            "{\"attempt\":1,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":2,\"after\":\"deadlock\",\"sleep_s\":1,\"jitter\":false,\"at_s\":1}",
            "{\"attempt\":3,\"after\":\"connection\",\"sleep_s\":2,\"jitter\":true,\"at_s\":3}",
            "{\"attempt\":4,\"after\":\"connection\",\"sleep_s\":4,\"jitter\":false,\"at_s\":7}",
            "{\"give_up\":true,\"attempts\":4,\"at_s\":7}");
  }

  @Test
  void dbNotIncrementalForeverAndAKindThatIsNotRetried() {
    List<String> forever =
        lines(
            run(
                "reference db-retry --no-db-inc-retry-interval --db-retry-interval 0.25 --db-max-retries -1"));
    List<String> other =
        lines(run("reference db-retry --failures node-not-ready,lock-wait-timeout"));
    List<String> lockWaitRetried =
        lines(
            run(
                "reference db-retry --db-max-retries 1 --failures lock-wait-timeout --retry-lock-wait-timeout"));

    assertThat(forever)
        .containsExactly(
            "{\"forever\":true,\"steps\":[{\"attempt\":1,\"sleep_s\":0,\"at_s\":0},"
                + "{\"attempt\":2,\"after\":\"connection\",\"sleep_s\":0.25,\"jitter\":false,"
                + "\"at_s\":0.25},"
                + "{\"attempt\":3,\"after\":\"connection\",\"sleep_s\":0.25,\"jitter\":false,"
                + "\"at_s\":0.5}],\"repeat_last\":1}");
    assertThat(other)
        .containsExactly(
            "{\"attempt\":1,\"sleep_s\":0,\"at_s\":0}",
            "{\"attempt\":2,\"after\":\"node-not-ready\",\"sleep_s\":1,\"jitter\":false,\"at_s\":1}",
            "{\"give_up\":true,\"attempts\":2,\"at_s\":1}");
    assertThat(lockWaitRetried).hasSize(3).last().asString().contains("\"attempts\":2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "reference|ha4j reference needs a subcommand: amqp-schedule or db-retry",
        "reference amqp-schedule|option '--hosts' is required",
        "reference amqp-schedule --hosts 0|option '--hosts' must be a positive integer, was '0'",
        "reference amqp-schedule --hosts 2 --retry-interval -1|option '--retry-interval' must be a"
            + " number of seconds, was '-1'",
        "reference db-retry --failures deadlock,boom|--failures: unknown kind 'boom'",
        "reference db-retry --db-max-retry-interval x|option '--db-max-retry-interval' must be a"
            + " number of seconds, was 'x'"
      })
  void badInputExitsTwoWithOneLine(String argLine, String message) {
    Run r = ha4j(argLine.split(" "));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("ha4j: ").contains(message));
  }

  @Test
  void helpDescribesTheFormat() {
    Run amqp = run("reference amqp-schedule --help");
    Run db = run("reference db-retry --help");

    assertThat(amqp.code()).isZero();
    assertThat(amqp.out())
        .startsWith("Usage: ha4j reference amqp-schedule")
        .contains("--hosts=N", "repeat_last", "(default: 30)");
    assertThat(db.out())
        .startsWith("Usage: ha4j reference db-retry")
        .contains("--[no-]db-inc-retry-interval", "jitter", "(default: 20)");
  }
}
