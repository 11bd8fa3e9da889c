package io.ha4j.cli.internal;

import io.ha4j.config.HaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The command tree of {@code ha4j}: every command, subcommand and flag with its help text. Each
 * command object only holds its parsed flags and hands them to the class that does the work.
 */
final class Commands {

  private Commands() {}

  static final String EXIT_CODES =
      "%nExit codes: 0 ok, 1 the operation failed or the cluster is unusable, 2 bad input"
          + " (flags or configuration).";

  /** The tree, its commands bound to the given streams and environment. */
  static CommandLine commandLine(Io io) {
    CommandLine root = new CommandLine(new Root());
    root.addSubcommand(new CommandLine(new Config(io)));
    root.addSubcommand(new CommandLine(new Check(io)));
    root.addSubcommand(
        new CommandLine(new Amqp())
            .addSubcommand(new AmqpConnect(io))
            .addSubcommand(new AmqpPublish(io))
            .addSubcommand(new AmqpConsume(io)));
    root.addSubcommand(
        new CommandLine(new Db()).addSubcommand(new DbCheck(io)).addSubcommand(new DbLoad(io)));
    root.addSubcommand(new CommandLine(new Demo(io)));
    root.addSubcommand(
        new CommandLine(new Bench())
            .addSubcommand(new BenchAmqp(io))
            .addSubcommand(new BenchDb(io)));
    layout(root);
    return root;
  }

  /** The same headings everywhere: a blank line before each part. */
  private static void layout(CommandLine cl) {
    cl.getCommandSpec()
        .usageMessage()
        .descriptionHeading("%n")
        .optionListHeading("%nOptions:%n")
        .commandListHeading("%nCommands:%n");
    cl.getSubcommands().values().forEach(Commands::layout);
  }

  // ------------------------------------------------------------------ shared options

  /** {@code -h}/{@code --help} on every command. */
  static final class Help {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;
  }

  /**
   * {@code --config-file} and {@code --config-dir}: read in the order given on the command line,
   * files and directories interleaved, a later one winning (as oslo.config).
   */
  static final class ConfigSources {
    private final List<Path> sources = new ArrayList<>();
    private final List<Boolean> isDir = new ArrayList<>();

    @Option(
        names = "--config-file",
        paramLabel = "FILE",
        description = "An oslo-style config file (repeatable; a later one wins).")
    void configFile(String file) {
      sources.add(Path.of(file));
      isDir.add(false);
    }

    @Option(
        names = "--config-dir",
        paramLabel = "DIR",
        description = "A directory of *.conf files, read in name order (repeatable).")
    void configDir(String dir) {
      sources.add(Path.of(dir));
      isDir.add(true);
    }

    /** The configuration from the environment, system properties and the sources, in order. */
    HaConfig load(Map<String, String> env) {
      HaConfig.Loader loader = HaConfig.loader().environment(env).systemProperties();
      for (int i = 0; i < sources.size(); i++) {
        if (isDir.get(i)) {
          loader.configDir(sources.get(i));
        } else {
          loader.configFile(sources.get(i));
        }
      }
      return loader.load();
    }
  }

  /** A positive {@code int}; names the bad value otherwise. */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("must be a positive integer, was '" + value + "'");
    }
  }

  /** The build's version, from {@code version.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "ha4j " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = Commands.class.getResourceAsStream("/io/ha4j/cli/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // no version file: a build from an IDE
      }
      return p.getProperty("version", "unknown");
    }
  }

  /** A command with subcommands, run without one. */
  abstract static class Group implements Callable<Integer> {
    @Mixin Help help;

    abstract String missing();

    @Override
    public Integer call() {
      throw new UsageException(missing());
    }
  }

  // ------------------------------------------------------------------ ha4j

  @Command(
      name = "ha4j",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      customSynopsis = "ha4j <command> [options]",
      description = {
        "Client-side high availability for RabbitMQ and MariaDB Galera: inspect an oslo-style"
            + " configuration, probe the clusters it names, drive ha4j's connection factory and"
            + " data source, or watch them survive node failures on local test clusters."
      },
      commandListHeading = "%nCommands:%n",
      optionListHeading = "%nOptions:%n",
      footer = {
        "%nMost commands take --config-file FILE (repeatable, later wins), --config-dir DIR and"
            + " --json (one JSON document instead of text). 'ha4j <command> --help' shows a"
            + " command's options.",
        EXIT_CODES
      })
  static final class Root implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UsageException("missing command");
    }
  }

  // ------------------------------------------------------------------ config, check

  @Command(
      name = "config",
      description = {
        "Print the effective configuration, each option with its source.",
        "%nPrint the effective configuration: every option ha4j reads with its value and source"
            + " (file:line, default, env:NAME, property:NAME, url), then the resolved AMQP hosts,"
            + " virtual host, max retries and Galera nodes. Passwords are shown as ***. Warnings"
            + " go to stderr; invalid input gives one line per problem and exit code 2."
      },
      footer = EXIT_CODES)
  static final class Config implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    Config(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return new ConfigCommand(io).run(sources, json);
    }
  }

  @Command(
      name = "check",
      description = {
        "Probe every RabbitMQ host and Galera node; exit 0 healthy, 1 degraded.",
        "%nProbe every configured RabbitMQ host on its own (reachable, authenticates, version,"
            + " cluster_name) and every Galera node as GaleraDataSource would (wsrep state,"
            + " cluster status and size, the writer ha4j would choose, readers)."
      },
      footer =
          "%nExit codes: 0 healthy, 1 degraded or unusable, 2 bad input (flags or"
              + " configuration).")
  static final class Check implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    Check(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      return new CheckCommand(io).run(sources, json);
    }
  }

  // ------------------------------------------------------------------ amqp

  @Command(
      name = "amqp",
      description = "Drive ha4j's RabbitMQ connection factory (HaConnectionFactory).",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Amqp extends Group {
    @Override
    String missing() {
      return "ha4j amqp needs a subcommand: connect, publish or consume";
    }
  }

  /** Options of every {@code amqp} subcommand. */
  abstract static class AmqpBase implements Callable<Integer> {
    final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(
        names = "--events",
        description =
            "Print every attempt, failover, recovery and give-up as one JSON object per line"
                + " (t_ms since the first attempt, event, ...).")
    boolean events;

    @Option(names = "--json", hidden = true, description = "Accepted; output is JSON already.")
    boolean json;

    AmqpBase(Io io) {
      this.io = io;
    }
  }

  @Command(
      name = "connect",
      description =
          "Connect to the configured RabbitMQ hosts on the oslo/kombu retry schedule; exit 0 when"
              + " connected, 1 when it gives up.",
      footer = EXIT_CODES)
  static final class AmqpConnect extends AmqpBase {
    // accepted as before (one flag set for every amqp subcommand); connect does not use them
    @Option(names = "--queue", hidden = true)
    String queue;

    @Option(names = "--count", hidden = true)
    String count;

    @Option(names = "--size", hidden = true)
    String size;

    @Option(names = "--timeout", hidden = true)
    String timeout;

    AmqpConnect(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return new AmqpCommand(io).run(sources, events, AmqpCommand::connect);
    }
  }

  @Command(
      name = "publish",
      description = {
        "Publish N confirmed persistent messages (message_id 1..N) and report.",
        "%nDeclare the queue and publish N persistent messages with message_id 1..N, each confirmed"
            + " by the broker (re-sent after failover). Prints {\"published\", \"confirmed\","
            + " \"republished\", \"failed\", \"failovers\", \"elapsed_ms\"}; exit 0 only if all N"
            + " were confirmed."
      },
      footer = EXIT_CODES)
  static final class AmqpPublish extends AmqpBase {
    @Option(names = "--queue", paramLabel = "Q", required = true, description = "The queue.")
    String queue;

    @Option(
        names = "--count",
        paramLabel = "N",
        required = true,
        converter = Positive.class,
        description = "Messages to publish.")
    int count;

    @Option(
        names = "--size",
        paramLabel = "BYTES",
        defaultValue = "100",
        converter = Positive.class,
        description = "Body size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--timeout", hidden = true, description = "Accepted; used by consume.")
    String timeout;

    AmqpPublish(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      String q = AmqpCommand.required("queue", queue);
      return new AmqpCommand(io).run(sources, events, (c, f, s) -> c.publish(f, s, q, count, size));
    }
  }

  @Command(
      name = "consume",
      description = {
        "Consume and acknowledge until message ids 1..N were all received.",
        "%nDeclare the queue, consume and acknowledge until message ids 1..N were all received or"
            + " the timeout passed. Prints {\"received\", \"distinct\", \"duplicates\","
            + " \"missing\", \"failovers\"}; exit 0 only if nothing is missing."
      },
      footer = EXIT_CODES)
  static final class AmqpConsume extends AmqpBase {
    @Option(names = "--queue", paramLabel = "Q", required = true, description = "The queue.")
    String queue;

    @Option(
        names = "--count",
        paramLabel = "N",
        required = true,
        converter = Positive.class,
        description = "Message ids expected (1..N).")
    int count;

    @Option(
        names = "--timeout",
        paramLabel = "S",
        defaultValue = "120",
        converter = Positive.class,
        description = "Seconds to wait for all of them (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--size", hidden = true, description = "Accepted; used by publish.")
    String size;

    AmqpConsume(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      String q = AmqpCommand.required("queue", queue);
      return new AmqpCommand(io)
          .run(sources, events, (c, f, s) -> c.consume(f, s, q, count, timeout));
    }
  }

  // ------------------------------------------------------------------ db

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

  // ------------------------------------------------------------------ demo

  @Command(
      name = "demo",
      description = {
        "Two local 3-node clusters, traffic through ha4j while nodes die; what was lost.",
        "%nStart local 3-node RabbitMQ and Galera clusters with the test kit, publish and consume"
            + " confirmed messages and write rows through ha4j while nodes are killed and paused,"
            + " print one status line a second and a final report. Tears everything down, also"
            + " on Ctrl-C."
      },
      footer =
          "%nExit codes: 0 nothing lost, 1 a confirmed message or a committed row was lost (or"
              + " the servers are missing: scripts/demo installs them), 2 bad flags.")
  static final class Demo implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "60",
        converter = Positive.class,
        description = "Traffic time, at least 20 (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    Demo(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      if (seconds < 20) {
        throw new UsageException("--seconds must be at least 20 (the fault timetable needs it)");
      }
      return new DemoCommand(io.out(), io.err()).run(seconds, json);
    }
  }

  // ------------------------------------------------------------------ bench

  @Command(
      name = "bench",
      description = "ha4j against the plain clients on 3-node test-kit clusters, in one run.",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Bench extends Group {
    @Override
    String missing() {
      return "ha4j bench needs a subject: amqp or db";
    }
  }

  /** Options of both benchmarks. */
  abstract static class BenchBase implements Callable<Integer> {
    final Io io;
    @Mixin Help help;

    @Option(
        names = "--rounds",
        paramLabel = "R",
        defaultValue = "3",
        converter = Positive.class,
        description = "Measured throughput rounds after one warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--kills",
        paramLabel = "K",
        defaultValue = "10",
        converter = Positive.class,
        description = "Failover samples per client (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--no-throughput", description = "Skip the throughput part.")
    boolean noThroughput;

    @Option(names = "--no-failover", description = "Skip the failover part.")
    boolean noFailover;

    BenchBase(Io io) {
      this.io = io;
    }
  }

  @Command(
      name = "amqp",
      description = {
        "Throughput and failover of ha4j against amqp-client, in one run.",
        "%nStart a 3-node test-kit RabbitMQ cluster; measure confirmed-publish throughput of ha4j"
            + " against amqp-client with the same in-flight window (quorum and classic queues),"
            + " and the failover time after kill -9 of the connected node against amqp-client's"
            + " automatic recovery."
      },
      footer = EXIT_CODES)
  static final class BenchAmqp extends BenchBase {
    @Option(
        names = "--messages",
        paramLabel = "N",
        defaultValue = "100000",
        converter = Positive.class,
        description = "Messages per throughput round (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(
        names = "--window",
        paramLabel = "W",
        defaultValue = "1000",
        converter = Positive.class,
        description = "Unconfirmed messages in flight (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(
        names = "--size",
        paramLabel = "BYTES",
        defaultValue = "256",
        converter = Positive.class,
        description = "Body size (default: ${DEFAULT-VALUE}).")
    int size;

    BenchAmqp(Io io) {
      super(io);
    }

    @Override
    public Integer call() throws Exception {
      return new BenchCommand(io.out(), io.err())
          .run(messages, window, size, rounds, kills, json, !noThroughput, !noFailover);
    }
  }

  @Command(
      name = "db",
      description = {
        "Throughput and writer failover of GaleraDataSource against HikariCP, in one run.",
        "%nStart a 3-node test-kit Galera cluster; measure point-select and update throughput of"
            + " GaleraDataSource against a HikariCP pool on the writer, and the writer failover"
            + " time after kill -9 against HikariCP over a Connector/J sequential URL."
      },
      footer = EXIT_CODES)
  static final class BenchDb extends BenchBase {
    @Option(
        names = "--threads",
        paramLabel = "T",
        defaultValue = "8",
        converter = Positive.class,
        description = "Client threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        converter = Positive.class,
        description = "Seconds per throughput round (default: ${DEFAULT-VALUE}).")
    int seconds;

    BenchDb(Io io) {
      super(io);
    }

    @Override
    public Integer call() throws Exception {
      return new DbBench(io.out(), io.err())
          .run(threads, seconds, rounds, kills, json, !noThroughput, !noFailover);
    }
  }
}
