package io.ha4j.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.PublisherOptions;
import io.ha4j.config.AmqpHost;
import io.ha4j.config.AmqpSettings;
import io.ha4j.testkit.RabbitCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A persistent 256-byte message published with confirms to one durable classic queue (capped at
 * {@value #QUEUE_LENGTH} messages, oldest dropped, so that the broker's memory stays flat): {@link
 * HaPublisher#publish} shared by every thread against a raw amqp-client channel per thread in
 * confirm mode. Each comes in two forms: without waiting (at most {@value #WINDOW} unconfirmed
 * messages in all, as {@link PublisherOptions#DEFAULT_MAX_IN_FLIGHT}) and waiting for each
 * message's confirm. The thread count comes from JMH's {@code -t}; the server is a 1-node test-kit
 * RabbitMQ cluster started for the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AmqpBenchmark {

  static final int QUEUE_LENGTH = 10_000;
  static final int WINDOW = PublisherOptions.DEFAULT_MAX_IN_FLIGHT;
  private static final String QUEUE = "jmh-publish";
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);
  private static final AMQP.BasicProperties PROPS = MessageProperties.PERSISTENT_BASIC;

  private final byte[] body = new byte[256];
  private RabbitCluster cluster;
  private Connection raw;
  private HaConnection ha4jConnection;
  private HaPublisher ha4j;

  /** Unconfirmed raw messages, across every thread's channel. */
  final Semaphore rawWindow = new Semaphore(WINDOW);

  /** Starts the cluster, declares the queue, opens the raw connection and the ha4j publisher. */
  @Setup(Level.Trial)
  public void start() throws IOException, TimeoutException {
    cluster = RabbitCluster.builder().name("jmh").nodes(1).start();
    try {
      RabbitCluster.RabbitNode n = cluster.node(1);
      ConnectionFactory f = new ConnectionFactory();
      f.setHost(n.address());
      f.setPort(n.port());
      f.setUsername(cluster.user());
      f.setPassword(cluster.password());
      raw = f.newConnection("jmh-raw");
      try (Channel ch = raw.createChannel()) {
        ch.queueDeclare(
            QUEUE,
            true,
            false,
            false,
            Map.of("x-queue-type", "classic", "x-max-length", QUEUE_LENGTH));
      }
      AmqpSettings settings =
          AmqpSettings.builder()
              .hosts(
                  List.of(new AmqpHost(n.address(), n.port(), cluster.user(), cluster.password())))
              .build();
      ha4jConnection =
          HaConnectionFactory.builder().settings(settings).build().newConnection("jmh");
      ha4j = ha4jConnection.publisher();
    } catch (IOException | TimeoutException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Waits for every confirm of the iteration, so that none is counted in the next one. */
  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    if (!ha4j.awaitConfirms(CONFIRM_TIMEOUT)) {
      throw new IllegalStateException("ha4j: confirms still missing after " + CONFIRM_TIMEOUT);
    }
    if (!rawWindow.tryAcquire(WINDOW, CONFIRM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("raw: confirms still missing after " + CONFIRM_TIMEOUT);
    }
    rawWindow.release(WINDOW);
  }

  /** Closes the publisher, both connections and the cluster. */
  @TearDown(Level.Trial)
  public void stop() throws IOException {
    if (ha4jConnection != null) {
      ha4jConnection.close();
    }
    if (raw != null) {
      raw.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A raw channel in confirm mode for one benchmark thread. */
  @State(Scope.Thread)
  public static class RawChannel {
    Channel channel;
    final NavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();

    /** Opens the channel and counts its confirms back into the shared window. */
    @Setup(Level.Trial)
    public void open(AmqpBenchmark b) throws IOException {
      channel = b.raw.createChannel();
      channel.confirmSelect();
      ConfirmListener settle =
          new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
              settle(b.rawWindow, seq, multiple);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
              settle(b.rawWindow, seq, multiple);
            }
          };
      channel.addConfirmListener(settle);
    }

    private void settle(Semaphore window, long seq, boolean multiple) {
      int n;
      if (multiple) {
        NavigableMap<Long, Boolean> done = outstanding.headMap(seq, true);
        n = done.size();
        done.clear();
      } else {
        n = outstanding.remove(seq) == null ? 0 : 1;
      }
      window.release(n);
    }

    /** Closes the channel. */
    @TearDown(Level.Trial)
    public void close() throws IOException, TimeoutException {
      channel.close();
    }
  }

  /** {@link HaPublisher#publish}, not waiting for the confirm. */
  @Benchmark
  public CompletableFuture<Void> publishHa4j() throws InterruptedException {
    return ha4j.publish("", QUEUE, PROPS, body);
  }

  /** A raw confirmed publish, not waiting for the confirm. */
  @Benchmark
  public long publishRaw(RawChannel c) throws IOException, InterruptedException {
    rawWindow.acquire();
    long seq = c.channel.getNextPublishSeqNo();
    c.outstanding.put(seq, Boolean.TRUE);
    c.channel.basicPublish("", QUEUE, false, PROPS, body);
    return seq;
  }

  /** {@link HaPublisher#publish} and wait for its confirm. */
  @Benchmark
  public Void publishConfirmedHa4j()
      throws InterruptedException, ExecutionException, TimeoutException {
    return ha4j.publish("", QUEUE, PROPS, body)
        .get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A raw publish and {@code waitForConfirmsOrDie} on the thread's channel. */
  @Benchmark
  public long publishConfirmedRaw(RawChannel c)
      throws IOException, InterruptedException, TimeoutException {
    rawWindow.acquire();
    long seq = c.channel.getNextPublishSeqNo();
    c.outstanding.put(seq, Boolean.TRUE);
    c.channel.basicPublish("", QUEUE, false, PROPS, body);
    c.channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
    return seq;
  }
}
