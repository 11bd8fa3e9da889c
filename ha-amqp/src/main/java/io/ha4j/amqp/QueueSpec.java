package io.ha4j.amqp;

import io.ha4j.config.AmqpSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A queue declaration, recorded and re-declared after every failover. Immutable; build with {@link
 * #builder()}, or take oslo's declarations from {@link #of} and {@link #transientQueue}.
 *
 * <pre>{@code
 * QueueSpec q = QueueSpec.builder().name("jobs").durable(true).argument("x-queue-type", "quorum").build();
 * }</pre>
 *
 * @param name queue name
 * @param durable survives a broker restart
 * @param autoDelete deleted when its last consumer goes
 * @param arguments declaration arguments ({@code x-queue-type}, {@code x-expires}, …)
 * @since 0.1
 */
public record QueueSpec(
    String name, boolean durable, boolean autoDelete, Map<String, Object> arguments) {

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException for a null name, arguments map, or argument name or value
   * @throws IllegalArgumentException for an empty name
   */
  public QueueSpec {
    checkName(name);
    Objects.requireNonNull(arguments, "arguments");
    Map<String, Object> copy = new LinkedHashMap<>();
    arguments.forEach((k, v) -> copy.put(checkArgument(k, v), v));
    arguments = Collections.unmodifiableMap(copy);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("queue name must not be empty, was ''");
    }
    return name;
  }

  private static String checkArgument(String key, Object value) {
    Objects.requireNonNull(key, "argument name");
    Objects.requireNonNull(value, () -> "value of argument " + key);
    return key;
  }

  /** A builder: no name yet, not durable, not auto-delete, no arguments (oslo's defaults). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this declaration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.durable = durable;
    b.autoDelete = autoDelete;
    b.arguments.putAll(arguments);
    return b;
  }

  /**
   * A queue as oslo.messaging declares RPC topic and notification queues: durable when {@code
   * amqp_durable_queues} or {@code rabbit_quorum_queue}; {@code x-queue-type: quorum} with its
   * limits, or {@code x-ha-policy: all} for {@code rabbit_ha_queues}.
   */
  public static QueueSpec of(String name, AmqpSettings settings) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (settings.quorumQueue()) {
      args.put("x-queue-type", "quorum");
      if (settings.quorumDeliveryLimit() > 0) {
        args.put("x-delivery-limit", settings.quorumDeliveryLimit());
      }
      if (settings.quorumMaxMemoryLength() > 0) {
        args.put("x-max-in-memory-length", settings.quorumMaxMemoryLength());
      }
      if (settings.quorumMaxMemoryBytes() > 0) {
        args.put("x-max-in-memory-bytes", settings.quorumMaxMemoryBytes());
      }
    } else if (settings.haQueues()) {
      args.put("x-ha-policy", "all");
    }
    boolean durable = settings.durableQueues() || settings.quorumQueue();
    return new QueueSpec(name, durable, settings.autoDelete(), args);
  }

  /**
   * A queue as oslo.messaging declares reply and fanout queues: non-durable, expiring after {@code
   * rabbit_transient_queues_ttl} without consumers.
   */
  public static QueueSpec transientQueue(String name, AmqpSettings settings) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("x-expires", Math.toIntExact(settings.transientQueuesTtl().toMillis()));
    return new QueueSpec(name, false, false, args);
  }

  /**
   * Builds a {@link QueueSpec}; each method checks its argument. Not thread-safe; reusable.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String name;
    private boolean durable;
    private boolean autoDelete;
    private final Map<String, Object> arguments = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The queue name; required.
     *
     * @throws NullPointerException for null
     * @throws IllegalArgumentException for an empty name
     */
    public Builder name(String name) {
      this.name = checkName(name);
      return this;
    }

    /** Survives a broker restart; default false. */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /** Deleted when its last consumer goes; default false. */
    public Builder autoDelete(boolean autoDelete) {
      this.autoDelete = autoDelete;
      return this;
    }

    /**
     * Adds (or replaces) one declaration argument, e.g. {@code x-queue-type}.
     *
     * @throws NullPointerException for a null name or value
     */
    public Builder argument(String name, Object value) {
      arguments.put(checkArgument(name, value), value);
      return this;
    }

    /**
     * Replaces every declaration argument.
     *
     * @throws NullPointerException for a null map, or a null name or value in it
     */
    public Builder arguments(Map<String, Object> arguments) {
      Objects.requireNonNull(arguments, "arguments");
      arguments.forEach(QueueSpec::checkArgument);
      this.arguments.clear();
      this.arguments.putAll(arguments);
      return this;
    }

    /**
     * The declaration.
     *
     * @throws IllegalStateException when no name was given
     */
    public QueueSpec build() {
      if (name == null) {
        throw new IllegalStateException("a queue needs a name: call name(...)");
      }
      return new QueueSpec(name, durable, autoDelete, arguments);
    }
  }
}
