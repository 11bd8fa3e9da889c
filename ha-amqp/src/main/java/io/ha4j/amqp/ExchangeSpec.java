package io.ha4j.amqp;

import io.ha4j.config.AmqpSettings;
import java.util.Objects;

/**
 * An exchange declaration, recorded and re-declared after every failover. Immutable; build with
 * {@link #builder()}, or take oslo's control exchange from {@link #topic}.
 *
 * @param name exchange name
 * @param type {@code direct}, {@code topic}, {@code fanout} or {@code headers}
 * @param durable survives a broker restart
 * @param autoDelete deleted when its last binding goes
 * @since 0.1
 */
public record ExchangeSpec(String name, String type, boolean durable, boolean autoDelete) {

  /** The type a {@link #builder()} starts with: {@value}, as oslo's control exchange. */
  public static final String DEFAULT_TYPE = "topic";

  /**
   * Checks the components.
   *
   * @throws NullPointerException for a null name or type
   * @throws IllegalArgumentException for an empty name (the default exchange) or a blank type
   */
  public ExchangeSpec {
    checkName(name);
    checkType(type);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "exchange name must not be empty, was '' (the default exchange cannot be declared)");
    }
    return name;
  }

  private static String checkType(String type) {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("exchange type must not be blank, was '" + type + "'");
    }
    return type;
  }

  /** A builder: no name yet, type {@value #DEFAULT_TYPE}, not durable, not auto-delete. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this declaration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.type = type;
    b.durable = durable;
    b.autoDelete = autoDelete;
    return b;
  }

  /** A topic exchange as oslo.messaging declares {@code control_exchange}. */
  public static ExchangeSpec topic(String name, AmqpSettings settings) {
    return new ExchangeSpec(
        name, "topic", settings.durableQueues() || settings.quorumQueue(), settings.autoDelete());
  }

  /**
   * Builds an {@link ExchangeSpec}; each method checks its argument. Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String name;
    private String type = DEFAULT_TYPE;
    private boolean durable;
    private boolean autoDelete;

    private Builder() {}

    /**
     * The exchange name; required.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException for an empty name
     */
    public Builder name(String name) {
      this.name = checkName(name);
      return this;
    }

    /**
     * {@code direct}, {@code topic}, {@code fanout}, {@code headers} or a plugin's type.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException for a blank type
     */
    public Builder type(String type) {
      this.type = checkType(type);
      return this;
    }

    /** Survives a broker restart; default false. */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /** Deleted when its last binding goes; default false. */
    public Builder autoDelete(boolean autoDelete) {
      this.autoDelete = autoDelete;
      return this;
    }

    /**
     * The declaration.
     *
     * @throws IllegalStateException when no name was given
     */
    public ExchangeSpec build() {
      if (name == null) {
        throw new IllegalStateException("an exchange needs a name: call name(...)");
      }
      return new ExchangeSpec(name, type, durable, autoDelete);
    }
  }
}
