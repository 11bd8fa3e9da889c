package io.ha4j.amqp;

import com.rabbitmq.client.AMQP;

/**
 * One message handed to a {@link DeliveryHandler}. Acknowledge it with {@link #ack()} once it is
 * processed. Delivery is at-least-once: after a failover, unacknowledged messages come again,
 * flagged {@link #redelivered()}, so handlers must tolerate duplicates.
 *
 * @since 0.1
 */
public interface HaDelivery {

  /** The message body. */
  byte[] body();

  /** The message properties. */
  AMQP.BasicProperties properties();

  /** The routing key it was published with. */
  String routingKey();

  /** Whether the broker delivered it before (to this or another consumer). */
  boolean redelivered();

  /**
   * Acknowledges the message. Returns false when the channel it came on is gone (after a failover):
   * the broker then delivers it again, so nothing is lost.
   */
  boolean ack();

  /** Rejects the message, requeueing it or not. Returns false when its channel is gone. */
  boolean reject(boolean requeue);
}
