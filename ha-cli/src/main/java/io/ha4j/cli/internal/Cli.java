package io.ha4j.cli.internal;

import io.ha4j.config.ConfigException;
import io.ha4j.config.ConfigProblem;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Dispatches {@code ha4j <command>} and maps failures to exit codes without stack traces. */
public final class Cli {

  static final String USAGE =
      String.join(
          "\n",
          "usage: ha4j <command> [options]",
          "",
          "commands:",
          "  demo [--seconds S] [--json]",
          "           two local 3-node clusters, traffic through ha4j while nodes die; exit 0",
          "           only if no confirmed message and no committed row was lost",
          "  check [--json]",
          "           probe every RabbitMQ host and Galera node; exit 0 healthy, 1 degraded",
          "  config   print the effective configuration, each option with its source",
          "  amqp connect [--events]",
          "           connect to the configured RabbitMQ hosts on the retry schedule",
          "  amqp publish --queue Q --count N [--size BYTES] [--events]",
          "           publish N confirmed persistent messages (message_id 1..N) and report",
          "  amqp consume --queue Q --count N [--timeout S] [--events]",
          "           consume and acknowledge until ids 1..N were all received",
          "  db check [--json]",
          "           the writer ha4j chooses and every Galera node's wsrep state and role",
          "  db load [--threads T] [--seconds S] [--table NAME]",
          "           a bounded write workload through GaleraDataSource; commits, retries, errors",
          "  bench amqp [--messages N] [--window W] [--size BYTES] [--rounds R] [--kills K]",
          "           start a 3-node test-kit cluster; throughput and failover of ha4j vs",
          "           amqp-client measured in the same run (--no-throughput, --no-failover)",
          "  bench db [--threads T] [--seconds S] [--rounds R] [--kills K]",
          "           start a 3-node test-kit Galera cluster; throughput and writer failover of",
          "           GaleraDataSource vs HikariCP (writer URL / sequential URL), same run",
          "",
          "common options:",
          "  --config-file FILE   an oslo-style config file (repeatable, later wins)",
          "  --config-dir DIR     a directory of *.conf files, read in name order",
          "  --json               one JSON document instead of text",
          "",
          "exit codes: 0 ok, 1 failed, 2 bad input (flags or configuration)");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  /** A command line writing to the given streams, reading this environment. */
  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** Runs and returns the exit code. */
  public int run(String[] argv) {
    List<String> args = Arrays.asList(argv);
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      (args.isEmpty() ? err : out).println(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    try {
      switch (command) {
        case "config":
          return new ConfigCommand(out, err, env).run(rest);
        case "amqp":
          return new AmqpCommand(out, err, env).run(rest);
        case "db":
          return guarded("db", () -> new DbCommand(out, err, env).run(rest));
        case "check":
          return new CheckCommand(out, err, env).run(rest);
        case "demo":
          return guarded("demo", () -> new DemoCommand(out, err).run(rest));
        case "bench":
          return guarded("bench", () -> new BenchCommand(out, err).run(rest));
        default:
          throw new UsageException("unknown command '" + command + "'");
      }
    } catch (UsageException e) {
      err.println("ha4j: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (ConfigException e) {
      printProblems(err, e.problems());
      return 2;
    }
  }

  /** A command body that may throw anything; only usage errors propagate. */
  private interface Body {
    int run() throws Exception;
  }

  private int guarded(String name, Body body) {
    try {
      return body.run();
    } catch (UsageException | ConfigException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("ha4j: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("ha4j " + name + ": " + e);
      return 1;
    }
  }

  /** Prints problems one per line, errors first. */
  static void printProblems(PrintStream err, List<ConfigProblem> problems) {
    problems.stream().filter(ConfigProblem::isError).forEach(err::println);
    problems.stream().filter(p -> !p.isError()).forEach(err::println);
    long errors = problems.stream().filter(ConfigProblem::isError).count();
    if (errors > 0) {
      err.println(
          "ha4j: invalid configuration (" + errors + (errors == 1 ? " error)" : " errors)"));
    }
  }
}
