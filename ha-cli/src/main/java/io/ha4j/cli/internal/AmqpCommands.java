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

/** {@code ha4j amqp connect|publish|consume}: flags and help; {@link AmqpCommand} does the work. */
final class AmqpCommands {

  private AmqpCommands() {}

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
}
