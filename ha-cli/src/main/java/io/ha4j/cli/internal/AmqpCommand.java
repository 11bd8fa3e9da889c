package io.ha4j.cli.internal;

import com.rabbitmq.client.AMQP;
import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import io.ha4j.config.HaException;
import io.ha4j.testkit.internal.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code ha4j amqp connect|publish|consume}: drives {@link HaConnectionFactory}. */
final class AmqpCommand {

  private static final Set<String> VALUED =
      Set.of("config-file", "config-dir", "queue", "count", "size", "timeout");
  private static final Set<String> BOOL = Set.of("events", "json");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private volatile long start = System.nanoTime();
  private final AtomicInteger failovers = new AtomicInteger();

  AmqpCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(List<String> argv) {
    if (argv.isEmpty()) {
      throw new UsageException("ha4j amqp needs a subcommand: connect, publish or consume");
    }
    String sub = argv.get(0);
    Args args = Args.parse(argv.subList(1, argv.size()), VALUED, BOOL);
    if (!args.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
    }
    HaConfig config = ConfigCommand.load(args, env);
    Cli.printProblems(err, config.warnings());
    AmqpSettings settings = config.amqp();
    boolean events = args.has("events");
    HaConnectionFactory.Builder b =
        HaConnectionFactory.builder().settings(settings).connectionName("ha4j-cli");
    b.listener(
        e -> {
          if (e instanceof AmqpEvent.Recovered) {
            failovers.incrementAndGet();
          }
          if (events) {
            synchronized (out) {
              out.println(Json.write(eventJson(e)));
              out.flush();
            }
          }
        });
    HaConnectionFactory factory;
    try {
      factory = b.build();
    } catch (IllegalStateException | HaException e) {
      err.println("ha4j: " + e.getMessage());
      return 2;
    }
    start = System.nanoTime(); // t_ms counts from the first connection attempt's run
    try {
      switch (sub) {
        case "connect":
          return connect(factory, events);
        case "publish":
          return publish(factory, settings, args);
        case "consume":
          return consume(factory, settings, args);
        default:
          throw new UsageException("unknown amqp subcommand '" + sub + "'");
      }
    } catch (AmqpConnectException e) {
      err.println("ha4j: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("ha4j: interrupted");
      return 1;
    } catch (HaException e) {
      err.println("ha4j: " + e.getMessage());
      return 1;
    }
  }

  private int connect(HaConnectionFactory factory, boolean events) {
    try (HaConnection c = factory.newConnection()) {
      String host = c.currentHost().orElse("?");
      if (events) {
        out.println(Json.write(Map.of("result", "connected", "host", host)));
      } else {
        out.println("connected to " + host);
      }
      return 0;
    }
  }

  private int publish(HaConnectionFactory factory, AmqpSettings settings, Args args)
      throws InterruptedException {
    String queue = args.required("queue");
    int count = args.positive("count", null);
    int size = args.positive("size", "100");
    byte[] body = new byte[size];
    long t0 = System.nanoTime();
    try (HaConnection c = factory.newConnection()) {
      c.declare(QueueSpec.of(queue, settings));
      HaPublisher p = c.publisher();
      List<CompletableFuture<Void>> futures = new ArrayList<>(count);
      for (int i = 1; i <= count; i++) {
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(Integer.toString(i))
                .build();
        futures.add(p.publish("", queue, props, body));
      }
      int failed = 0;
      String firstError = null;
      for (CompletableFuture<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          failed++;
          if (firstError == null) {
            firstError = e.getCause().getMessage();
          }
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("published", p.published());
      m.put("confirmed", p.confirmed());
      m.put("republished", p.republished());
      m.put("failed", failed);
      m.put("failovers", failovers.get());
      m.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000);
      out.println(Json.write(m));
      if (firstError != null) {
        err.println("ha4j: " + failed + " message(s) not confirmed, first: " + firstError);
      }
      return p.confirmed() == count ? 0 : 1;
    }
  }

  private int consume(HaConnectionFactory factory, AmqpSettings settings, Args args)
      throws InterruptedException {
    String queue = args.required("queue");
    int count = args.positive("count", null);
    int timeout = args.positive("timeout", "120");
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger received = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(1);
    try (HaConnection c = factory.newConnection()) {
      c.declare(QueueSpec.of(queue, settings));
      c.consume(
          queue,
          d -> {
            received.incrementAndGet();
            Integer id = parseId(d.properties().getMessageId());
            if (id != null && id >= 1 && id <= count) {
              seen.add(id);
            }
            d.ack();
            if (seen.size() >= count) {
              all.countDown();
            }
          });
      all.await(timeout, TimeUnit.SECONDS);
    }
    int distinct = seen.size();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("received", received.get());
    m.put("distinct", distinct);
    m.put("duplicates", received.get() - distinct);
    m.put("missing", count - distinct);
    m.put("failovers", failovers.get());
    out.println(Json.write(m));
    return distinct == count ? 0 : 1;
  }

  private static Integer parseId(String s) {
    try {
      return s == null ? null : Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Map<String, Object> eventJson(AmqpEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t_ms", (System.nanoTime() - start) / 1_000_000);
    if (e instanceof AmqpEvent.Attempt a) {
      m.put("event", "attempt");
      m.put("host", a.host());
      m.put("attempt", a.attempt());
    } else if (e instanceof AmqpEvent.AttemptFailed f) {
      m.put("event", "attempt_failed");
      m.put("host", f.host());
      m.put("attempt", f.attempt());
      m.put("error", f.error());
      m.put("sleep_ms", f.sleep().toMillis());
    } else if (e instanceof AmqpEvent.Connected c) {
      m.put("event", "connected");
      m.put("host", c.host());
      m.put("attempt", c.attempts());
    } else if (e instanceof AmqpEvent.ConnectionLost l) {
      m.put("event", "connection_lost");
      m.put("host", l.host());
      m.put("reason", l.reason());
    } else if (e instanceof AmqpEvent.Recovered r) {
      m.put("event", "recovered");
      m.put("host", r.to());
      m.put("from", r.from());
      m.put("duration_ms", r.duration().toMillis());
      m.put("republished", r.republished());
    } else if (e instanceof AmqpEvent.GaveUp g) {
      m.put("event", "gave_up");
      m.put("attempts", g.attempts());
      m.put("elapsed_ms", g.elapsed().toMillis());
    } else if (e instanceof AmqpEvent.ConsumerCancelled c) {
      m.put("event", "consumer_cancelled");
      m.put("queue", c.queue());
    } else if (e instanceof AmqpEvent.ConsumerAttached c) {
      m.put("event", "consumer_attached");
      m.put("queue", c.queue());
      m.put("host", c.host());
    } else if (e instanceof AmqpEvent.TopologyFailed t) {
      m.put("event", "topology_failed");
      m.put("entity", t.entity());
      m.put("error", t.error());
    } else if (e instanceof AmqpEvent.Blocked bl) {
      m.put("event", bl.blocked() ? "blocked" : "unblocked");
      m.put("host", bl.host());
    }
    return m;
  }
}
