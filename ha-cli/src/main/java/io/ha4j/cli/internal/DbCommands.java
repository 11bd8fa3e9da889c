package io.ha4j.cli.internal;

import static io.ha4j.cli.internal.Commands.EXIT_CODES;

import io.ha4j.cli.internal.Commands.ConfigSources;
import io.ha4j.cli.internal.Commands.Group;
import io.ha4j.cli.internal.Commands.Help;
import io.ha4j.cli.internal.Commands.Positive;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha4j db check|load}: flags and help; {@link DbCommand} does the work. */
final class DbCommands {

  private DbCommands() {}

  @Command(
      name = "db",
      description = "Drive ha4j's Galera data source (GaleraDataSource).",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Db extends Group {
    @Override
    String missing() {
      return "ha4j db needs a subcommand: check or load";
    }
  }

  @Command(
      name = "check",
      description = {
        "Show the writer ha4j chooses and every Galera node's wsrep state and role.",
      },
      footer = "%nExit codes: 0 healthy, 1 degraded, 2 bad input (flags or configuration).")
  static final class DbCheck implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    // accepted as before (one flag set for both db subcommands); check does not use them
    @Option(names = "--threads", hidden = true)
    String threads;

    @Option(names = "--seconds", hidden = true)
    String seconds;

    @Option(names = "--table", hidden = true)
    String table;

    DbCheck(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
      return new DbCommand(io).check(sources, json);
    }
  }

  @Command(
      name = "load",
      description = {
        "A bounded write workload through GaleraDataSource; commits, retries, errors.",
        "%nRun a bounded write workload through GaleraDataSource: each transaction inserts one row"
            + " with a unique id and adds one to a shared hot row. Prints commits, rows (counted"
            + " afterwards), retries by reason, errors (failures that reached the caller) and"
            + " writer_changes as JSON; exit 0 only when errors is 0 and rows equals commits."
      },
      footer = EXIT_CODES)
  static final class DbLoad implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(
        names = "--threads",
        paramLabel = "T",
        defaultValue = "4",
        converter = Positive.class,
        description = "Writer threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "30",
        converter = Positive.class,
        description = "How long to write (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--table",
        paramLabel = "NAME",
        defaultValue = "ha4j_load",
        description = "The table, created if missing (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--json", hidden = true, description = "Accepted; output is JSON already.")
    boolean json;

    DbLoad(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
      return new DbCommand(io).load(sources, threads, seconds, table);
    }
  }
}
