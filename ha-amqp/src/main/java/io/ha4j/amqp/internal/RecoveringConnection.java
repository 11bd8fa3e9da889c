package io.ha4j.amqp.internal;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.amqp.AmqpConnectException;
import io.ha4j.amqp.AmqpEvent;
import io.ha4j.amqp.AmqpOperationException;
import io.ha4j.amqp.Binding;
import io.ha4j.amqp.DeliveryHandler;
import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.amqp.RecoveryPhases;
import io.ha4j.amqp.State;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.OperationInterruptedException;
import io.ha4j.config.ResourceClosedException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HaConnection}: one amqp-client connection at a time (the delegate), replaced after a
 * loss by a recovery thread that reconnects on the {@link RetrySchedule}, re-declares the topology
 * and moves every {@link Member} (publishers and consumers, in creation order) onto the new
 * connection before anyone sees it.
 */
public final class RecoveringConnection implements HaConnection {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveringConnection.class);

  private final AmqpSettings settings;
  private final List<AmqpHost> hosts;
  private final Environment env;
  private final Events events;
  private final Topology topology;
  private final String name;
  private final String resource;
  private final ConnectLoop connectLoop;
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final ExecutorService recovery;
  private final Object lock = new Object();

  private volatile Connection delegate;
  private volatile int hostIndex;
  private volatile State state = State.OPENING;
  private volatile RuntimeException failure;
  private volatile boolean closing;

  /** Whether the broker has blocked the current connection (resource alarm). */
  private volatile boolean brokerBlocked;

  private RecoveringConnection(
      AmqpSettings settings, List<AmqpHost> hosts, Environment env, Events events, String name) {
    this.settings = settings;
    this.hosts = List.copyOf(hosts);
    this.env = env;
    this.events = events;
    this.name = name;
    this.resource = "AMQP connection '" + name + "'";
    this.topology = new Topology(settings.virtualHost());
    this.connectLoop = new ConnectLoop(settings, this.hosts, env, events, resource, () -> closing);
    this.recovery = env.executors().apply("ha4j-amqp-recovery-" + name);
  }

  /**
   * Connects on the retry schedule, starting with the first host of {@code hosts} (already in the
   * order to use).
   *
   * @throws AmqpConnectException when the budget is spent or every host refuses for good
   * @throws OperationInterruptedException when interrupted while connecting
   */
  public static RecoveringConnection open(
      AmqpSettings settings, List<AmqpHost> hosts, Environment env, Events events, String name) {
    RecoveringConnection c = new RecoveringConnection(settings, hosts, env, events, name);
    long t0 = env.nanoTime().getAsLong();
    try {
      ConnectLoop.Connected first = c.connectLoop.run(0, t0, true);
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

  Sleeper sleeper() {
    return env.sleeper();
  }

  /** The environment's clock. */
  long nanoTime() {
    return env.nanoTime().getAsLong();
  }

  /** The environment's periodic runner. */
  Ticker ticker() {
    return env.ticker();
  }

  String name() {
    return name;
  }

  /** {@code AMQP connection 'name'}, for messages. */
  String resource() {
    return resource;
  }

  // ---------------------------------------------------------------- losing and recovering

  private void watch(Connection c) {
    brokerBlocked = false; // a new connection starts unblocked
    c.addShutdownListener(cause -> onLost(c, cause));
    c.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            brokerBlocked = true;
            members.forEach(m -> m.blocked(true));
            events.emit(n -> new AmqpEvent.Blocked(n, hostOf(c), true, reason));
          }

          @Override
          public void handleUnblocked() {
            brokerBlocked = false;
            members.forEach(m -> m.blocked(false));
            events.emit(n -> new AmqpEvent.Blocked(n, hostOf(c), false, ""));
          }
        });
    if (!c.isOpen()) {
      onLost(c, c.getCloseReason());
    }
  }

  /**
   * A member found {@code c} unusable although it looks open (a channel that cannot be opened):
   * aborting it makes the shutdown listener start a failover to the next host, as for a lost
   * connection. Ignored when {@code c} is no longer the current connection or while closing.
   */
  void abandon(Connection c, String why) {
    synchronized (lock) {
      if (c != delegate || closing || state != State.OPEN) {
        return;
      }
    }
    LOG.warn("{} ({}): {}; abandoning the connection", resource, hostOf(c), why);
    c.abort(ABANDON_ABORT_MILLIS);
  }

  private static final int ABANDON_ABORT_MILLIS = 1000;

  private static String hostOf(Connection c) {
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
    // one INFO line per failover, when it is over (below); the loss alone is a recovery step
    LOG.debug("{} lost {}: {}; recovering", resource, from, reason);
    events.emit(n -> new AmqpEvent.ConnectionLost(n, from, reason));
    runOnRecoveryThread(() -> recover(from, reason, lostAt));
  }

  private static String describe(ShutdownSignalException s) {
    Throwable cause = s.getCause();
    if (cause != null) {
      return cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return s.getMessage();
  }

  /**
   * Waits {@code kombu_reconnect_delay}, then runs the schedule from the host after the lost one;
   * on the new connection re-declares the topology, then recovers every member in creation order,
   * and only then swaps the connection in. A new connection lost on the way moves on to the next
   * host. {@code close()} wins at every step.
   */
  private void recover(String from, String reason, long lostAt) {
    members.forEach(Member::connectionLost);
    try {
      env.sleeper().sleep(settings.reconnectDelay());
      long delayEnd = env.nanoTime().getAsLong();
      int next = (hostIndex + 1) % hosts.size();
      while (!closing) {
        ConnectLoop.Connected c = connectLoop.run(next, env.nanoTime().getAsLong(), false);
        try {
          long connected = env.nanoTime().getAsLong();
          topology.redeclare(c.connection(), events);
          long declared = env.nanoTime().getAsLong();
          int republished = 0;
          long publishers = 0;
          long consumers = 0;
          for (Member m : members) {
            long t = env.nanoTime().getAsLong();
            republished += m.recover(c.connection());
            long spent = env.nanoTime().getAsLong() - t;
            if (m instanceof RecoveringConsumer) {
              consumers += spent;
            } else {
              publishers += spent;
            }
          }
          synchronized (lock) {
            if (closing) {
              Channels.closeQuietly(c.connection());
              return;
            }
            delegate = c.connection();
            hostIndex = c.index();
            state = State.OPEN;
            lock.notifyAll();
          }
          watch(c.connection());
          Duration took = Duration.ofNanos(env.nanoTime().getAsLong() - lostAt);
          RecoveryPhases phases =
              new RecoveryPhases(
                  Duration.ofNanos(Math.max(0, delayEnd - lostAt)),
                  Duration.ofNanos(connected - delayEnd),
                  Duration.ofNanos(declared - connected),
                  Duration.ofNanos(publishers),
                  Duration.ofNanos(consumers));
          String to = hosts.get(c.index()).hostAndPort();
          int resent = republished;
          LOG.info(
              "{} lost {} ({}) and recovered on {} in {} ms ({}), {} unconfirmed message(s)"
                  + " re-sent",
              resource,
              from,
              reason,
              to,
              took.toMillis(),
              phases,
              resent);
          events.emit(n -> new AmqpEvent.Recovered(n, from, to, took, resent, phases));
          return;
        } catch (IOException | RuntimeException e) {
          if (e instanceof RuntimeException r && !Failures.isConnectionLoss(r)) {
            throw r;
          }
          LOG.debug("{}: new connection lost during recovery: {}", resource, e.toString());
          Channels.closeQuietly(c.connection());
          next = (c.index() + 1) % hosts.size();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closing) {
        LOG.error("{} gave up recovering: {}", resource, e.getMessage());
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
    members.forEach(m -> m.closed(e));
    recovery.shutdown();
  }

  /** Runs a task on the recovery thread (ignored once closed). */
  void runOnRecoveryThread(Runnable task) {
    try {
      recovery.execute(task);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** The current delegate; null while recovering or closed. */
  Connection delegate() {
    return delegate;
  }

  /** Whether {@code close()} has begun. */
  boolean isClosing() {
    return closing;
  }

  Topology topology() {
    return topology;
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
          throw new ResourceClosedException(resource, resource + " is closed");
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

  /** {@link #awaitOpen()} for callers that cannot throw {@link InterruptedException}. */
  private Connection awaitOpen(String what) {
    try {
      return awaitOpen();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationInterruptedException(
          resource, "interrupted while " + what + " on " + resource, e);
    }
  }

  @FunctionalInterface
  interface ChannelAction {
    void run(Channel ch) throws IOException;
  }

  private void withChannel(String what, ChannelAction action) {
    while (true) {
      Connection c = awaitOpen(what);
      Channel ch = null;
      try {
        ch = c.createChannel();
        action.run(ch);
        return;
      } catch (IOException | AlreadyClosedException e) {
        if (!Failures.isConnectionLoss(e)) {
          throw new AmqpOperationException(
              what + " on " + resource + " (" + currentHostOf(c) + ") failed: " + e, e);
        }
        // Lost mid-operation: wait for the recovery and do it again.
      } finally {
        if (ch != null) {
          Channels.closeQuietly(ch);
        }
      }
    }
  }

  @Override
  public void declare(ExchangeSpec exchange) {
    withChannel(
        "declaring exchange '" + exchange.name() + "'", ch -> topology.declare(ch, exchange));
  }

  @Override
  public void declare(QueueSpec queue) {
    if (!queue.durable() && !queue.arguments().containsKey("x-expires")) {
      LOG.debug(
          "{}: queue '{}' is not durable: RabbitMQ 4.3+ refuses non-durable classic queues by default",
          resource,
          queue.name());
    }
    if ("all".equals(queue.arguments().get("x-ha-policy"))) {
      HaPolicyNotice.once(resource, queue.name());
    }
    withChannel("declaring queue '" + queue.name() + "'", ch -> topology.declare(ch, queue));
  }

  @Override
  public void bind(Binding binding) {
    withChannel(
        "binding queue '" + binding.queue() + "' to exchange '" + binding.exchange() + "'",
        ch -> topology.bind(ch, binding));
  }

  @Override
  public HaPublisher publisher(PublisherOptions options) {
    ConfirmingPublisher p = new ConfirmingPublisher(this, options);
    members.add(p);
    Connection c;
    try {
      c = awaitOpen("creating a publisher");
    } catch (RuntimeException e) {
      members.remove(p);
      throw e;
    }
    try {
      p.recover(c);
    } catch (IOException e) {
      // Lost while opening: the recovery moves the publisher onto the next connection.
      LOG.debug("{}: publisher channel not opened yet: {}", resource, e.toString());
    }
    if (brokerBlocked) {
      p.blocked(true);
    }
    return p;
  }

  void remove(Member m) {
    members.remove(m);
  }

  @Override
  public HaConsumer consume(String queue, DeliveryHandler handler) {
    RecoveringConsumer c = new RecoveringConsumer(this, queue, handler);
    members.add(c);
    while (true) {
      Connection conn;
      try {
        conn = awaitOpen("starting a consumer of queue '" + queue + "'");
      } catch (RuntimeException e) {
        members.remove(c);
        throw e;
      }
      try {
        c.recover(conn);
        return c;
      } catch (IOException | RuntimeException e) {
        if (!Failures.isConnectionLoss(e) || conn.isOpen()) {
          members.remove(c);
          throw new AmqpOperationException(
              "cannot consume from queue '"
                  + queue
                  + "' on "
                  + resource
                  + " ("
                  + currentHostOf(conn)
                  + "): "
                  + e.getMessage(),
              e);
        }
        if (c.isAttachedTo(conn)) {
          return c;
        }
      }
    }
  }

  /**
   * Closes for good. An open connection first lets its publishers drain (each up to its close
   * timeout); a recovering one does not wait: close wins, recovery stops, nothing reconnects, and
   * unconfirmed messages fail with {@link ResourceClosedException}.
   */
  @Override
  public void close() {
    Connection c;
    boolean wasOpen;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      wasOpen = state == State.OPEN;
      state = State.CLOSING;
      c = delegate;
      lock.notifyAll();
    }
    if (wasOpen) {
      for (Member m : members) {
        try {
          m.drain();
        } catch (RuntimeException e) {
          LOG.debug("{}: drain failed: {}", resource, e.toString());
        }
      }
    }
    recovery.shutdownNow();
    if (c != null) {
      Channels.closeQuietly(c);
    }
    synchronized (lock) {
      state = State.CLOSED;
      delegate = null;
      lock.notifyAll();
    }
    members.forEach(m -> m.closed(null));
  }

  @Override
  public String toString() {
    return "HaConnection[" + name + ", " + state + ", " + currentHost().orElse("-") + "]";
  }
}
