package io.ha4j.examples;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Consumes with manual acks until it has seen message ids 1..N. The consumer is re-attached after a
 * failover or a broker cancel (a quorum leader that moved) without the application noticing; a
 * message may come twice (at-least-once), so the ids are counted as a set.
 *
 * <pre>java -cp … io.ha4j.examples.ResilientConsumer my.conf orders 10000</pre>
 */
public final class ResilientConsumer {

  private ResilientConsumer() {}

  /** Entry point: config file, queue, count. */
  public static void main(String[] args) throws Exception {
    int n =
        consume(
            HaConfig.load(Path.of(args[0])),
            args[1],
            Integer.parseInt(args[2]),
            Duration.ofMinutes(5));
    System.out.println("received " + n + " distinct messages");
  }

  /** Consumes until ids 1..count were all seen or {@code timeout}; returns the distinct count. */
  public static int consume(HaConfig config, String queue, int count, Duration timeout)
      throws InterruptedException {
    return consume(config, queue, count, timeout, n -> {});
  }

  /**
   * As {@link #consume(HaConfig, String, int, Duration)}; {@code progress} hears the number of
   * distinct messages seen after each delivery.
   */
  public static int consume(
      HaConfig config, String queue, int count, Duration timeout, IntConsumer progress)
      throws InterruptedException {
    AmqpSettings settings = config.amqp();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(1);
    HaConnectionFactory factory =
        HaConnectionFactory.builder().settings(settings).connectionName("example-sub").build();
    try (HaConnection connection = factory.newConnection("example-sub")) {
      connection.declare(QueueSpec.of(queue, settings));
      connection.consume(
          queue,
          delivery -> {
            seen.add(delivery.properties().getMessageId());
            delivery.ack();
            progress.accept(seen.size());
            if (seen.size() >= count) {
              all.countDown();
            }
          });
      all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return seen.size();
  }
}
