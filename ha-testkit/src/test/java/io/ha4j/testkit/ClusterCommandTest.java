package io.ha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ClusterCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|missing kind",
        "rabbit|missing command",
        "kafka up|kind must be rabbit or galera, was 'kafka'",
        "rabbit explode|unknown command 'explode'",
        "rabbit kill|kill needs a node number",
        "rabbit kill two|node must be a number, was 'two'",
        "galera up --nodes 12|--nodes must be between 1 and 9, was 12",
        "galera up --nodes|--nodes needs a value",
        "galera up --colour red|unknown option --colour",
        "galera up --name a/b|--name must be",
        "galera status extra|unexpected argument 'extra'",
        "galera up --evs-suspect 2s|--evs-suspect and --evs-inactive must be given together",
        "galera up --evs-suspect 2 --evs-inactive 4s|--evs-suspect must be a duration such as 2s",
        "galera up --evs-suspect 0.5s --evs-inactive 4s|"
            + "--evs-suspect 500ms --evs-inactive 4000ms: evs.suspect_timeout must be at least PT1S",
        "galera up --evs-suspect 4s --evs-inactive 2s|"
            + "evs.inactive_timeout must be longer than evs.suspect_timeout (PT4S), was PT2S",
        "rabbit up --evs-suspect 2s --evs-inactive 4s|apply to 'galera up' only",
        "galera kill 1 --evs-suspect 2s --evs-inactive 4s|apply to 'galera up' only"
      })
  void badArgumentsExitWithTwoAndOneLineSayingWhatIsWrong(String argLine, String message) {
    String[] args = argLine.isEmpty() ? new String[0] : argLine.split(" ");

    int code = run(args);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("cluster: ").contains(message))
        .satisfies(l -> assertThat(l).endsWith("(see 'cluster --help')"));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"--help", "-h", "rabbit up --help", "galera kill 1 -h"})
  void helpPrintsTheUsageOnStdoutAndStartsNothing(String argLine) {
    int code = run(argLine.split(" "));

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("usage: cluster rabbit|galera up")
        .contains("--nodes N")
        .contains("isolate N")
        .contains("exit codes: 0 ok, 1 the operation failed, 2 bad arguments");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"2s,2000", "1.5s,1500", "1500ms,1500", "1m,60000"})
  void evsDurationsAcceptSecondsMillisecondsAndMinutes(String arg, long millis) {
    assertThat(ClusterCommand.Args.durationArg("--evs-suspect", arg).toMillis()).isEqualTo(millis);
  }

  @Test
  void helpDescribesTheEvsOptions() {
    run("--help");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("cluster galera up [--evs-suspect DURATION --evs-inactive DURATION]")
        .contains("evs.suspect_timeout");
  }

  @Test
  void commandsOnAClusterThatDoesNotExistFailWithOneAndNameTheDirectory(@TempDir Path dir) {
    int status = run("galera", "status", "--name", "nothere", "--dir", dir.toString());
    int kill = run("rabbit", "kill", "1", "--name", "nothere", "--dir", dir.toString());
    int down = run("rabbit", "down", "--name", "nothere", "--dir", dir.toString());

    assertThat(status).isEqualTo(1);
    assertThat(kill).isEqualTo(1);
    assertThat(down).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no galera cluster in " + dir.resolve("galera-nothere"))
        .contains("no rabbit cluster named nothere");
  }
}
