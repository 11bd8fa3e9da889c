package io.ha4j.cli.internal;

import static io.ha4j.cli.internal.Commands.EXIT_CODES;

import io.ha4j.cli.internal.Commands.ConfigSources;
import io.ha4j.cli.internal.Commands.Group;
import io.ha4j.cli.internal.Commands.Help;
import io.ha4j.cli.internal.Commands.Positive;
import io.ha4j.oslo.Priority;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ha4j rpc serve|call} and {@code ha4j notify send|listen}: flags and help; {@link
 * OsloCommand} does the work.
 */
final class OsloCommands {

  private OsloCommands() {}

  /** Seconds, a decimal number above 0. */
  static final class PositiveSeconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Seconds.parse(value);
      if (d.isZero()) {
        throw new TypeConversionException(
            "must be a number of seconds above 0, was '" + value + "'");
      }
      return d;
    }
  }

  /** Seconds, a decimal number not below 0. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }

    static Duration parse(String value) {
      try {
        BigDecimal s = new BigDecimal(value.trim());
        if (s.signum() >= 0 && s.compareTo(BigDecimal.valueOf(1_000_000_000L)) <= 0) {
          return Duration.ofNanos(
              s.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact());
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
      throw new TypeConversionException("must be a number of seconds, was '" + value + "'");
    }
  }

  /** A notification priority: audit, debug, info, warn (warning), error, critical, sample. */
  static final class PriorityConverter implements ITypeConverter<Priority> {
    @Override
    public Priority convert(String value) {
      try {
        return Priority.parse(value.trim());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "must be one of audit, debug, info, warn, error, critical, sample, was '"
                + value
                + "'");
      }
    }
  }

  /** The value of a flag that must not be blank. */
  static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " must not be empty");
    }
    return value;
  }

  // ------------------------------------------------------------------ rpc

  @Command(
      name = "rpc",
      description = "oslo.messaging RPC: a test server, and calls to any oslo server.",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Rpc extends Group {
    @Override
    String missing() {
      return "ha4j rpc needs a subcommand: serve or call";
    }
  }

  @Command(
      name = "serve",
      description = {
        "Serve the test endpoint on an oslo RPC topic until SIGTERM or SIGINT.",
        "%nAn oslo.messaging RPC server (default namespace, version 1.0) with the methods"
            + " echo(value) -> value, add(a, b) -> a + b, fail(message) -> raises TestFailure"
            + " with that message, whoami() -> the server name. Prints one JSON object per line:"
            + " {\"event\":\"ready\",\"host\":\"<ip>:<port>\",...} once it consumes, then"
            + " {\"event\":\"request\",\"method\":...,<arguments>} per request and the AMQP events"
            + " connection_lost and recovered (with host); on SIGTERM/SIGINT it stops consuming,"
            + " finishes the running requests and prints {\"event\":\"stopped\",...}."
      },
      footer = EXIT_CODES)
  static final class Serve implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--topic", paramLabel = "T", required = true, description = "The topic.")
    String topic;

    @Option(
        names = "--server",
        paramLabel = "NAME",
        description = "The server name (default: the host name, as oslo's host option).")
    String server;

    Serve(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      String t = required("topic", topic);
      String s = server == null ? null : required("server", server);
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  stopped.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ha4j-rpc-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return new OsloCommand(io).serve(sources, t, s, stop);
      } finally {
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is stopping: the hook runs (and returns at once)
        }
      }
    }
  }

  @Command(
      name = "call",
      description = {
        "Call, cast or fanout-cast a method of an oslo RPC server.",
        "%nCall METHOD with the keyword arguments of KWARGS-JSON (an object, default {}) on the"
            + " topic (and server). Prints {\"result\":...} and exits 0; a failure raised by the"
            + " server prints {\"error\":\"remote\",\"exc_type\":...,\"module\":...,"
            + "\"message\":...} and a time-out {\"error\":\"timeout\"}, both exit 1. --cast and"
            + " --fanout print {\"sent\":true} once the broker confirmed the message."
      },
      footer = EXIT_CODES)
  static final class Call implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--topic", paramLabel = "T", required = true, description = "The topic.")
    String topic;

    @Option(names = "--server", paramLabel = "NAME", description = "Only this server.")
    String server;

    @Option(names = "--fanout", description = "Cast to every server of the topic.")
    boolean fanout;

    @Option(names = "--cast", description = "Send without waiting for a result.")
    boolean cast;

    @Option(
        names = "--timeout",
        paramLabel = "S",
        converter = PositiveSeconds.class,
        description = "Seconds to wait for the result (default: rpc_response_timeout, 60).")
    Duration timeout;

    @Option(
        names = "--retry",
        paramLabel = "N",
        description = "oslo's retry of the message (-1 forever, 0 none; default: the config).")
    Integer retry;

    @Parameters(index = "0", paramLabel = "METHOD", description = "The method.")
    String method;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "KWARGS-JSON",
        description = "The keyword arguments, a JSON object (default: {}).")
    String kwargs;

    Call(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      String t = required("topic", topic);
      if (fanout && cast) {
        throw new UsageException("--fanout and --cast exclude each other (--fanout casts)");
      }
      if (method == null || method.isBlank()) {
        throw new UsageException("METHOD must not be empty");
      }
      Map<String, Object> args =
          kwargs == null ? Map.of() : OsloCommand.jsonObject("KWARGS-JSON", kwargs);
      return new OsloCommand(io)
          .call(
              sources, new OsloCommand.Call(t, server, fanout, cast, timeout, retry, method, args));
    }
  }

  // ------------------------------------------------------------------ notify

  @Command(
      name = "notify",
      description = "oslo.messaging notifications (messagingv2): send and listen.",
      commandListHeading = "%nCommands:%n",
      footer = EXIT_CODES)
  static final class Notify extends Group {
    @Override
    String missing() {
      return "ha4j notify needs a subcommand: send or listen";
    }
  }

  @Command(
      name = "send",
      description = {
        "Send one notification to <topic>.<priority>; print {\"sent\":true} once confirmed.",
        "%nSend one notification with the messagingv2 driver (message_id, timestamp,"
            + " publisher_id, event_type, priority, payload) to the queue <topic>.<priority>;"
            + " prints {\"sent\":true} once the broker confirmed it."
      },
      footer = EXIT_CODES)
  static final class Send implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--topic", paramLabel = "T", required = true, description = "The topic.")
    String topic;

    @Option(
        names = "--priority",
        paramLabel = "P",
        required = true,
        converter = PriorityConverter.class,
        description = "audit, debug, info, warn, error, critical or sample.")
    Priority priority;

    @Option(
        names = "--event-type",
        paramLabel = "E",
        required = true,
        description = "The event type.")
    String eventType;

    @Option(
        names = "--publisher-id",
        paramLabel = "ID",
        required = true,
        description = "The publisher id.")
    String publisherId;

    @Option(
        names = "--payload",
        paramLabel = "JSON",
        description = "The payload, any JSON value (default: {}).")
    String payload;

    Send(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      String t = required("topic", topic);
      String e = required("event-type", eventType);
      String p = required("publisher-id", publisherId);
      Object body = payload == null ? Map.of() : OsloCommand.jsonValue("--payload", payload);
      return new OsloCommand(io).send(sources, t, priority, e, p, body);
    }
  }

  @Command(
      name = "listen",
      description = {
        "Print the notifications of a topic, one JSON object per line.",
        "%nConsume <topic>.<priority> for every priority and print one line per notification:"
            + " {\"priority\",\"event_type\",\"publisher_id\",\"payload\",\"ctxt\",\"metadata\"}."
            + " With --count, stop after N (exit 1 if fewer arrived within --timeout); without,"
            + " run until stopped or until --timeout."
      },
      footer = EXIT_CODES)
  static final class Listen implements Callable<Integer> {
    private final Io io;
    @Mixin Help help;
    @Mixin ConfigSources sources;

    @Option(names = "--topic", paramLabel = "T", required = true, description = "The topic.")
    String topic;

    @Option(
        names = "--count",
        paramLabel = "N",
        converter = Positive.class,
        description = "Stop after N notifications.")
    Integer count;

    @Option(
        names = "--timeout",
        paramLabel = "S",
        converter = PositiveSeconds.class,
        description = "Seconds to listen at most (default: no limit).")
    Duration timeout;

    Listen(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      String t = required("topic", topic);
      return new OsloCommand(io).listen(sources, t, count, timeout);
    }
  }
}
