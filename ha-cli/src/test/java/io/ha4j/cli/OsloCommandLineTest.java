package io.ha4j.cli;

import static io.ha4j.cli.ConfigCommandTest.ha4j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.ConfigCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Help and bad input of {@code ha4j rpc} and {@code ha4j notify}, without any server. */
class OsloCommandLineTest {

  @Test
  void rootHelpListsTheNewCommands() {
    Run r = ha4j("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("rpc", "notify", "reference");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rpc --help|Usage: ha4j rpc|serve",
        "rpc serve --help|Usage: ha4j rpc serve|whoami()",
        "rpc call --help|Usage: ha4j rpc call|KWARGS-JSON",
        "notify --help|Usage: ha4j notify|listen",
        "notify send --help|Usage: ha4j notify send|--publisher-id=ID",
        "notify listen --help|Usage: ha4j notify listen|--count=N",
        "reference --help|Usage: ha4j reference|amqp-schedule"
      })
  void everyCommandPrintsItsOwnUsage(String argLine, String start, String option) {
    Run r = ha4j(argLine.split(" "));

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith(start)
        .contains(option)
        .contains("-h, --help")
        .contains("Exit codes: 0 ok");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rpc|ha4j rpc needs a subcommand: serve or call (see 'ha4j rpc --help')",
        "notify|ha4j notify needs a subcommand: send or listen",
        "rpc serve|option '--topic' is required (see 'ha4j rpc serve --help')",
        "rpc serve --topic ''|--topic must not be empty",
        "rpc call --topic t|option 'METHOD' needs a value",
        "rpc call --topic t add [1,2]|KWARGS-JSON must be a JSON object, was '[1,2]'",
        "rpc call --topic t add {a:|KWARGS-JSON is not valid JSON: '{a:'",
        "rpc call --topic t --cast --fanout ping|--fanout and --cast exclude each other",
        "rpc call --topic t --timeout 0 ping|option '--timeout' must be a number of seconds above 0,"
            + " was '0'",
        "rpc call --topic t --retry x ping|option '--retry' 'x' is not an int",
        "notify send --topic t --priority loud --event-type e --publisher-id p|option"
            + " '--priority' must be one of audit, debug, info, warn, error, critical, sample, was"
            + " 'loud'",
        "notify send --topic t --priority info --publisher-id p|option '--event-type' is"
            + " required",
        "notify send --topic t --priority info --event-type e --publisher-id p --payload {|"
            + "--payload is not valid JSON",
        "notify listen --topic t --count 0|option '--count' must be a positive integer, was '0'",
        "notify listen --topic t --timeout -2|option '--timeout' must be a number of seconds,"
            + " was '-2'"
      })
  void badInputExitsTwoWithOneLineAndTouchesNoBroker(String argLine, String message) {
    String[] args =
        java.util.Arrays.stream(argLine.split(" "))
            .map(a -> a.equals("''") ? "" : a)
            .toArray(String[]::new);

    Run r = ha4j(args);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("ha4j: ").contains(message));
  }
}
