package io.ha4j.amqp;

/**
 * Processes deliveries of an {@link HaConsumer}, one at a time per consumer. An exception thrown
 * here rejects the message with requeue and is logged.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DeliveryHandler {

  /** Handles one delivery; call {@link HaDelivery#ack()} when done. */
  void handle(HaDelivery delivery) throws Exception;
}
