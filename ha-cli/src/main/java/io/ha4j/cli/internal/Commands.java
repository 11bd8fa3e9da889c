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
        new CommandLine(new AmqpCommands.Amqp())
            .addSubcommand(new AmqpCommands.AmqpConnect(io))
            .addSubcommand(new AmqpCommands.AmqpPublish(io))
            .addSubcommand(new AmqpCommands.AmqpConsume(io)));
    root.addSubcommand(
        new CommandLine(new DbCommands.Db())
            .addSubcommand(new DbCommands.DbCheck(io))
            .addSubcommand(new DbCommands.DbLoad(io)));
    root.addSubcommand(new CommandLine(new Demo(io)));
    root.addSubcommand(new CommandLine(new Soak(io)));
    root.addSubcommand(
        new CommandLine(new BenchCommands.Bench())
            .addSubcommand(new BenchCommands.BenchAmqp(io))
            .addSubcommand(new BenchCommands.BenchDb(io))
            .addSubcommand(new BenchCommands.BenchInstances(io))
            .addSubcommand(new BenchCommands.BenchMarkers(io))
            .addSubcommand(new BenchCommands.BenchRpc(io)));
    root.addSubcommand(
        new CommandLine(new OsloCommands.Rpc())
            .addSubcommand(new OsloCommands.Serve(io))
            .addSubcommand(new OsloCommands.Call(io)));
    root.addSubcommand(
        new CommandLine(new OsloCommands.Notify())
            .addSubcommand(new OsloCommands.Send(io))
            .addSubcommand(new OsloCommands.Listen(io)));
    root.addSubcommand(
        new CommandLine(new ReferenceCommands.ReferenceGroup())
            .addSubcommand(new ReferenceCommands.AmqpSchedule(io))
            .addSubcommand(new ReferenceCommands.DbRetry(io)));
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

  // ------------------------------------------------------------------ soak

  /** A positive number of minutes, fractions allowed; names the bad value otherwise. */
  static final class Minutes implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double m = Double.parseDouble(value.trim());
        if (m > 0 && m <= 24 * 60) {
          return m;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException(
          "must be a number of minutes above 0 and at most 1440, was '" + value + "'");
    }
  }

  /** A 64-bit integer; names the bad value otherwise. */
  static final class Seed implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be an integer, was '" + value + "'");
      }
    }
  }

  @Command(
      name = "soak",
      description = {
        "Both clusters, several instances, a seeded mix of faults; what was lost or leaked.",
        "%nStart local 3-node RabbitMQ and Galera clusters with the test kit and run N"
            + " application instances in this JVM, each with its own connection, confirming"
            + " publisher, consumer (own durable quorum queue) and GaleraDataSource inserting one"
            + " row per unit of work (a plain INSERT of a client id, no existence check). Every"
            + " 10-20 s one node of one cluster is faulted, chosen by a random generator seeded"
            + " with --seed: kill -9 then restart, SIGSTOP 5-15 s, network isolation 5-20 s"
            + " (iptables, both directions), graceful restart, or wsrep_desync on the Galera"
            + " writer 5-15 s; the next fault waits until the cluster is healthy again. A progress"
            + " line every 5 s, then a report: the faults, messages confirmed / received / lost /"
            + " duplicated, commits / rows / lost / duplicate rows / unknown outcomes / errors, the"
            + " longest stall per client, the longest writer disagreement between instances, and"
            + " threads and open file descriptors before and after. Tears everything down, also"
            + " on Ctrl-C."
      },
      footer =
          "%nExit codes: 0 when no confirmed message and no committed row was lost, no row is"
              + " duplicated, no commit outcome reached a caller as unknown, every fault recovered,"
              + " and the JVM's threads and open file descriptors came back within "
              + SoakReport.THREAD_MARGIN
              + " and "
              + SoakReport.FD_MARGIN
              + " of their count before the instances opened; 1 otherwise (the reasons are"
              + " listed) or when the servers are missing (scripts/demo installs them);"
              + " 2 bad flags.")
  static final class Soak implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--minutes",
        paramLabel = "M",
        required = true,
        converter = Minutes.class,
        description = "Traffic time in minutes (fractions allowed, e.g. 2.5).")
    double minutes;

    @Option(
        names = "--seed",
        paramLabel = "S",
        converter = Seed.class,
        description =
            "Seed of the fault plan; the same seed gives the same faults (default:"
                + " random, printed in the report).")
    Long seed;

    @Option(
        names = "--instances",
        paramLabel = "N",
        defaultValue = "3",
        converter = Positive.class,
        description = "Application instances, 1 to 20 (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    Soak(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      if (instances > 20) {
        throw new UsageException("--instances must be at most 20, was " + instances);
      }
      long s = seed != null ? seed : new java.util.Random().nextLong();
      return new SoakCommand(io.out(), io.err()).run(minutes, s, instances, json);
    }
  }
}
