package io.ha4j.amqp.internal;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.Binding;
import io.ha4j.amqp.DeliveryHandler;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.amqp.State;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HaConnection}: one amqp-client connection at a time (the delegate), replaced after a
 * loss by a recovery thread that reconnects on the {@link RetrySchedule}, re-declares the topology
 * and moves publishers and consumers onto the new connection before anyone sees it.
 */
public final class RecoveringConnection implements HaConnection {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveringConnection.class);

  /** What the connection needs from the outside world; fakes in unit tests. */
  public record Environment(
      Connector connector, Sleeper sleeper, LongSupplier nanoTime, IntUnaryOperator random) {}

  private final AmqpSettings settings;
  private final List<AmqpHost> hosts;
  private final Environment env;
  private final Events events;
  private final Topology topology;
  private final String name;
  private final List<ConfirmingPublisher> publishers = new CopyOnWriteArrayList<>();
  private final List<RecoveringConsumer> consumers = new CopyOnWriteArrayList<>();
  private final ExecutorService recovery;
  private final Object lock = new Object();

  private volatile Connection delegate;
  private volatile int hostIndex;
  private volatile State state = State.OPENING;
  private volatile RuntimeException failure;
  private volatile boolean closing;

  private RecoveringConnection(
      AmqpSettings settings, List<AmqpHost> hosts, Environment env, Events events, String name) {
    this.settings = settings;
    this.hosts = List.copyOf(hosts);
    this.env = env;
    this.events = events;
    this.name = name;
    this.topology = new Topology(settings.virtualHost());
    this.recovery =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ha4j-amqp-recovery-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects on the retry schedule, starting with the first host of {@code hosts} (already in the
   * order to use).
   *
   * @throws AmqpConnectException when the budget is spent or every host refuses for good
   */
  public static RecoveringConnection open(
      AmqpSettings settings, List<AmqpHost> hosts, Environment env, Events events, String name) {
    RecoveringConnection c = new RecoveringConnection(settings, hosts, env, events, name);
    long t0 = env.nanoTime().getAsLong();
    try {
      Connected first = c.connectLoop(0, t0);
      synchronized (c.lock) {
        c.delegate = first.connection();
        c.hostIndex = first.index();
        c.state = State.OPEN;
      }
      c.watch(first.connection());
      return c;
    } catch (RuntimeException e) {
      c.state = State.CLOSED;
      c.recovery.shutdownNow();
      throw e;
    }
  }

  record Connected(Connection connection, int index) {}

  @Override
  public State state() {
    return state;
  }

  @Override
  public Optional<String> currentHost() {
    Connection d = delegate;
    return d == null ? Optional.empty() : Optional.of(hosts.get(hostIndex).hostAndPort());
  }

  /** {@code host:port} of the configured host a connection goes to. */
  String currentHostOf(Connection c) {
    for (AmqpHost h : hosts) {
      if (h.port() == c.getPort()
          && c.getAddress() != null
          && h.host().equals(c.getAddress().getHostAddress())) {
        return h.hostAndPort();
      }
    }
    return hostOf(c);
  }

  Events events() {
    return events;
  }

  AmqpSettings settings() {
    return settings;
  }

  String name() {
    return name;
  }

  // ---------------------------------------------------------------- connecting

  /** kombu's ensure_connection loop over the host list. */
  Connected connectLoop(int firstHost, long t0) {
    RetrySchedule s =
        new RetrySchedule(
            settings.retry(), hosts.size(), settings.failoverStrategy(), firstHost, env.random());
    Map<String, String> lastErrors = new LinkedHashMap<>();
    hosts.forEach(h -> lastErrors.put(h.hostAndPort(), "not tried"));
    int permanentStreak = 0;
    Throwable lastCause = null;
    while (true) {
      if (closing) {
        throw new HaException("connection " + name + " was closed while connecting");
      }
      int index = s.host();
      int attempt = s.attempt();
      String host = hosts.get(index).hostAndPort();
      events.emit(() -> new AmqpEvent.Attempt(host, attempt));
      try {
        Connection c = env.connector().connect(index);
        Duration took = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        LOG.info("AMQP connection {} connected to {} (attempt {})", name, host, attempt);
        events.emit(() -> new AmqpEvent.Connected(host, attempt, took));
        return new Connected(c, index);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HaException("interrupted while connecting " + name, e);
      } catch (Exception e) {
        lastCause = e;
        Failures.Failure f = Failures.classify(e);
        lastErrors.put(host, f.description());
        permanentStreak = f.permanent() ? permanentStreak + 1 : 0;
        Duration elapsed = Duration.ofNanos(env.nanoTime().getAsLong() - t0);
        if (permanentStreak >= hosts.size()) {
          throw giveUp(
              "every host of a full cycle refused " + name + " for good",
              attempt,
              elapsed,
              lastErrors,
              true,
              e);
        }
        Optional<Duration> sleep = s.failed();
        if (sleep.isEmpty()) {
          throw giveUp(
              "gave up connecting " + name, attempt, elapsed, lastErrors, false, lastCause);
        }
        LOG.debug(
            "AMQP connection {}: attempt {} to {} failed: {}",
            name,
            attempt,
            host,
            f.description());
        events.emit(() -> new AmqpEvent.AttemptFailed(host, attempt, f.description(), sleep.get()));
        try {
          env.sleeper().sleep(sleep.get());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new HaException("interrupted while connecting " + name, ie);
        }
      }
    }
  }

  private AmqpConnectException giveUp(
      String summary,
      int attempts,
      Duration elapsed,
      Map<String, String> lastErrors,
      boolean permanent,
      Throwable cause) {
    AmqpConnectException e =
        new AmqpConnectException(summary, attempts, elapsed, lastErrors, permanent, cause);
    events.emit(() -> new AmqpEvent.GaveUp(attempts, elapsed, e.getMessage()));
    return e;
  }

  // ---------------------------------------------------------------- losing and recovering

  /** Whether the broker has blocked the current connection (resource alarm). */
  private volatile boolean brokerBlocked;

  private void watch(Connection c) {
    brokerBlocked = false; // a new connection starts unblocked
    c.addShutdownListener(cause -> onLost(c, cause));
    c.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            brokerBlocked = true;
            publishers.forEach(p -> p.blocked(true));
            events.emit(() -> new AmqpEvent.Blocked(hostOf(c), true, reason));
          }

          @Override
          public void handleUnblocked() {
            brokerBlocked = false;
            publishers.forEach(p -> p.blocked(false));
            events.emit(() -> new AmqpEvent.Blocked(hostOf(c), false, ""));
          }
        });
    if (!c.isOpen()) {
      onLost(c, c.getCloseReason());
    }
  }

  private String hostOf(Connection c) {
    return c.getAddress().getHostAddress() + ":" + c.getPort();
  }

  /** Called by amqp-client's threads: must not block. */
  private void onLost(Connection c, ShutdownSignalException cause) {
    String from;
    synchronized (lock) {
      if (c != delegate || closing || state != State.OPEN) {
        return;
      }
      state = State.RECOVERING;
      delegate = null;
      from = hosts.get(hostIndex).hostAndPort();
    }
    long lostAt = env.nanoTime().getAsLong();
    String reason = cause == null ? "closed" : describe(cause);
    LOG.info("AMQP connection {} lost {}: {}; recovering", name, from, reason);
    events.emit(() -> new AmqpEvent.ConnectionLost(from, reason));
    try {
      recovery.execute(() -> recover(from, lostAt));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed concurrently
    }
  }

  private static String describe(ShutdownSignalException s) {
    Throwable cause = s.getCause();
    if (cause != null) {
      return cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return s.getMessage();
  }

  private void recover(String from, long lostAt) {
    publishers.forEach(ConfirmingPublisher::connectionLost);
    consumers.forEach(Member::connectionLost);
    try {
      env.sleeper().sleep(settings.reconnectDelay());
      int next = (hostIndex + 1) % hosts.size();
      while (!closing) {
        Connected c = connectLoop(next, env.nanoTime().getAsLong());
        try {
          topology.redeclare(c.connection(), events);
          int republished = 0;
          for (ConfirmingPublisher p : publishers) {
            p.recover(c.connection());
            republished += p.lastRepublished();
          }
          for (Member m : consumers) {
            m.recover(c.connection());
          }
          synchronized (lock) {
            if (closing) {
              closeQuietly(c.connection());
              return;
            }
            delegate = c.connection();
            hostIndex = c.index();
            state = State.OPEN;
            lock.notifyAll();
          }
          watch(c.connection());
          Duration took = Duration.ofNanos(env.nanoTime().getAsLong() - lostAt);
          String to = hosts.get(c.index()).hostAndPort();
          int resent = republished;
          LOG.info("AMQP connection {} recovered on {} after {} ms", name, to, took.toMillis());
          events.emit(() -> new AmqpEvent.Recovered(from, to, took, resent));
          return;
        } catch (IOException | RuntimeException e) {
          if (e instanceof RuntimeException r && !Failures.isConnectionLoss(r)) {
            throw r;
          }
          LOG.debug(
              "AMQP connection {}: new connection lost during recovery: {}", name, e.toString());
          closeQuietly(c.connection());
          next = (c.index() + 1) % hosts.size();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closing) {
        LOG.error("AMQP connection {} gave up recovering: {}", name, e.getMessage());
        fail(e);
      }
    }
  }

  private void fail(RuntimeException e) {
    synchronized (lock) {
      failure = e;
      state = State.CLOSED;
      lock.notifyAll();
    }
    publishers.forEach(p -> p.closed(e));
    consumers.forEach(m -> m.closed(e));
    recovery.shutdown();
  }

  /** Runs a task on the recovery thread (ignored once closed). */
  void runOnRecoveryThread(Runnable task) {
    try {
      recovery.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** Re-attaches a consumer the broker cancelled, after {@code kombu_reconnect_delay}. */
  void reattachLater(RecoveringConsumer consumer) {
    try {
      recovery.execute(
          () -> {
            try {
              env.sleeper().sleep(settings.reconnectDelay());
              while (!closing && !consumer.isClosed()) {
                Connection c = delegate;
                if (c == null) {
                  return; // the connection recovery re-attaches it
                }
                try {
                  QueueSpec q = topology.queue(consumer.queue());
                  if (q != null) {
                    Channel ch = c.createChannel();
                    try {
                      topology.declare(ch, q);
                    } finally {
                      closeQuietly(ch);
                    }
                  }
                  consumer.recover(c);
                  return;
                } catch (IOException | RuntimeException e) {
                  if (Failures.isConnectionLoss(e) && !c.isOpen()) {
                    return;
                  }
                  events.emit(
                      () ->
                          new AmqpEvent.TopologyFailed(
                              "queue '" + consumer.queue() + "'", e.toString()));
                  env.sleeper()
                      .sleep(
                          settings.reconnectDelay().isZero()
                              ? Duration.ofSeconds(1)
                              : settings.reconnectDelay());
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  // ---------------------------------------------------------------- API

  /**
   * The open delegate, waiting while the connection recovers. Throws the give-up exception when the
   * connection gave up.
   */
  Connection awaitOpen() throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (failure != null) {
          throw failure;
        }
        if (closing || state == State.CLOSED) {
          throw new HaException("connection " + name + " is closed");
        }
        Connection c = delegate;
        if (c != null && c.isOpen()) {
          return c;
        }
        // Either recovering (woken on swap) or lost and not yet noticed (bounded wait).
        lock.wait(c == null ? 0 : 50);
      }
    }
  }

  @FunctionalInterface
  interface ChannelAction {
    void run(Channel ch) throws IOException;
  }

  private void withChannel(ChannelAction action) {
    while (true) {
      Connection c;
      try {
        c = awaitOpen();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HaException("interrupted while waiting for connection " + name, e);
      }
      Channel ch = null;
      try {
        ch = c.createChannel();
        action.run(ch);
        return;
      } catch (IOException | AlreadyClosedException e) {
        if (!Failures.isConnectionLoss(e)) {
          throw new HaException("AMQP operation on " + name + " failed: " + e, e);
        }
        // Lost mid-operation: wait for the recovery and do it again.
      } finally {
        if (ch != null) {
          closeQuietly(ch);
        }
      }
    }
  }

  @Override
  public void declare(ExchangeSpec exchange) {
    withChannel(ch -> topology.declare(ch, exchange));
  }

  @Override
  public void declare(QueueSpec queue) {
    if (!queue.durable() && !queue.arguments().containsKey("x-expires")) {
      LOG.debug(
          "queue '{}' is not durable: RabbitMQ 4.3+ refuses non-durable classic queues by default",
          queue.name());
    }
    if ("all".equals(queue.arguments().get("x-ha-policy"))) {
      HaPolicyNotice.once(queue.name());
    }
    withChannel(ch -> topology.declare(ch, queue));
  }

  @Override
  public void bind(Binding binding) {
    withChannel(ch -> topology.bind(ch, binding));
  }

  @Override
  public HaPublisher publisher(PublisherOptions options) {
    ConfirmingPublisher p = new ConfirmingPublisher(this, options);
    publishers.add(p);
    try {
      p.start(awaitOpen());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      publishers.remove(p);
      throw new HaException("interrupted while creating a publisher on " + name, e);
    } catch (IOException e) {
      // Lost while opening: the recovery moves the publisher onto the next connection.
      LOG.debug("AMQP connection {}: publisher channel not opened yet: {}", name, e.toString());
    }
    if (brokerBlocked) {
      p.blocked(true);
    }
    return p;
  }

  void remove(Object m) {
    publishers.remove(m);
    consumers.remove(m);
  }

  @Override
  public HaConsumer consume(String queue, DeliveryHandler handler) {
    RecoveringConsumer c = new RecoveringConsumer(this, queue, handler);
    consumers.add(c);
    while (true) {
      Connection conn;
      try {
        conn = awaitOpen();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        consumers.remove(c);
        throw new HaException("interrupted while starting a consumer on " + name, e);
      }
      try {
        c.recover(conn);
        return c;
      } catch (IOException | RuntimeException e) {
        if (!Failures.isConnectionLoss(e) || conn.isOpen()) {
          consumers.remove(c);
          throw new HaException(
              "cannot consume from queue '" + queue + "' on " + name + ": " + e.getMessage(), e);
        }
        if (c.isAttachedTo(conn)) {
          return c;
        }
      }
    }
  }

  @Override
  public void close() {
    Connection c;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      state = State.CLOSING;
      c = delegate;
      lock.notifyAll();
    }
    for (ConfirmingPublisher p : publishers) {
      try {
        p.drain();
      } catch (RuntimeException e) {
        LOG.debug("AMQP connection {}: publisher drain failed: {}", name, e.toString());
      }
    }
    recovery.shutdownNow();
    if (c != null) {
      closeQuietly(c);
    }
    synchronized (lock) {
      state = State.CLOSED;
      delegate = null;
      lock.notifyAll();
    }
    publishers.forEach(p -> p.closed(null));
    consumers.forEach(m -> m.closed(null));
  }

  static void closeQuietly(Connection c) {
    try {
      c.close(2000);
    } catch (IOException | RuntimeException e) {
      c.abort(1000);
    }
  }

  static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return "HaConnection[" + name + ", " + state + ", " + currentHost().orElse("-") + "]";
  }

  /** Logs once per JVM that {@code x-ha-policy} needs a server-side policy. */
  static final class HaPolicyNotice {
    private static final java.util.concurrent.atomic.AtomicBoolean DONE =
        new java.util.concurrent.atomic.AtomicBoolean();

    static void once(String queue) {
      if (DONE.compareAndSet(false, true)) {
        LOG.info(
            "queue '{}' is declared with x-ha-policy=all (rabbit_ha_queues) for compatibility; RabbitMQ"
                + " 3.x mirrors it only with a policy: rabbitmqctl set_policy ha-all '^(?!amq\\.).*'"
                + " '{{\"ha-mode\":\"all\"}}'",
            queue);
      }
    }
  }
}
