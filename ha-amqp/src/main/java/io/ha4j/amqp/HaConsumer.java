package io.ha4j.amqp;

/**
 * A consumer that stays attached to its queue: it is re-attached after a failover and after the
 * broker cancels it ({@code basic.cancel}, e.g. when a quorum queue leader moves), with its queue
 * re-declared first. It stops only when cancelled or its connection is closed; every detach is
 * reported to the listeners. Thread-safe.
 *
 * @since 0.1
 */
public interface HaConsumer extends AutoCloseable {

  /** The queue consumed from. */
  String queue();

  /** Whether the consumer is attached to its queue right now. */
  boolean isAttached();

  /** Stops consuming for good. */
  @Override
  void close();
}
