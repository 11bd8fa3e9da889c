package io.ha4j.amqp;

import io.ha4j.config.AmqpSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A queue declaration, recorded and re-declared after every failover. Immutable.
 *
 * @param name queue name
 * @param durable survives a broker restart
 * @param autoDelete deleted when its last consumer goes
 * @param arguments declaration arguments ({@code x-queue-type}, {@code x-expires}, …)
 * @since 0.1
 */
public record QueueSpec(
    String name, boolean durable, boolean autoDelete, Map<String, Object> arguments) {

  /** Checks and copies the components. */
  public QueueSpec {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("queue name must not be empty");
    }
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
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
}
