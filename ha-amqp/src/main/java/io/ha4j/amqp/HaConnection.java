package io.ha4j.amqp;

import java.util.Optional;

/**
 * A connection to one node of a RabbitMQ cluster that moves to another node when it is lost, on
 * oslo.messaging's schedule. Declarations made through it are recorded and re-declared after every
 * failover; its publishers and consumers keep working through the same objects. Thread-safe.
 *
 * <p>Every method waits while the connection recovers; it throws {@link
 * io.ha4j.config.ResourceClosedException} once the connection is closed, {@link
 * AmqpConnectException} once it gave up recovering, {@link
 * io.ha4j.config.OperationInterruptedException} (interrupt flag set again) when the waiting thread
 * is interrupted, and {@link AmqpOperationException} when the broker refuses the operation.
 *
 * @since 0.1
 */
public interface HaConnection extends AutoCloseable {

  /** The current state. */
  State state();

  /** {@code host:port} of the node connected to, empty while not connected. */
  Optional<String> currentHost();

  /**
   * Declares an exchange and records it.
   *
   * @throws TopologyConflictException when it exists with other properties
   */
  void declare(ExchangeSpec exchange);

  /**
   * Declares a queue and records it.
   *
   * @throws TopologyConflictException when it exists with other properties or arguments
   */
  void declare(QueueSpec queue);

  /** Binds a queue to an exchange and records the binding. */
  void bind(Binding binding);

  /** A confirmed publisher with the default options. */
  default HaPublisher publisher() {
    return publisher(PublisherOptions.ofDefaults());
  }

  /** A confirmed publisher. */
  HaPublisher publisher(PublisherOptions options);

  /**
   * Starts consuming from a queue with manual acknowledgements and the prefetch of {@code
   * rabbit_qos_prefetch_count}. Declare the queue first (through this connection) so that it is
   * re-declared before the consumer is re-attached.
   */
  HaConsumer consume(String queue, DeliveryHandler handler);

  /** Closes the connection for good; wins every race with recovery. */
  @Override
  void close();
}
