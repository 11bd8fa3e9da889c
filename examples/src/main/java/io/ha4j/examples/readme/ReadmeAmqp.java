package io.ha4j.examples.readme;

import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaConsumer;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's {@code ha-amqp} example: declare, publish with confirms, consume with acks. The body
 * of {@link #example} is the README's block, word for word ({@code ReadmeExamplesTest} checks it).
 */
public final class ReadmeAmqp {

  private ReadmeAmqp() {}

  /** Entry point: the config file. */
  public static void main(String[] args) throws Exception {
    System.out.println(example(Path.of(args[0])) + " orders received");
  }

  /** Publishes 100 orders, waits for their confirms, consumes them; returns the distinct count. */
  public static int example(Path configFile) throws Exception {
    AmqpSettings amqp = HaConfig.load(configFile).amqp();
    HaConnectionFactory factory = HaConnectionFactory.builder().settings(amqp).build();
    try (HaConnection c = factory.newConnection()) { // retries on the oslo schedule
      c.declare(QueueSpec.of("orders", amqp)); // durable / quorum / x-ha-policy per settings
      HaPublisher p = c.publisher(); // confirms, persistent, 1000 in flight
      List<CompletableFuture<Void>> confirms = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        byte[] body = ("order " + i).getBytes(StandardCharsets.UTF_8);
        confirms.add(p.publish("", "orders", null, body)); // completes when the broker confirms
      }
      CompletableFuture.allOf(confirms.toArray(CompletableFuture<?>[]::new))
          .get(1, TimeUnit.MINUTES); // fails if the broker nacked one
      Set<String> received = ConcurrentHashMap.newKeySet(); // at-least-once: may come twice
      CountDownLatch all = new CountDownLatch(100);
      try (HaConsumer consumer =
          c.consume( // re-attached after failover / basic.cancel
              "orders",
              d -> {
                if (received.add(new String(d.body(), StandardCharsets.UTF_8))) {
                  all.countDown();
                }
                d.ack(); // after the work is done
              })) {
        if (!all.await(1, TimeUnit.MINUTES)) {
          throw new IllegalStateException(
              consumer.queue() + ": only " + received.size() + " orders");
        }
      }
      return received.size();
    }
  }
}
