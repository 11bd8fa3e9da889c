package io.ha4j.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Return;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A confirmed publisher that keeps many messages in flight and re-sends, after a failover and in
 * their original order, every message the broker has not confirmed: at-least-once, nothing accepted
 * by {@link #publish} is dropped silently. Messages are persistent unless the properties say
 * otherwise. Thread-safe.
 *
 * @since 0.1
 */
public interface HaPublisher extends AutoCloseable {

  /**
   * Publishes a message. Waits while the in-flight window is full, while the connection recovers
   * (within the retry budget) and while the broker blocks publishing (up to the blocked timeout).
   * The future completes when the broker confirms, exceptionally with {@link PublishException} on a
   * nack, with {@link AmqpConnectException} when the connection gives up, or with {@link
   * io.ha4j.config.ResourceClosedException} when it is closed before the broker confirmed.
   *
   * @param properties message properties; {@code null} means persistent with no other property
   * @throws AmqpConnectException when the connection gave up before the message was accepted
   * @throws PublishException when publishing stayed blocked by the broker too long
   * @throws io.ha4j.config.ResourceClosedException when the publisher or its connection is closed
   * @throws InterruptedException when interrupted while waiting; the message was not accepted
   */
  CompletableFuture<Void> publish(
      String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
      throws InterruptedException;

  /**
   * Waits until every message published so far is confirmed or failed. Returns false on time-out.
   */
  boolean awaitConfirms(Duration timeout) throws InterruptedException;

  /** Receives messages the broker returned as unroutable (published with {@code mandatory}). */
  void onReturn(Consumer<Return> handler);

  /** Messages published so far (first sends only). */
  long published();

  /** Messages confirmed by the broker. */
  long confirmed();

  /** Messages sent again after a failover because they were not confirmed. */
  long republished();

  /** Waits for outstanding confirms (up to the confirm timeout) and releases the channel. */
  @Override
  void close();
}
