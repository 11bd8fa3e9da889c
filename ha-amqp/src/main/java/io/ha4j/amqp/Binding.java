package io.ha4j.amqp;

import java.util.Objects;

/**
 * A queue bound to an exchange with a routing key; recorded and re-declared after failover.
 *
 * @param exchange exchange name
 * @param queue queue name
 * @param routingKey binding key
 * @since 0.1
 */
public record Binding(String exchange, String queue, String routingKey) {

  /** Checks the components. */
  public Binding {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(routingKey, "routingKey");
  }
}
