package io.ha4j.oslo.internal;

import io.ha4j.amqp.ExchangeSpec;
import io.ha4j.amqp.QueueSpec;
import io.ha4j.config.AmqpSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exchanges and queues exactly as oslo.messaging 14 (impl_rabbit) declares them for the same
 * options, so that Java and Python processes can declare them in either order without a 406.
 */
public final class Declarations {

  private Declarations() {}

  /** Whether topic exchanges and queues are durable: {@code amqp_durable_queues} or quorum. */
  public static boolean durable(AmqpSettings s) {
    return s.durableQueues() || s.quorumQueue();
  }

  /** {@code control_exchange} or a target's exchange: topic, durable, {@code amqp_auto_delete}. */
  public static ExchangeSpec topicExchange(String name, AmqpSettings s) {
    return new ExchangeSpec(name, "topic", durable(s), s.autoDelete());
  }

  /**
   * An RPC topic queue ({@code <topic>}, {@code <topic>.<server>}) or notification queue ({@code
   * <topic>.<priority>} or the pool name): durable, {@code amqp_auto_delete}, HA or quorum
   * arguments, no {@code x-expires}.
   */
  public static QueueSpec topicQueue(String name, AmqpSettings s) {
    return new QueueSpec(name, durable(s), s.autoDelete(), arguments(s, true, 0));
  }

  /**
   * A reply queue ({@code reply_<uuid hex>}): non-durable, not auto-delete, {@code x-ha-policy}
   * when {@code rabbit_ha_queues}, {@code x-expires} from {@code rabbit_transient_queues_ttl};
   * never quorum.
   */
  public static QueueSpec replyQueue(String name, AmqpSettings s) {
    return new QueueSpec(name, false, false, arguments(s, false, ttlMillis(s)));
  }

  /** The fanout exchange of a topic: {@code <topic>_fanout}, non-durable, auto-delete. */
  public static ExchangeSpec fanoutExchange(String topic) {
    return new ExchangeSpec(topic + "_fanout", "fanout", false, true);
  }

  /** A fanout queue ({@code <topic>_fanout_<uuid hex>}): declared as a reply queue. */
  public static QueueSpec fanoutQueue(String name, AmqpSettings s) {
    return replyQueue(name, s);
  }

  private static long ttlMillis(AmqpSettings s) {
    return s.transientQueuesTtl().toSeconds() * 1000;
  }

  /** oslo's {@code _get_queue_arguments}, in its order. */
  static Map<String, Object> arguments(AmqpSettings s, boolean quorumAllowed, long ttlMillis) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (s.haQueues()) {
      args.put("x-ha-policy", "all");
    }
    if (quorumAllowed && s.quorumQueue()) {
      args.put("x-queue-type", "quorum");
      if (s.quorumDeliveryLimit() > 0) {
        args.put("x-delivery-limit", s.quorumDeliveryLimit());
      }
      if (s.quorumMaxMemoryLength() > 0) {
        args.put("x-max-in-memory-length", number(s.quorumMaxMemoryLength()));
      }
      if (s.quorumMaxMemoryBytes() > 0) {
        args.put("x-max-in-memory-bytes", number(s.quorumMaxMemoryBytes()));
      }
    }
    if (ttlMillis > 0) {
      args.put("x-expires", number(ttlMillis));
    }
    return args;
  }

  /** py-amqp sends a Python int that fits in 32 bits as a signed 32-bit field. */
  private static Object number(long v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
  }
}
