package io.ha4j.cli.internal;

import static io.ha4j.cli.internal.Commands.EXIT_CODES;

import io.ha4j.cli.internal.Commands.Group;
import io.ha4j.cli.internal.Commands.Help;
import io.ha4j.cli.internal.Commands.Positive;
import io.ha4j.cli.internal.OsloCommands.Seconds;
import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.RetrySettings;
import io.ha4j.jdbc.GaleraErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha4j reference amqp-schedule|db-retry}: flags and help; {@link Reference} prints. */
final class ReferenceCommands {

  private ReferenceCommands() {}

  static final String FORMAT =
      "%nA schedule that retries forever is ONE line instead:"
          + " {\"forever\":true,\"steps\":[...],\"repeat_last\":P}: after the steps listed, the"
          + " last P of them repeat forever (same host, sleep and jitter; attempt and at_s go on"
          + " counting).";

  @Command(
      name = "reference",
      description =
          "Print ha4j's retry timetables, the oracle for other clients' conformance tests.",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class ReferenceGroup extends Group {
    @Override
    String missing() {
      return "ha4j reference needs a subcommand: amqp-schedule or db-retry";
    }
  }

  @Command(
      name = "amqp-schedule",
      description = {
        "The connection attempts of kombu/oslo.messaging over N hosts, as JSON lines.",
        "%nWithout any network, the attempts ha-amqp (ConnectSchedule, round robin from host 0)"
            + " makes while every attempt fails: one line per attempt"
            + " {\"attempt\":1,\"host\":0,\"sleep_s\":0,\"at_s\":0} (the sleep before the attempt,"
            + " at_s the sum of the sleeps), then {\"give_up\":true,\"attempts\":N,\"at_s\":T}."
            + " The sleep is 0 except after a full cycle over the hosts, where it follows kombu's"
            + " grid (interval, interval + backoff, ... up to interval-max + interval, then the"
            + " last again)."
      },
      footer = {FORMAT, EXIT_CODES})
  static final class AmqpSchedule implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--hosts",
        paramLabel = "N",
        required = true,
        converter = Positive.class,
        description = "The number of hosts.")
    int hosts;

    @Option(
        names = "--retry-interval",
        paramLabel = "S",
        defaultValue = "1",
        converter = Seconds.class,
        description = "rabbit_retry_interval, 0 acts as 1 (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
        names = "--retry-backoff",
        paramLabel = "S",
        defaultValue = "2",
        converter = Seconds.class,
        description = "rabbit_retry_backoff (default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(
        names = "--interval-max",
        paramLabel = "S",
        defaultValue = "30",
        converter = Seconds.class,
        description = "rabbit_interval_max (default: ${DEFAULT-VALUE}).")
    Duration intervalMax;

    @Option(
        names = "--max-retries",
        paramLabel = "N",
        description =
            "Retries after the first attempt; unset, 0 or negative: forever (default: forever).")
    Integer maxRetries;

    AmqpSchedule(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      RetrySettings retry =
          RetrySettings.builder()
              .interval(interval)
              .backoff(backoff)
              .intervalMax(intervalMax)
              .maxRetries(RetrySettings.maxRetriesOf(maxRetries))
              .build();
      return new Reference(io).amqp(hosts, retry);
    }
  }

  @Command(
      name = "db-retry",
      description = {
        "The retries of a unit of work as oslo.db's wrap_db_retry makes them, as JSON lines.",
        "%nWithout any database, the attempts ha-jdbc (DbRetryTimetable) makes when attempt i"
            + " fails with the i-th kind of --failures (the last kind repeats): one line per"
            + " attempt {\"attempt\":2,\"after\":\"deadlock\",\"sleep_s\":1,\"jitter\":false,"
            + "\"at_s\":1} (attempt 1 has no after and no jitter), then"
            + " {\"give_up\":true,\"attempts\":N,\"at_s\":T} when the budget is spent or a kind is"
            + " not retried. A deadlock makes random the sleep computed at that failure (oslo.db's"
            + " jitter, uniform up to the sleep without it); as oslo.db first sleeps the one"
            + " computed at the failure before, that is the sleep before the attempt after next."
            + " Its line has \"jitter\":true and sleep_s is its upper bound; at_s adds the"
            + " bounds."
      },
      footer = {FORMAT, EXIT_CODES})
  static final class DbRetry implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;

    @Option(
        names = "--db-retry-interval",
        paramLabel = "S",
        defaultValue = "1",
        converter = Seconds.class,
        description = "db_retry_interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
        names = "--db-inc-retry-interval",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        arity = "0..1",
        paramLabel = "BOOL",
        description = "db_inc_retry_interval: double the sleep after each retry (default: true).")
    boolean incremental;

    @Option(
        names = "--db-max-retry-interval",
        paramLabel = "S",
        defaultValue = "10",
        converter = Seconds.class,
        description = "db_max_retry_interval (default: ${DEFAULT-VALUE}).")
    Duration maxInterval;

    @Option(
        names = "--db-max-retries",
        paramLabel = "N",
        defaultValue = "20",
        description = "db_max_retries, -1 forever (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Option(
        names = "--failures",
        paramLabel = "KINDS",
        defaultValue = "connection",
        description =
            "The failure of each attempt, comma-separated, the last repeating: deadlock,"
                + " connection, node-not-ready, lock-wait-timeout, not-retryable, other (default:"
                + " ${DEFAULT-VALUE}).")
    String failures;

    @Option(
        names = "--retry-lock-wait-timeout",
        description = "Retry lock wait timeouts (GaleraDataSource.Builder.retryLockWaitTimeout).")
    boolean lockWait;

    DbRetry(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      List<GaleraErrors.Kind> kinds = new ArrayList<>();
      for (String k : failures.split(",", -1)) {
        GaleraErrors.Kind kind = Reference.KINDS.get(k.trim());
        if (kind == null) {
          throw new UsageException(
              "--failures: unknown kind '"
                  + k.trim()
                  + "', expected one of "
                  + String.join(", ", Reference.KINDS.keySet()));
        }
        kinds.add(kind);
      }
      DbRetrySettings settings;
      try {
        settings =
            DbRetrySettings.builder()
                .interval(interval)
                .incremental(incremental)
                .maxInterval(maxInterval)
                .maxRetries(DbRetrySettings.maxRetriesOf(maxRetries))
                .build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      return new Reference(io).db(settings, kinds, lockWait);
    }
  }
}
