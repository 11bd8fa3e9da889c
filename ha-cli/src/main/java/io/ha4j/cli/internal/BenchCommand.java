package io.ha4j.cli.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ha4j bench amqp}: starts a 3-node test-kit RabbitMQ cluster and measures, in one run on
 * that cluster, confirmed-publish throughput through ha4j against plain amqp-client with the same
 * in-flight window, and the failover time after {@code kill -9} of the connected node for ha4j
 * ({@code kombu_reconnect_delay} 0 and default) against amqp-client's automatic recovery.
 */
final class BenchCommand {

  /** Bound on restoring the cluster to healthy after a kill (restarting the killed node). */
  private static final Duration RESTORE = Duration.ofMinutes(3);

  /** Bound on the confirms of a throughput round (no fault is injected there). */
  static final Duration CONFIRM_BOUND = Duration.ofMinutes(5);

  private final PrintStream out;
  private final PrintStream err;

  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** {@code ha4j bench amqp}; the two parts can be left out. */
  int run(
      int messages,
      int window,
      int size,
      int rounds,
      int kills,
      boolean json,
      boolean withThroughput,
      boolean withFailover,
      List<String> queueTypes)
      throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    progress(json, "starting a 3-node RabbitMQ cluster (test kit) ...");
    try (RabbitCluster rabbit = RabbitCluster.builder().name("bench").nodes(3).start()) {
      Map<String, Object> setup = new LinkedHashMap<>();
      setup.put("messages", messages);
      setup.put("window", window);
      setup.put("size", size);
      setup.put("rounds", rounds);
      setup.put("kills", kills);
      setup.put("queue_types", queueTypes);
      setup.put("recovery_bound_s", RECOVERY_BOUND.toSeconds());
      report.put("setup", setup);
      if (withThroughput) {
        Map<String, Object> tp = new LinkedHashMap<>();
        for (String type : List.of("quorum", "classic")) {
          tp.put(type, throughput(rabbit, type, messages, window, size, rounds, json));
        }
        report.put("throughput", tp);
      }
      if (withFailover) {
        Map<String, Object> split = new LinkedHashMap<>();
        report.put("failover", failover(rabbit, kills, queueTypes, split, json));
        report.put("failover_split", split);
      }
    }
    report.put("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
    if (json) {
      out.println(JsonOut.write(report));
    } else {
      printText(report);
    }
    return 0;
  }

  // ---------------------------------------------------------------- throughput

  private Map<String, Object> throughput(
      RabbitCluster rabbit,
      String type,
      int messages,
      int window,
      int size,
      int rounds,
      boolean json)
      throws Exception {
    RabbitNode node = rabbit.node(1);
    AmqpSettings s = settings(rabbit, type.equals("quorum"), Duration.ZERO);
    String queue = "bench-throughput-" + type;
    byte[] body = new byte[size];
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    List<Double> ha = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    try (HaConnection hc =
            HaConnectionFactory.builder()
                .settings(s)
                .connectionName("bench")
                .build()
                .newConnection();
        Connection pc = plainFactory(rabbit, false).newConnection(List.of(address(node)))) {
      hc.declare(QueueSpec.of(queue, s));
      Channel admin = pc.createChannel();
      HaPublisher hp =
          hc.publisher(
              new PublisherOptions(
                  window,
                  false,
                  PublisherOptions.DEFAULT_BLOCKED_TIMEOUT,
                  PublisherOptions.DEFAULT_CLOSE_TIMEOUT,
                  5));
      Channel pch = pc.createChannel();
      PlainPublisher pp = new PlainPublisher(pch, window);
      // one warm-up round each, not counted
      for (int r = 0; r <= rounds; r++) {
        admin.queuePurge(queue);
        double a = haRun(hp, queue, props, body, messages);
        admin.queuePurge(queue);
        double b = pp.run(queue, props, body, messages);
        if (r > 0) {
          ha.add(a);
          plain.add(b);
        }
        progress(
            json,
            String.format(
                "throughput %s queue, round %d%s: ha4j %.0f msg/s, amqp-client %.0f msg/s",
                type, r, r == 0 ? " (warm-up)" : "", a, b));
      }
      admin.queuePurge(queue);
      hp.close();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    double ham = median(ha);
    double plm = median(plain);
    m.put("ha4j_msg_s", Math.round(ham));
    m.put("amqp_client_msg_s", Math.round(plm));
    m.put("ratio", Math.round(ham / plm * 1000) / 1000.0);
    m.put("ha4j_rounds", ha.stream().map(Math::round).toList());
    m.put("amqp_client_rounds", plain.stream().map(Math::round).toList());
    return m;
  }

  private static double haRun(
      HaPublisher p, String queue, AMQP.BasicProperties props, byte[] body, int n)
      throws Exception {
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      p.publish("", queue, props, body);
    }
    if (!p.awaitConfirms(CONFIRM_BOUND)) {
      throw new TimeoutException(
          "ha4j: confirms missing after " + CONFIRM_BOUND.toSeconds() + " s");
    }
    return n / ((System.nanoTime() - t) / 1e9);
  }

  /** The usual amqp-client pattern: a semaphore for the window, a confirm listener. */
  private static final class PlainPublisher {
    final Channel ch;
    final Semaphore window;
    final NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();

    PlainPublisher(Channel ch, int size) throws IOException {
      this.ch = ch;
      this.window = new Semaphore(size);
      ch.confirmSelect();
      ch.addConfirmListener(
          (seq, multiple) -> settle(seq, multiple),
          (seq, multiple) -> {
            throw new IllegalStateException("nack " + seq);
          });
    }

    void settle(long seq, boolean multiple) {
      if (multiple) {
        NavigableSet<Long> head = outstanding.headSet(seq, true);
        int n = 0;
        while (head.pollFirst() != null) {
          n++;
        }
        window.release(n);
      } else if (outstanding.remove(seq)) {
        window.release();
      }
    }

    double run(String queue, AMQP.BasicProperties props, byte[] body, int n) throws Exception {
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (!window.tryAcquire(CONFIRM_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException(
              "amqp-client: no confirm within " + CONFIRM_BOUND.toSeconds() + " s (window full)");
        }
        outstanding.add(ch.getNextPublishSeqNo());
        ch.basicPublish("", queue, props, body);
      }
      if (!ch.waitForConfirms(CONFIRM_BOUND.toMillis())) {
        throw new IllegalStateException("amqp-client: nacks");
      }
      return n / ((System.nanoTime() - t) / 1e9);
    }
  }

  // ---------------------------------------------------------------- failover

  /**
   * Bound on a contender's recovery after a kill: no confirm of a message published after the kill
   * within this time, and the contender counts as not recovered for that kill.
   */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

  /** Bound on the 200 confirms a contender must reach before the node is killed. */
  static final Duration WARM_UP_BOUND = Duration.ofSeconds(60);

  /** Bound on connecting a (fresh) contender, and on closing one. */
  static final Duration CONNECT_BOUND = Duration.ofSeconds(60);

  /** Bound on the publisher thread ending once told to stop (then it is interrupted). */
  static final Duration JOIN_BOUND = Duration.ofSeconds(10);

  /** A client under test: publishes one confirmed message at a time and reports its host. */
  private interface Client extends AutoCloseable {
    /**
     * Publishes one message and waits (bounded) for its confirm; false if that failed, and the
     * failure is kept for {@link #diagnosis()}.
     */
    boolean publishOne();

    String currentHost();

    /** The state of the client and its last failure, for a contender that did not recover. */
    String diagnosis();

    /** SIGKILL is about to be sent ({@code System.nanoTime()}): start timing the phases. */
    default void killing(long at) {}

    /**
     * The phases of the failover that began at {@link #killing} and ended with the confirm at
     * {@code firstConfirm}; null for a client that does not report them. May wait (bounded) for the
     * first delivery after the kill.
     */
    default FailoverSplit.Sample split(long killed, long firstConfirm) throws InterruptedException {
      return null;
    }

    @Override
    void close();
  }

  /**
   * The failover contenders: ha4j with {@code kombu_reconnect_delay} 0 (publisher and consumer) on
   * each queue type, its phases split per kill into {@code split}; ha4j with the default delay and
   * amqp-client's automatic recovery on the quorum queue.
   */
  private Map<String, Object> failover(
      RabbitCluster rabbit,
      int kills,
      List<String> queueTypes,
      Map<String, Object> split,
      boolean json)
      throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    if (queueTypes.contains("classic")) {
      // what rabbit_ha_queues needs on RabbitMQ >= 3.0: a policy (the x-ha-policy argument is
      // ignored by the broker); without it a classic queue dies with its node
      rabbit
          .node(1)
          .ctl(
              "set_policy",
              "bench-ha-all",
              "^" + queueName("classic") + "$",
              "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"automatic\"}",
              "--apply-to",
              "queues");
    }
    for (String type : queueTypes) {
      String name = "ha4j_reconnect_delay_0" + (type.equals("quorum") ? "" : "_" + type);
      List<FailoverSplit.Sample> samples = new ArrayList<>();
      FailoverRun<Client> run =
          new FailoverRun<>(
              name,
              () -> haClient(rabbit, Duration.ZERO, type, true),
              c -> oneKill(rabbit, c, queueName(type), samples::add),
              Client::close,
              () -> rabbit.restoreHealthy(RESTORE),
              CONNECT_BOUND,
              line -> progress(json, line));
      result.put(name, run.run(kills));
      split.put(type, FailoverSplit.summary(samples));
    }
    Map<String, Supplier> variants = new LinkedHashMap<>();
    variants.put(
        "ha4j_reconnect_delay_default",
        () -> haClient(rabbit, AmqpSettings.DEFAULT_RECONNECT_DELAY, "quorum", false));
    variants.put("amqp_client_auto_recovery", () -> plainClient(rabbit));
    for (Map.Entry<String, Supplier> v : variants.entrySet()) {
      FailoverRun<Client> run =
          new FailoverRun<>(
              v.getKey(),
              v.getValue()::get,
              c -> oneKill(rabbit, c, null, x -> {}),
              Client::close,
              () -> rabbit.restoreHealthy(RESTORE),
              CONNECT_BOUND,
              line -> progress(json, line));
      result.put(v.getKey(), run.run(kills));
    }
    return result;
  }

  static String queueName(String type) {
    return type.equals("quorum") ? "bench-failover" : "bench-failover-" + type;
  }

  private interface Supplier {
    Client get() throws Exception;
  }

  /**
   * Publishes one message at a time; kills the connected node after a short steady phase; returns
   * the time from sending SIGKILL to the confirm of the first message published after the server
   * was seen dead (such a message can only be confirmed through a new connection; confirms of
   * earlier messages may still arrive from the socket buffer and do not count). Seeing the server
   * dead takes up to ~20 ms (the kit polls), which bounds the resolution. Every wait is bounded:
   * the steady phase by {@link #WARM_UP_BOUND}, the recovery by {@link #RECOVERY_BOUND}, the end of
   * the publisher thread by {@link #JOIN_BOUND}.
   *
   * <p>With {@code floorQueue}, a {@link SurvivorProbe} publishes into that queue through the first
   * node that is not killed, from before the kill until it had its first confirm after it (bounded
   * as the recovery): the sample's split gets the cluster's own stall.
   *
   * @throws FailoverRun.NotRecoveredException when a bound ran out, with the client's state
   */
  private static double oneKill(
      RabbitCluster rabbit,
      Client c,
      String floorQueue,
      java.util.function.Consumer<FailoverSplit.Sample> splits)
      throws Exception {
    AtomicLong confirms = new AtomicLong();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAfter = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread t =
        new Thread(
            () -> {
              while (!stop.get() && !Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                if (c.publishOne()) {
                  long end = System.nanoTime();
                  confirms.incrementAndGet();
                  if (start >= killedAt.get()) {
                    firstAfter.compareAndSet(0, end);
                  }
                } else {
                  pause(10);
                }
              }
            },
            "bench-publisher");
    t.setDaemon(true);
    t.start();
    boolean measured = false;
    FailoverSplit.Sample split = null;
    SurvivorProbe probe = null;
    try {
      if (!Bounded.SYSTEM.until(() -> confirms.get() >= 200, WARM_UP_BOUND, POLL)) {
        throw new FailoverRun.NotRecoveredException(
            "only "
                + confirms.get()
                + " confirms in "
                + WARM_UP_BOUND.toSeconds()
                + " s before the kill; "
                + c.diagnosis());
      }
      String host = c.currentHost();
      RabbitNode victim =
          rabbit.nodes().stream()
              .filter(n -> host.equals(n.address() + ":" + n.port()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FailoverRun.NotRecoveredException(
                          "not connected to a cluster node: " + host));
      if (floorQueue != null) {
        RabbitNode survivor =
            rabbit.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();
        probe = SurvivorProbe.start(rabbit, survivor, floorQueue);
        SurvivorProbe ready = probe;
        if (!Bounded.SYSTEM.until(ready::ready, WARM_UP_BOUND, POLL)) {
          throw new FailoverRun.NotRecoveredException(
              "the raw client on the survivor "
                  + survivor.address()
                  + ":"
                  + survivor.port()
                  + " had no "
                  + SurvivorProbe.READY_CONFIRMS
                  + " confirms before the kill: "
                  + ready.lastFailure());
        }
      }
      long killed = System.nanoTime();
      c.killing(killed);
      victim.kill(); // returns once every thread of the server is gone
      // Only messages published after that count: one published while the signal was on its
      // way could still be confirmed by the dying node.
      killedAt.set(System.nanoTime());
      if (probe != null) {
        probe.countFrom(killedAt.get());
      }
      if (!Bounded.SYSTEM.until(() -> firstAfter.get() != 0, RECOVERY_BOUND, POLL)) {
        throw new FailoverRun.NotRecoveredException(
            "no confirm within "
                + RECOVERY_BOUND.toSeconds()
                + " s after killing "
                + host
                + "; "
                + c.diagnosis());
      }
      measured = true;
      split = c.split(killed, firstAfter.get());
      if (split != null && probe != null) {
        SurvivorProbe p = probe;
        // the raw client's first confirm may come after ha4j's: wait for it, bounded
        if (Bounded.SYSTEM.until(() -> p.firstAfter() != 0, RECOVERY_BOUND, POLL)) {
          split = split.withClusterStall((p.firstAfter() - killed) / 1e6);
        }
      }
      return (firstAfter.get() - killed) / 1e6;
    } finally {
      if (probe != null) {
        probe.close();
      }
      stop.set(true);
      Bounded.Joined j = Bounded.join(t, JOIN_BOUND, JOIN_BOUND);
      if (j == Bounded.Joined.STUCK && measured) {
        // a thread that does not stop leaves the contender unusable: the kill counts as not
        // recovered, and the next one gets a fresh contender
        throw new FailoverRun.NotRecoveredException(
            "publisher thread stuck after the sample; " + c.diagnosis());
      }
      if (split != null) {
        splits.accept(split);
      }
    }
  }

  private static final Duration POLL = Duration.ofMillis(1);

  /**
   * ha4j's contender: a publisher and, with {@code consume}, a consumer (acking) of the same queue
   * on one connection; the connection's events time the phases of each failover.
   */
  private static Client haClient(
      RabbitCluster rabbit, Duration reconnectDelay, String queueType, boolean consume) {
    AmqpSettings s = settings(rabbit, queueType, reconnectDelay);
    String queue = queueName(queueType);
    PhaseClock clock = new PhaseClock();
    HaConnection c =
        HaConnectionFactory.builder()
            .settings(s)
            .connectionName("bench")
            .listener(clock)
            .build()
            .newConnection();
    c.declare(QueueSpec.of(queue, s));
    HaPublisher p = c.publisher();
    if (consume) {
      c.consume(
          queue,
          d -> {
            if (d.ack()) { // false for a delivery of a lost channel
              clock.delivered(System.nanoTime());
            }
          });
    }
    byte[] body = new byte[256];
    AtomicReference<Exception> last = new AtomicReference<>();
    return new Client() {
      @Override
      public void killing(long at) {
        clock.killing(at);
      }

      @Override
      public FailoverSplit.Sample split(long killed, long firstConfirm)
          throws InterruptedException {
        return clock.sample(killed, firstConfirm, consume);
      }

      @Override
      public boolean publishOne() {
        try {
          // publish waits while the connection recovers; the confirm wait is bounded here
          p.publish("", queue, null, body).get(RECOVERY_BOUND.toSeconds(), TimeUnit.SECONDS);
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          last.set(e);
          return false;
        } catch (Exception e) {
          last.set(e);
          return false;
        }
      }

      @Override
      public String currentHost() {
        return c.currentHost().orElse("");
      }

      @Override
      public String diagnosis() {
        return "connection "
            + c.state()
            + " on "
            + c.currentHost().orElse("no host")
            + ", last failure: "
            + describe(last.get());
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  /**
   * amqp-client with its defaults: automatic recovery on, network recovery interval 5 s.
   *
   * <p>The confirm wait is {@code waitForConfirms(timeout)}, not {@code waitForConfirmsOrDie}: on a
   * time-out or a nack the latter closes the channel, and a channel closed by the application is
   * never recovered, so every later publish fails with "channel is already closed" while the
   * connection stays open, and the benchmark waited forever for the next kill's steady phase.
   */
  private static Client plainClient(RabbitCluster rabbit) throws Exception {
    List<Address> addresses = new ArrayList<>();
    rabbit.nodes().forEach(n -> addresses.add(address(n)));
    Connection c = plainFactory(rabbit, true).newConnection(addresses);
    Channel channel = c.createChannel();
    channel.queueDeclare("bench-failover", true, false, false, Map.of("x-queue-type", "quorum"));
    channel.confirmSelect();
    byte[] body = new byte[256];
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    AtomicReference<Exception> last = new AtomicReference<>();
    return new Client() {
      @Override
      public boolean publishOne() {
        try {
          channel.basicPublish("", "bench-failover", props, body);
          return channel.waitForConfirms(RECOVERY_BOUND.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          last.set(e);
          return false;
        } catch (Exception e) {
          last.set(e);
          return false; // amqp-client throws while it recovers; the caller tries again
        }
      }

      @Override
      public String currentHost() {
        return c.getAddress().getHostAddress() + ":" + c.getPort();
      }

      @Override
      public String diagnosis() {
        return "connection "
            + (c.isOpen() ? "open" : "closed")
            + " to "
            + currentHost()
            + ", channel "
            + (channel.isOpen() ? "open" : "closed (" + describe(channel.getCloseReason()) + ")")
            + ", last failure: "
            + describe(last.get());
      }

      @Override
      public void close() {
        try {
          c.close(5_000);
        } catch (Exception e) {
          c.abort(5_000);
        }
      }
    };
  }

  private static String describe(Throwable e) {
    return e == null ? "none" : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  // ---------------------------------------------------------------- helpers

  private static AmqpSettings settings(
      RabbitCluster rabbit, boolean quorum, Duration reconnectDelay) {
    return KitSettings.amqp(rabbit)
        .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
        .reconnectDelay(reconnectDelay)
        .quorumQueue(quorum)
        .durableQueues(true)
        .build();
  }

  /** {@code quorum}: a quorum queue; {@code classic}: a durable classic queue, mirrored. */
  private static AmqpSettings settings(
      RabbitCluster rabbit, String queueType, Duration reconnectDelay) {
    return KitSettings.amqp(rabbit)
        .hostOrder(AmqpSettings.HostOrder.CONFIGURED)
        .reconnectDelay(reconnectDelay)
        .quorumQueue(queueType.equals("quorum"))
        .haQueues(queueType.equals("classic"))
        .durableQueues(true)
        .build();
  }

  private static ConnectionFactory plainFactory(RabbitCluster rabbit, boolean recovery) {
    ConnectionFactory f = new ConnectionFactory();
    f.setAutomaticRecoveryEnabled(recovery);
    f.setTopologyRecoveryEnabled(recovery);
    return f;
  }

  private static Address address(RabbitNode n) {
    return new Address(n.address(), n.port());
  }

  static double median(List<Double> xs) {
    return percentile(xs, 50);
  }

  /** Nearest-rank percentile. */
  static double percentile(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.size());
    return s.get(Math.max(0, rank - 1));
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void progress(boolean json, String line) {
    (json ? err : out).println(line);
  }

  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> report) {
    out.println();
    out.println("== ha4j bench amqp: " + report.get("setup"));
    Object tp = report.get("throughput");
    if (tp != null) {
      ((Map<String, Object>) tp)
          .forEach(
              (type, v) -> {
                Map<String, Object> m = (Map<String, Object>) v;
                out.printf(
                    "throughput, %s queue: ha4j %s msg/s, amqp-client %s msg/s, ratio %s%n",
                    type, m.get("ha4j_msg_s"), m.get("amqp_client_msg_s"), m.get("ratio"));
              });
    }
    Object fo = report.get("failover");
    if (fo != null) {
      ((Map<String, Object>) fo)
          .forEach(
              (variant, v) -> {
                Map<String, Object> m = (Map<String, Object>) v;
                out.printf(
                    "failover, %s: p50 %s ms, p99 %s ms over %s recovered of %s kills %s,"
                        + " not recovered within %d s: %s%n",
                    variant,
                    m.get("p50_ms"),
                    m.get("p99_ms"),
                    m.get("recovered"),
                    m.get("kills"),
                    m.get("samples_ms"),
                    RECOVERY_BOUND.toSeconds(),
                    m.get("not_recovered"));
                for (Object reason : (List<Object>) m.get("not_recovered_reasons")) {
                  out.println("  not recovered, " + reason);
                }
              });
    }
    Object split = report.get("failover_split");
    if (split != null) {
      ((Map<String, Object>) split)
          .forEach(
              (type, v) ->
                  FailoverSplit.printText(
                      out, "ha4j_reconnect_delay_0, " + type + " queue", (Map<String, Object>) v));
    }
    out.println("elapsed: " + report.get("elapsed_s") + " s");
  }
}
