package io.ha4j.amqp.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.ha4j.config.AmqpHost;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A broker in memory for unit tests: a {@link Connector} whose hosts refuse or accept on demand,
 * connections and channels as {@link Proxy} fakes of amqp-client's interfaces, a virtual clock
 * advanced by the {@link Sleeper}, and recovery run inline on the calling thread, so that every
 * step happens in a known order. Everything observable goes to {@link #log} as one line per step,
 * e.g. {@code connect B}, {@code refused C}, {@code sleep 1000}, {@code c2/ch5 publish m3}.
 */
final class FakeAmqp {

  /** A sleep hook: runs after the virtual clock moved; may throw to simulate an interrupt. */
  @FunctionalInterface
  interface SleepHook {
    void slept(Duration d) throws InterruptedException;
  }

  final List<String> log = new CopyOnWriteArrayList<>();
  final List<AmqpHost> hosts = new ArrayList<>();
  final Set<Integer> refusing = ConcurrentHashMap.newKeySet();

  /** Hosts that refuse the credentials (ACCESS_REFUSED during the handshake). */
  final Set<Integer> refusingCredentials = ConcurrentHashMap.newKeySet();

  final List<FakeConnection> connections = new CopyOnWriteArrayList<>();
  final List<FakeChannel> channels = new CopyOnWriteArrayList<>();
  volatile long nanos;
  volatile SleepHook onSleep = d -> {};
  volatile Runnable onConsume = () -> {};

  /** Runs on every {@code queueDeclare}, after its virtual time, before it is logged. */
  volatile java.util.function.Consumer<FakeChannel> onQueueDeclare = ch -> {};

  /** How many of the next {@code createChannel} calls the broker refuses (the connection stays). */
  volatile int refuseChannels;

  /** Virtual time a successful connect takes. */
  volatile Duration connectTime = Duration.ZERO;

  /** Virtual time a channel operation takes, by method name (e.g. {@code queueDeclare}). */
  final Map<String, Duration> operationTime = new ConcurrentHashMap<>();

  FakeAmqp(int hostCount) {
    for (int i = 0; i < hostCount; i++) {
      hosts.add(AmqpHost.of("127.0.0.1", 5001 + i));
    }
  }

  static String letter(int index) {
    return String.valueOf((char) ('A' + index));
  }

  /** The periodic tasks registered with the fake ticker; run by {@link #tick()}. */
  final List<Runnable> ticking = new CopyOnWriteArrayList<>();

  Environment env() {
    return new Environment(
        this::connect,
        this::sleep,
        () -> nanos,
        bound -> 0,
        name -> new InlineExecutor(this),
        (period, task) -> {
          ticking.add(task);
          return () -> ticking.remove(task);
        });
  }

  /**
   * While set, tasks for the recovery thread wait in {@link #deferred} (a busy recovery thread).
   */
  volatile boolean deferRecovery;

  final List<Runnable> deferred = new CopyOnWriteArrayList<>();

  /** The recovery thread is free again: runs the tasks deferred so far, in order. */
  void runDeferred() {
    deferRecovery = false;
    List<Runnable> tasks = new ArrayList<>(deferred);
    deferred.clear();
    tasks.forEach(Runnable::run);
  }

  /** Runs every registered periodic task once, on the calling thread. */
  void tick() {
    ticking.forEach(Runnable::run);
  }

  /** Moves the virtual clock on without a sleep. */
  void advance(Duration d) {
    nanos += d.toNanos();
  }

  private Connection connect(int index) throws Exception {
    if (refusingCredentials.contains(index)) {
      log.add("refused credentials " + letter(index));
      throw new com.rabbitmq.client.AuthenticationFailureException("ACCESS_REFUSED");
    }
    if (refusing.contains(index)) {
      log.add("refused " + letter(index));
      throw new ConnectException("Connection refused");
    }
    nanos += connectTime.toNanos();
    FakeConnection c = new FakeConnection(index, connections.size() + 1);
    connections.add(c);
    log.add("connect " + letter(index));
    return c.proxy;
  }

  private void sleep(Duration d) throws InterruptedException {
    log.add("sleep " + d.toMillis());
    nanos += d.toNanos();
    onSleep.slept(d);
  }

  FakeConnection connection(int id) {
    return connections.get(id - 1);
  }

  FakeConnection lastConnection() {
    return connections.get(connections.size() - 1);
  }

  /** The log lines starting with one of {@code prefixes}, in order. */
  List<String> lines(String... prefixes) {
    return log.stream().filter(l -> List.of(prefixes).stream().anyMatch(l::startsWith)).toList();
  }

  /** The log lines that contain {@code part}, in order. */
  List<String> linesWith(String part) {
    return log.stream().filter(l -> l.contains(part)).toList();
  }

  static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == int.class) {
      return 0;
    }
    return null;
  }

  /** One fake connection to the host at {@code index}; id counts from 1 across the test. */
  final class FakeConnection implements InvocationHandler {
    final int index;
    final int id;
    final Connection proxy;
    final List<ShutdownListener> shutdownListeners = new CopyOnWriteArrayList<>();
    final List<BlockedListener> blockedListeners = new CopyOnWriteArrayList<>();
    volatile boolean open = true;

    /** While set, the broker does not answer channel.open: createChannel times out. */
    volatile boolean channelsTimeOut;

    FakeConnection(int index, int id) {
      this.index = index;
      this.id = id;
      this.proxy =
          (Connection)
              Proxy.newProxyInstance(
                  Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    @Override
    public Object invoke(Object self, Method m, Object[] args) throws Exception {
      switch (m.getName()) {
        case "equals":
          return self == args[0];
        case "hashCode":
          return System.identityHashCode(self);
        case "toString":
          return "c" + id;
        case "addShutdownListener":
          shutdownListeners.add((ShutdownListener) args[0]);
          return null;
        case "addBlockedListener":
          blockedListeners.add((BlockedListener) args[0]);
          return args[0];
        case "isOpen":
          return open;
        case "getAddress":
          return InetAddress.getLoopbackAddress();
        case "getPort":
          return 5001 + index;
        case "getServerProperties":
          return Map.of("version", "3.10.8", "cluster_name", "rabbit@fake");
        case "createChannel":
          if (!open) {
            throw new AlreadyClosedException(new ShutdownSignalException(true, false, null, self));
          }
          if (channelsTimeOut) {
            log.add("c" + id + " channel.open timed out");
            throw new java.io.IOException(
                new java.util.concurrent.TimeoutException("no answer to channel.open"));
          }
          if (refuseChannels > 0) {
            refuseChannels--;
            log.add("c" + id + " channel refused");
            throw new java.io.IOException("channel refused");
          }
          FakeChannel ch = new FakeChannel(this, channels.size() + 1);
          channels.add(ch);
          return ch.proxy;
        case "close":
        case "abort":
          if (open) {
            open = false;
            log.add("c" + id + " closed");
            signal(new ShutdownSignalException(true, true, null, self));
          }
          return null;
        default:
          return defaultValue(m.getReturnType());
      }
    }

    /** The node dies: the connection and its channels are gone. */
    void kill() {
      open = false;
      log.add("c" + id + " lost");
      signal(new ShutdownSignalException(true, false, null, proxy));
    }

    private void signal(ShutdownSignalException sse) {
      for (FakeChannel ch : channels) {
        if (ch.conn == this && ch.open) {
          ch.open = false;
          ch.signal(sse);
        }
      }
      shutdownListeners.forEach(l -> l.shutdownCompleted(sse));
    }
  }

  /** One fake channel; id counts from 1 across the test. */
  final class FakeChannel implements InvocationHandler {
    final FakeConnection conn;
    final int id;
    final Channel proxy;
    final List<ConfirmListener> confirmListeners = new CopyOnWriteArrayList<>();
    final List<ShutdownListener> shutdownListeners = new CopyOnWriteArrayList<>();
    final Map<String, Consumer> consumers = new LinkedHashMap<>();
    volatile boolean open = true;
    long nextSeq = 1;

    FakeChannel(FakeConnection conn, int id) {
      this.conn = conn;
      this.id = id;
      this.proxy =
          (Channel)
              Proxy.newProxyInstance(
                  Channel.class.getClassLoader(), new Class<?>[] {Channel.class}, this);
    }

    private String name() {
      return "c" + conn.id + "/ch" + id;
    }

    @Override
    public Object invoke(Object self, Method m, Object[] args) throws Exception {
      String n = m.getName();
      switch (n) {
        case "equals":
          return self == args[0];
        case "hashCode":
          return System.identityHashCode(self);
        case "toString":
          return name();
        case "isOpen":
          return open;
        case "getConnection":
          return conn.proxy;
        case "getChannelNumber":
          return id;
        case "getNextPublishSeqNo":
          return nextSeq;
        case "addConfirmListener":
          if (args[0] instanceof ConfirmListener l) {
            confirmListeners.add(l);
          }
          return args[0];
        case "addShutdownListener":
          shutdownListeners.add((ShutdownListener) args[0]);
          return null;
        case "close":
        case "abort":
          if (open) {
            open = false;
            log.add(name() + " closed");
            signal(new ShutdownSignalException(false, true, null, self));
          }
          return null;
        default:
          break;
      }
      if (!open && !n.startsWith("add")) {
        throw new AlreadyClosedException(new ShutdownSignalException(false, false, null, self));
      }
      nanos += operationTime.getOrDefault(n, Duration.ZERO).toNanos();
      switch (n) {
        case "confirmSelect":
          log.add(name() + " confirmSelect");
          return null;
        case "basicPublish":
          byte[] body = (byte[]) args[args.length - 1];
          log.add(name() + " publish " + new String(body, StandardCharsets.UTF_8));
          nextSeq++;
          return null;
        case "exchangeDeclare":
          log.add(name() + " declare exchange " + args[0]);
          return null;
        case "queueDeclare":
          onQueueDeclare.accept(this);
          log.add(name() + " declare queue " + args[0]);
          return null;
        case "queueBind":
          log.add(name() + " bind " + args[0] + " " + args[1] + " " + args[2]);
          return null;
        case "basicQos":
          log.add(name() + " qos " + args[0]);
          return null;
        case "basicConsume":
          String tag = "tag-" + id;
          consumers.put(tag, (Consumer) args[args.length - 1]);
          log.add(name() + " consume " + args[0]);
          onConsume.run();
          return tag;
        case "basicAck":
          log.add(name() + " ack " + args[0]);
          return null;
        default:
          return defaultValue(m.getReturnType());
      }
    }

    void signal(ShutdownSignalException sse) {
      shutdownListeners.forEach(l -> l.shutdownCompleted(sse));
      consumers.forEach((tag, c) -> c.handleShutdownSignal(tag, sse));
    }

    void ack(long seq, boolean multiple) throws Exception {
      for (ConfirmListener l : confirmListeners) {
        l.handleAck(seq, multiple);
      }
    }

    void nack(long seq, boolean multiple) throws Exception {
      for (ConfirmListener l : confirmListeners) {
        l.handleNack(seq, multiple);
      }
    }

    /** The broker cancels every consumer of this channel ({@code basic.cancel}). */
    void cancelConsumers() throws Exception {
      for (Map.Entry<String, Consumer> e : consumers.entrySet()) {
        e.getValue().handleCancel(e.getKey());
      }
    }

    void deliver(String body, long tag) throws Exception {
      for (Map.Entry<String, Consumer> e : consumers.entrySet()) {
        e.getValue()
            .handleDelivery(
                e.getKey(),
                new com.rabbitmq.client.Envelope(tag, false, "", "q"),
                new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** Runs recovery on the calling thread: the test sees each step complete in order. */
  static final class InlineExecutor extends AbstractExecutorService {
    private final FakeAmqp fake;
    private volatile boolean shutdown;

    InlineExecutor(FakeAmqp fake) {
      this.fake = fake;
    }

    @Override
    public void execute(Runnable command) {
      if (shutdown) {
        throw new RejectedExecutionException("shut down");
      }
      if (fake.deferRecovery) {
        fake.deferred.add(command);
        return;
      }
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
