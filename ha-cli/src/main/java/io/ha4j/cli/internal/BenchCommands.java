package io.ha4j.cli.internal;

import static io.ha4j.cli.internal.Commands.EXIT_CODES;

import io.ha4j.cli.internal.Commands.Group;
import io.ha4j.cli.internal.Commands.Help;
import io.ha4j.cli.internal.Commands.Positive;
import io.ha4j.testkit.GaleraCluster;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ha4j bench amqp|db|instances|markers|rpc}: flags and help; the benchmark classes do the
 * work.
 */
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
      return "ha4j bench needs a subject: amqp, db, instances, markers or rpc";
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
            + " automatic recovery, with ha4j's failover split into its phases per queue type."
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

    @Option(
        names = "--queue-type",
        paramLabel = "TYPE",
        defaultValue = "both",
        converter = QueueTypeConverter.class,
        description =
            "Queue type of ha4j's kombu_reconnect_delay = 0 failover contender, whose failover is"
                + " split into phases: quorum, classic (mirrored by an ha-mode all policy) or"
                + " both (default: ${DEFAULT-VALUE}).")
    String queueType;

    BenchAmqp(Io io) {
      super(io);
    }

    @Override
    public Integer call() throws Exception {
      return new BenchCommand(io.out(), io.err())
          .run(
              messages,
              window,
              size,
              rounds,
              kills,
              json,
              !noThroughput,
              !noFailover,
              QueueTypeConverter.types(queueType));
    }
  }

  @Command(
      name = "db",
      description = {
        "Throughput and writer failover of GaleraDataSource against HikariCP and HAProxy, in one"
            + " run.",
        "%nStart a 3-node test-kit Galera cluster and HAProxy in front of it (the OpenStack HA"
            + " guide's configuration and a tuned one); measure point-select and update throughput"
            + " of ha4j, hikari_writer (HikariCP on node 1), haproxy_guide, haproxy_tuned (HikariCP"
            + " through each HAProxy) and sequential_url (HikariCP over a Connector/J sequential"
            + " URL), and each one's writer failover after kill -9, SIGSTOP and iptables isolation"
            + " of the node it writes to; split ha4j's failover into the cluster's own stall and"
            + " ha4j's share."
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

    @Option(
        names = "--faults",
        paramLabel = "KIND",
        split = ",",
        defaultValue = "kill,stop,isolate",
        converter = FaultConverter.class,
        description =
            "Fault kinds of the failover part: kill (kill -9), stop (SIGSTOP, resumed after the"
                + " sample), isolate (iptables, healed after the sample)"
                + " (default: ${DEFAULT-VALUE}).")
    List<DbBench.Fault> faults;

    @Option(
        names = "--failover-contenders",
        paramLabel = "NAME",
        split = ",",
        defaultValue = "ha4j,hikari_writer,haproxy_guide,haproxy_tuned,sequential_url",
        converter = ContenderConverter.class,
        description =
            "Contenders of the failover part (the throughput part always measures all five)"
                + " (default: ${DEFAULT-VALUE}).")
    List<DbBench.Contender> failoverContenders;

    @Option(
        names = "--evs-suspect",
        paramLabel = "D",
        converter = Millis.class,
        description =
            "Galera evs.suspect_timeout of the bench's cluster (2s, 1500ms, 1m; with"
                + " --evs-inactive; default: the test kit's, 5s).")
    Duration evsSuspect;

    @Option(
        names = "--evs-inactive",
        paramLabel = "D",
        converter = Millis.class,
        description =
            "Galera evs.inactive_timeout of the bench's cluster (with --evs-suspect; default: the"
                + " test kit's, 15s).")
    Duration evsInactive;

    BenchDb(Io io) {
      super(io);
    }

    @Override
    public Integer call() throws Exception {
      return new DbBench(io.out(), io.err()).run(options());
    }

    /** The options checked together; a bad combination is a usage error. */
    DbBench.Options options() {
      if ((evsSuspect == null) != (evsInactive == null)) {
        throw new UsageException("--evs-suspect and --evs-inactive must be given together");
      }
      if (evsSuspect != null) {
        try {
          GaleraCluster.builder().evsTimeouts(evsSuspect, evsInactive);
        } catch (IllegalArgumentException e) {
          throw new UsageException(
              "--evs-suspect "
                  + evsSuspect.toMillis()
                  + "ms --evs-inactive "
                  + evsInactive.toMillis()
                  + "ms: "
                  + e.getMessage());
        }
      }
      return new DbBench.Options(
          threads,
          seconds,
          rounds,
          kills,
          List.copyOf(new LinkedHashSet<>(faults)),
          evsSuspect,
          evsInactive,
          json,
          !noThroughput,
          !noFailover,
          List.copyOf(new LinkedHashSet<>(failoverContenders)));
    }
  }

  /**
   * A value read by a {@code parse} method whose {@link IllegalArgumentException} names the bad
   * value and the valid ones: picocli reports that message as the option's error.
   */
  abstract static class ParsedBy<T> implements ITypeConverter<T> {
    private final java.util.function.Function<String, T> parse;

    ParsedBy(java.util.function.Function<String, T> parse) {
      this.parse = parse;
    }

    @Override
    public T convert(String value) {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A contender of {@code bench db}: {@code ha4j}, {@code hikari_writer}, … */
  static final class ContenderConverter extends ParsedBy<DbBench.Contender> {
    ContenderConverter() {
      super(DbBench.Contender::parse);
    }
  }

  /** A fault kind: {@code kill}, {@code stop} or {@code isolate}. */
  static final class FaultConverter extends ParsedBy<DbBench.Fault> {
    FaultConverter() {
      super(DbBench.Fault::parse);
    }
  }

  /** {@code quorum}, {@code classic} or {@code both}. */
  static final class QueueTypeConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      types(value);
      return value;
    }

    /** The queue types a {@code --queue-type} value stands for. */
    static List<String> types(String value) {
      return switch (value) {
        case "quorum" -> List.of("quorum");
        case "classic" -> List.of("classic");
        case "both" -> List.of("quorum", "classic");
        default ->
            throw new TypeConversionException(
                "must be quorum, classic or both, was '" + value + "'");
      };
    }
  }

  /** A duration in whole milliseconds: {@code 2s}, {@code 1.5s}, {@code 1500ms} or {@code 1m}. */
  static final class Millis implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    @Override
    public Duration convert(String value) {
      Matcher m = FORM.matcher(value.trim());
      if (m.matches()) {
        BigDecimal n = new BigDecimal(m.group(1));
        BigDecimal ms =
            switch (m.group(2)) {
              case "ms" -> n;
              case "s" -> n.multiply(BigDecimal.valueOf(1000));
              default -> n.multiply(BigDecimal.valueOf(60_000));
            };
        try {
          return Duration.ofMillis(ms.longValueExact());
        } catch (ArithmeticException e) {
          throw new TypeConversionException("must be whole milliseconds, was '" + value + "'");
        }
      }
      throw new TypeConversionException(
          "must be a duration such as 2s, 1.5s, 1500ms or 1m, was '" + value + "'");
    }
  }

  @Command(
      name = "instances",
      description = {
        "Many application instances (one JVM each) on the same hot rows: ha4j against HikariCP"
            + " spread over the nodes, the writer after kills, and the cost of ha4j's probes.",
        "%nStart a 3-node test-kit Galera cluster and N instances, each running short transactions"
            + " that update 2 of a few hot rows: through HikariCP with instance i on node (i mod 3)"
            + " and a plain retry loop (hikari_spread), then through GaleraDataSource (ha4j);"
            + " report throughput, 1213s, retries and errors per 10,000 transactions. Then kill -9"
            + " ha4j's writer node K times while every instance runs and report how long the"
            + " instances named different writers. Last, measure the server CPU time of one"
            + " status probe and how many instances a node carries at 1 %% of one core."
      },
      footer = EXIT_CODES)
  static final class BenchInstances implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--instances",
        paramLabel = "N",
        defaultValue = "8",
        converter = Positive.class,
        description = "Application instances, one JVM each (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(
        names = "--threads",
        paramLabel = "T",
        defaultValue = "2",
        converter = Positive.class,
        description = "Threads per instance (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "30",
        converter = Positive.class,
        description = "Measured seconds per contender (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--rows",
        paramLabel = "R",
        defaultValue = "10",
        converter = Positive.class,
        description = "Hot rows, at least 2 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
        names = "--kills",
        paramLabel = "K",
        defaultValue = "3",
        description = "Kills of ha4j's writer node, 0 for none (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(
        names = "--probe-seconds",
        paramLabel = "S",
        defaultValue = "10",
        converter = Positive.class,
        description = "Seconds of probing per measured query (default: ${DEFAULT-VALUE}).")
    int probeSeconds;

    @Option(names = "--no-probe-cost", description = "Skip the probe-cost part.")
    boolean noProbeCost;

    @Option(
        names = "--json",
        description = "The report as one JSON document on stdout; progress goes to stderr.")
    boolean json;

    BenchInstances(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      return new InstancesBench(io.out(), io.err()).run(options());
    }

    /** The options checked together; a bad value is a usage error. */
    InstancesBench.Options options() {
      if (rows < 2) {
        throw new UsageException("--rows must be at least 2, was " + rows);
      }
      if (kills < 0) {
        throw new UsageException("--kills must not be negative, was " + kills);
      }
      return new InstancesBench.Options(
          instances, threads, seconds, rows, kills, !noProbeCost, probeSeconds, json);
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
