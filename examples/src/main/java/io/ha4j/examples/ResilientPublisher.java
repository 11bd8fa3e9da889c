package io.ha4j.examples;

import com.rabbitmq.client.AMQP;
import io.ha4j.amqp.HaConnection;
import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.amqp.HaPublisher;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import io.ha4j.config.HaConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Publishes persistent, confirmed messages (message id 1..N) to a durable queue declared per the
 * configuration (quorum or mirrored). A broker node that dies in the middle costs a failover, not a
 * message: unconfirmed messages are sent again on the next node.
 *
 * <pre>java -cp … io.ha4j.examples.ResilientPublisher my.conf orders 10000</pre>
 */
public final class ResilientPublisher {

  private ResilientPublisher() {}

  /** Entry point: config file, queue, count. */
  public static void main(String[] args) throws Exception {
    long confirmed =
        publish(HaConfig.load(Path.of(args[0])), args[1], Integer.parseInt(args[2]), n -> {});
    System.out.println("confirmed " + confirmed);
  }

  /**
   * Publishes {@code count} messages; {@code progress} hears each message number once it is
   * accepted. Returns how many the broker confirmed.
   */
  public static long publish(HaConfig config, String queue, int count, LongConsumer progress)
      throws Exception {
    AmqpSettings settings = config.amqp();
    HaConnectionFactory factory =
        HaConnectionFactory.builder().settings(settings).connectionName("example-pub").build();
    try (HaConnection connection = factory.newConnection("example-pub")) {
      connection.declare(QueueSpec.of(queue, settings));
      HaPublisher publisher = connection.publisher();
      for (long i = 1; i <= count; i++) {
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(Long.toString(i)).build();
        publisher.publish("", queue, props, ("message " + i).getBytes(StandardCharsets.UTF_8));
        progress.accept(i);
      }
      publisher.awaitConfirms(Duration.ofMinutes(2));
      return publisher.confirmed();
    }
  }
}
