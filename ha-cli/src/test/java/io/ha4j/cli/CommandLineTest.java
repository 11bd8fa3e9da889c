package io.ha4j.cli;

import static io.ha4j.cli.ConfigCommandTest.ha4j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.ConfigCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flags, help, version and exit codes of the command line, without any server. */
class CommandLineTest {

  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Run r = ha4j("--help");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("Usage: ha4j <command> [options]")
        .contains("config", "check", "amqp", "db", "demo", "bench")
        .contains("-V, --version")
        .contains("Exit codes: 0 ok, 1 the operation failed or the cluster is unusable, 2 bad");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "config --help|Usage: ha4j config|--config-file=FILE",
        "check -h|Usage: ha4j check|--config-dir=DIR",
        "amqp --help|Usage: ha4j amqp|publish",
        "amqp publish --help|Usage: ha4j amqp publish|--queue=Q",
        "amqp consume --help|Usage: ha4j amqp consume|--timeout=S",
        "amqp connect --help|Usage: ha4j amqp connect|--events",
        "db load --help|Usage: ha4j db load|--threads=T",
        "db check --help|Usage: ha4j db check|--json",
        "demo --help|Usage: ha4j demo|--seconds=S",
        "soak --help|Usage: ha4j soak|--minutes=M",
        "bench db --help|Usage: ha4j bench db|--no-failover",
        "bench amqp --help|Usage: ha4j bench amqp|--window=W",
        "bench amqp --help|Usage: ha4j bench amqp|--queue-type=TYPE",
        "bench rpc --help|Usage: ha4j bench rpc|--seconds=S",
        "bench markers --help|Usage: ha4j bench markers|--threads=T"
      })
  void everyCommandPrintsItsOwnUsage(String argLine, String start, String option) {
    Run r = ha4j(argLine.split(" "));

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith(start).contains(option).contains("-h, --help");
  }

  @Test
  void commandHelpShowsDefaultsAndHidesCompatibilityFlags() {
    Run load = ha4j("db", "load", "--help");
    Run connect = ha4j("amqp", "connect", "--help");

    assertThat(load.out()).contains("(default: 4)").contains("(default: ha4j_load)");
    assertThat(connect.out()).doesNotContain("--queue").doesNotContain("--count");
  }

  @Test
  void versionPrintsTheBuildVersion() {
    Run r = ha4j("--version");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines().findFirst().orElse(""))
        .matches("ha4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(r.out()).contains("Java ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "config --foo|unknown option '--foo' (see 'ha4j config --help')",
        "check --jsn|unknown option '--jsn', did you mean '--json'? (see 'ha4j check --help')",
        "db load --threads 0|option '--threads' must be a positive integer, was '0' (see 'ha4j db"
            + " load --help')",
        "db load --seconds x|option '--seconds' must be a positive integer, was 'x'",
        "amqp publish --count 3|option '--queue' is required (see 'ha4j amqp publish --help')",
        "amqp consume --queue q --count|option '--count' needs a value",
        "amqp publish --queue '' --count 1|--queue is required",
        "amqp|ha4j amqp needs a subcommand: connect, publish or consume (see 'ha4j amqp --help')",
        "amqp fly|unknown amqp subcommand 'fly' (see 'ha4j amqp --help')",
        "db|ha4j db needs a subcommand: check or load",
        "bench|ha4j bench needs a subject: amqp, db, instances, markers or rpc (see 'ha4j bench --help')",
        "bench kafka|unknown bench subcommand 'kafka'",
        "frobnicate|unknown command 'frobnicate' (see 'ha4j --help')",
        "config extra|unexpected argument 'extra' (see 'ha4j config --help')",
        "demo --seconds 10|--seconds must be at least 20 (the fault timetable needs it)",
        "demo --seconds=-3|option '--seconds' must be a positive integer, was '-3'",
        "soak|option '--minutes' is required (see 'ha4j soak --help')",
        "soak --minutes 0|option '--minutes' must be a number of minutes above 0 and at most 1440,"
            + " was '0'",
        "soak --minutes 2 --seed x|option '--seed' must be an integer, was 'x'",
        "soak --minutes 2 --instances 0|option '--instances' must be a positive integer, was '0'",
        "soak --minutes 2 --instances 21|--instances must be at most 20, was 21",
        "bench amqp --window 1.5|option '--window' must be a positive integer, was '1.5'",
        "bench amqp --queue-type stream|option '--queue-type' must be quorum, classic or both,"
            + " was 'stream'",
        "bench rpc --seconds 0|option '--seconds' must be a positive integer, was '0'",
        "bench rpc --callers 4|unknown option '--callers'",
        "bench markers --rounds 0|option '--rounds' must be a positive integer, was '0'",
        "bench db --faults kill,reboot|option '--faults' must be one or more of kill, stop,"
            + " isolate separated by commas, was 'reboot'",
        "bench db --evs-suspect 2|option '--evs-suspect' must be a duration such as 2s, 1.5s,"
            + " 1500ms or 1m, was '2'",
        "bench db --evs-inactive 4s|--evs-suspect and --evs-inactive must be given together",
        "bench db --evs-suspect 500ms --evs-inactive 4s|--evs-suspect 500ms --evs-inactive 4000ms:"
            + " evs.suspect_timeout must be at least",
        "db load --table a;b|--table must be a plain table name, was 'a;b'"
      })
  void badInputExitsTwoWithOneLineOnStderr(String argLine, String message) {
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

  @Test
  void soakHelpStatesTheExitRule() {
    Run r = ha4j("soak", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("--seed=S", "--instances=N", "--json")
        .contains(
            "0 when no confirmed message and no committed row was lost, no row is duplicated, no"
                + " commit outcome reached a caller as unknown, every fault recovered, and the"
                + " JVM's threads and open file descriptors came back within 5 and 10");
  }

  @Test
  void noArgumentsPrintTheUsageOnStderrAndExitTwo() {
    Run r = ha4j();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: ha4j <command> [options]").contains("Commands:");
  }

  @Test
  void flagsAcceptedBeforeStayAccepted() throws IOException {
    Path conf = Files.writeString(dir.resolve("a.conf"), "[DEFAULT]\n");

    // one flag set for both db subcommands, as before: check accepts the load flags
    Run dbCheck =
        ha4j("db", "check", "--config-file", conf.toString(), "--threads", "2", "--table", "t");
    // --name=value and a repeated flag (the last one wins)
    Run config =
        ha4j("config", "--config-file=" + conf, "--json", "--json", "--config-dir", dir.toString());

    assertThat(dbCheck.code()).isEqualTo(2);
    assertThat(dbCheck.err())
        .isEqualToIgnoringNewLines(
            "ha4j: no database configured: set [database] connection (and [galera] nodes)"
                + " (see 'ha4j db check --help')");
    assertThat(config.code()).isZero();
    assertThat(ConfigCommandTest.json(config.out())).containsKeys("DEFAULT", "resolved");
  }

  @Test
  void anArgumentStartingWithAtIsAFileNameNotAnArgumentFile() throws IOException {
    Path args = Files.writeString(dir.resolve("args"), "--json\n");

    Run r = ha4j("config", "--config-file", "@" + args);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("@" + args + ": config file not found");
  }

  @Test
  void invalidConfigurationStillPrintsEveryProblemAndExitsTwo() throws IOException {
    Path conf =
        Files.writeString(
            dir.resolve("bad.conf"),
            "[oslo_messaging_rabbit]\nrabbit_retry_interval = soon\nheartbeat_rate = many\n");

    Run r = ha4j("check", "--config-file", conf.toString(), "--json");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(conf + ":2").contains(conf + ":3").contains("(2 errors)");
  }
}
