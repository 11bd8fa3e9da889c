package io.ha4j.amqp;

/**
 * Receives the {@link AmqpEvent}s of a connection. Called on ha4j's or amqp-client's threads; must
 * return quickly. An exception thrown here is logged and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AmqpListener {

  /** One event. */
  void onEvent(AmqpEvent event);
}
