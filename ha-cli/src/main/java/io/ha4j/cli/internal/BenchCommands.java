package io.ha4j.cli.internal;

import static io.ha4j.cli.internal.Commands.EXIT_CODES;

import io.ha4j.cli.internal.Commands.Group;
import io.ha4j.cli.internal.Commands.Help;
import io.ha4j.cli.internal.Commands.Positive;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha4j bench amqp|db|markers|rpc}: flags and help; the benchmark classes do the work. */
final class BenchCommands {

  private BenchCommands() {}

  @Command(
      name = "bench",
      description = "ha4j against the plain clients on 3-node test-kit clusters, in one run.",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Bench extends Group {
    @Override
    String missing() {
      return "ha4j bench needs a subject: amqp, db, markers or rpc";
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

  @Command(
      name = "markers",
      description = {
        "The cost of commit markers: insert units of work with and without them, in one run.",
        "%nStart a 3-node test-kit Galera cluster; measure the throughput of single-row insert"
            + " units of work (GaleraDataSource.run) with commit markers ([galera] commit_markers ="
            + " true) and without, alternating, and report the ratio."
      },
      footer = EXIT_CODES)
  static final class BenchMarkers implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--threads",
        paramLabel = "T",
        defaultValue = "4",
        converter = Positive.class,
        description = "Client threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        converter = Positive.class,
        description =
            "Seconds per variant and round, in one-second slices (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--rounds",
        paramLabel = "R",
        defaultValue = "3",
        converter = Positive.class,
        description = "Measured rounds after one warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    BenchMarkers(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      return new MarkerBench(io.out(), io.err()).run(threads, seconds, rounds, json);
    }
  }

  @Command(
      name = "rpc",
      description = {
        "oslo RPC call round trips of ha-oslo against Python oslo.messaging, in one run.",
        "%nStart a 3-node test-kit RabbitMQ cluster; measure RPC call round trips per second and"
            + " p50/p99 latency with 1 and 16 concurrent callers for Java->Java, Python->Python"
            + " (oslo.messaging's own client and server, "
            + RpcBench.PYTHON
            + "), Java->Python"
            + " and Python->Java; report each as ratios against Python->Python."
      },
      footer = EXIT_CODES)
  static final class BenchRpc implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        converter = Positive.class,
        description = "Measured seconds per cell, 8 cells (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    BenchRpc(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      return new RpcBench(io.out(), io.err()).run(seconds, json);
    }
  }
}
