package io.ha4j.cli.internal;

import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.config.HaConfig;
import io.ha4j.config.HaException;
import io.ha4j.oslo.MessagingTimeoutException;
import io.ha4j.oslo.NotificationEndpoint;
import io.ha4j.oslo.NotificationListener;
import io.ha4j.oslo.NotificationResult;
import io.ha4j.oslo.Notifier;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.OsloTransport;
import io.ha4j.oslo.Priority;
import io.ha4j.oslo.RemoteException;
import io.ha4j.oslo.RequestContext;
import io.ha4j.oslo.RpcClient;
import io.ha4j.oslo.RpcServer;
import io.ha4j.oslo.Target;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.jr.ob.JSON;

/**
 * {@code ha4j rpc serve|call} and {@code ha4j notify send|listen}: drive ha-oslo's RPC server and
 * client, notifier and notification listener. Every line on stdout is one JSON object.
 */
final class OsloCommand {

  /** How long a stopping server may finish the requests it runs. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  OsloCommand(Io io) {
    this.out = io.out();
    this.err = io.err();
    this.env = io.env();
  }

  /** A JSON object given on the command line ({@code KWARGS-JSON}, {@code --payload}). */
  static Map<String, Object> jsonObject(String what, String text) {
    Object v = jsonValue(what, text);
    if (!(v instanceof Map<?, ?>)) {
      throw new UsageException(what + " must be a JSON object, was '" + text + "'");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return m;
  }

  /** Any JSON value given on the command line. */
  static Object jsonValue(String what, String text) {
    try {
      return JSON.std.anyFrom(text);
    } catch (RuntimeException e) {
      throw new UsageException(what + " is not valid JSON: '" + text + "'");
    }
  }

  private void print(Map<String, ?> m) {
    synchronized (out) {
      out.println(JsonOut.write(m));
      out.flush();
    }
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** What a command does with an open transport. */
  private interface Work {
    int run(OsloTransport transport) throws InterruptedException;
  }

  private int withTransport(
      Commands.ConfigSources sources,
      Consumer<AmqpEvent> listener,
      Consumer<OsloSettings.Builder> settings,
      Work work) {
    HaConfig config = sources.load(env);
    Cli.printProblems(err, config.warnings());
    OsloSettings.Builder b = OsloSettings.from(config).toBuilder();
    settings.accept(b);
    OsloSettings oslo;
    HaConnectionFactory factory;
    try {
      oslo = b.build();
      factory =
          HaConnectionFactory.builder()
              .settings(oslo.amqp())
              .connectionName("ha4j-cli")
              .listener(listener::accept)
              .build();
    } catch (IllegalArgumentException | IllegalStateException | HaException e) {
      err.println("ha4j: " + e.getMessage());
      return 2;
    }
    try (OsloTransport transport = OsloTransport.create(factory, oslo)) {
      return work.run(transport);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("ha4j: interrupted");
      return 1;
    } catch (HaException e) {
      err.println("ha4j: " + e.getMessage());
      return 1;
    }
  }

  // ------------------------------------------------------------------ rpc serve

  /** The server name when none is given: the host name, as oslo's {@code CONF.host}. */
  static String defaultServerName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  int serve(Commands.ConfigSources sources, String topic, String server, CountDownLatch stop) {
    String name = server != null ? server : defaultServerName();
    AtomicReference<String> host = new AtomicReference<>();
    Consumer<AmqpEvent> events =
        e -> {
          if (e instanceof AmqpEvent.ConsumerAttached a) {
            host.set(a.host());
          } else if (e instanceof AmqpEvent.ConnectionLost l) {
            print(map("event", "connection_lost", "host", l.host(), "reason", l.reason()));
          } else if (e instanceof AmqpEvent.Recovered r) {
            print(map("event", "recovered", "host", r.to(), "from", r.from()));
          }
        };
    return withTransport(
        sources,
        events,
        b -> {},
        transport -> {
          RpcServer rpc =
              transport.rpcServer(
                  Target.topic(topic).withServer(name), new RpcTestEndpoint(name, this::print));
          rpc.start();
          print(map("event", "ready", "host", host.get(), "topic", topic, "server", name));
          stop.await();
          boolean finished = rpc.stop(STOP_GRACE);
          print(map("event", "stopped", "finished", finished));
          return 0;
        });
  }

  // ------------------------------------------------------------------ rpc call

  /** The flags of {@code rpc call}. */
  record Call(
      String topic,
      String server,
      boolean fanout,
      boolean cast,
      Duration timeout,
      Integer retry,
      String method,
      Map<String, Object> args) {}

  int call(Commands.ConfigSources sources, Call c) {
    return withTransport(
        sources,
        e -> {},
        b -> {},
        transport -> {
          RpcClient client =
              transport
                  .rpcClient(Target.topic(c.topic()))
                  .prepare(c.server(), null, null, c.timeout(), c.retry(), null);
          Map<String, Object> context = Map.of();
          if (c.fanout()) {
            client.fanout().cast(context, c.method(), c.args());
            print(map("sent", true));
            return 0;
          }
          if (c.cast()) {
            client.cast(context, c.method(), c.args());
            print(map("sent", true));
            return 0;
          }
          try {
            Object result = client.call(context, c.method(), c.args());
            print(map("result", result));
            return 0;
          } catch (RemoteException e) {
            print(
                map(
                    "error",
                    "remote",
                    "exc_type",
                    e.excType(),
                    "module",
                    e.module(),
                    "message",
                    e.remoteMessage()));
            return 1;
          } catch (MessagingTimeoutException e) {
            print(map("error", "timeout"));
            return 1;
          }
        });
  }

  // ------------------------------------------------------------------ notify send

  int send(
      Commands.ConfigSources sources,
      String topic,
      Priority priority,
      String eventType,
      String publisherId,
      Object payload) {
    return withTransport(
        sources,
        e -> {},
        b -> b.notificationTopics(List.of(topic)),
        transport -> {
          Notifier n = transport.notifier(publisherId);
          n.notify(Map.of(), priority, eventType, payload);
          print(map("sent", true));
          return 0;
        });
  }

  // ------------------------------------------------------------------ notify listen

  int listen(Commands.ConfigSources sources, String topic, Integer count, Duration timeout) {
    AtomicInteger received = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    NotificationEndpoint endpoint = new Printer(received, count, enough);
    return withTransport(
        sources,
        e -> {},
        b -> {},
        transport -> {
          try (NotificationListener l =
              transport
                  .notificationListener()
                  .target(Target.topic(topic))
                  .endpoint(endpoint)
                  .build()) {
            l.start();
            boolean done =
                timeout == null
                    ? awaitForever(enough)
                    : enough.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            l.stop(STOP_GRACE);
            if (count != null && !done) {
              err.println(
                  "ha4j: "
                      + received.get()
                      + " of "
                      + count
                      + " notification(s) arrived within "
                      + Reference.seconds(timeout)
                      + " s");
              return 1;
            }
            return 0;
          }
        });
  }

  private static boolean awaitForever(CountDownLatch latch) throws InterruptedException {
    latch.await();
    return true;
  }

  /** Prints every notification, every priority, and counts them. */
  private final class Printer implements NotificationEndpoint {
    private final AtomicInteger received;
    private final Integer count;
    private final CountDownLatch enough;

    Printer(AtomicInteger received, Integer count, CountDownLatch enough) {
      this.received = received;
      this.count = count;
      this.enough = enough;
    }

    private NotificationResult handle(
        Priority priority,
        RequestContext ctx,
        String publisherId,
        String eventType,
        Object payload,
        Map<String, Object> metadata) {
      synchronized (this) {
        if (count != null && received.get() >= count) {
          return NotificationResult.REQUEUE; // not ours: leave it for another listener
        }
        print(
            map(
                "priority",
                priority.wireName(),
                "event_type",
                eventType,
                "publisher_id",
                publisherId,
                "payload",
                payload,
                "ctxt",
                ctx.values(),
                "metadata",
                metadata));
        if (count != null && received.incrementAndGet() >= count) {
          enough.countDown();
        }
      }
      return NotificationResult.HANDLED;
    }

    @Override
    public NotificationResult audit(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.AUDIT, c, p, e, payload, m);
    }

    @Override
    public NotificationResult debug(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.DEBUG, c, p, e, payload, m);
    }

    @Override
    public NotificationResult info(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.INFO, c, p, e, payload, m);
    }

    @Override
    public NotificationResult warn(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.WARN, c, p, e, payload, m);
    }

    @Override
    public NotificationResult error(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.ERROR, c, p, e, payload, m);
    }

    @Override
    public NotificationResult critical(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.CRITICAL, c, p, e, payload, m);
    }

    @Override
    public NotificationResult sample(
        RequestContext c, String p, String e, Object payload, Map<String, Object> m) {
      return handle(Priority.SAMPLE, c, p, e, payload, m);
    }
  }
}
