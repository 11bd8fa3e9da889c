package io.ha4j.amqp;

import io.ha4j.config.AmqpSettings;
import java.util.Objects;

/**
 * An exchange declaration, recorded and re-declared after every failover. Immutable.
 *
 * @param name exchange name
 * @param type {@code direct}, {@code topic}, {@code fanout} or {@code headers}
 * @param durable survives a broker restart
 * @param autoDelete deleted when its last binding goes
 * @since 0.1
 */
public record ExchangeSpec(String name, String type, boolean durable, boolean autoDelete) {

  /** Checks the components. */
  public ExchangeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("the default exchange cannot be declared");
    }
  }

  /** A topic exchange as oslo.messaging declares {@code control_exchange}. */
  public static ExchangeSpec topic(String name, AmqpSettings settings) {
    return new ExchangeSpec(
        name, "topic", settings.durableQueues() || settings.quorumQueue(), settings.autoDelete());
  }
}
