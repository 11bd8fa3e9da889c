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

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private volatile long start = System.nanoTime();
  private final AtomicInteger failovers = new AtomicInteger();
  private boolean events;

  AmqpCommand(Io io) {
    this.out = io.out();
    this.err = io.err();
    this.env = io.env();
  }

  /** One of connect, publish, consume, given the factory and the settings. */
  interface Operation {
    int run(AmqpCommand command, HaConnectionFactory factory, AmqpSettings settings)
        throws InterruptedException;
  }

  /** The value of a flag that must not be blank. */
  static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  int run(Commands.ConfigSources sources, boolean events, Operation operation) {
    HaConfig config = sources.load(env);
    Cli.printProblems(err, config.warnings());
    AmqpSettings settings = config.amqp();
    HaConnectionFactory.Builder b =
        HaConnectionFactory.builder().settings(settings).connectionName("ha4j-cli");
    b.listener(
        e -> {
          if (e instanceof AmqpEvent.Recovered) {
            failovers.incrementAndGet();
          }
          if (events) {
            synchronized (out) {
              out.println(JsonOut.write(eventJson(e)));
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
    this.events = events;
    try {
      return operation.run(this, factory, settings);
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

  int connect(HaConnectionFactory factory, AmqpSettings settings) {
    try (HaConnection c = factory.newConnection()) {
      String host = c.currentHost().orElse("?");
      if (events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "connected");
        m.put("host", host);
        out.println(JsonOut.write(m));
      } else {
        out.println("connected to " + host);
      }
      return 0;
    }
  }

  int publish(HaConnectionFactory factory, AmqpSettings settings, String queue, int count, int size)
      throws InterruptedException {
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
      out.println(JsonOut.write(m));
      if (firstError != null) {
        err.println("ha4j: " + failed + " message(s) not confirmed, first: " + firstError);
      }
      return p.confirmed() == count ? 0 : 1;
    }
  }

  int consume(
      HaConnectionFactory factory, AmqpSettings settings, String queue, int count, int timeout)
      throws InterruptedException {
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
    out.println(JsonOut.write(m));
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
