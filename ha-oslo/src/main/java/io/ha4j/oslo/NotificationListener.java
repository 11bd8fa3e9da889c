package io.ha4j.oslo;

import java.time.Duration;

/**
 * Receives notifications as oslo's notification listener: for every target topic and every priority
 * its endpoints implement, it consumes {@code <topic>.<priority>} (or binds them all to one queue
 * named after the pool), on a connection of its own; each notification goes to the endpoints of its
 * priority whose filter matches, and is acknowledged after they return, or requeued when one asks
 * for it or throws. Queues and consumers are re-declared and re-attached after a failover.
 * Thread-safe. Build with {@link OsloTransport#notificationListener()}.
 *
 * @since 0.1
 */
public interface NotificationListener extends AutoCloseable {

  /** Declares the queues and starts consuming; idempotent. */
  void start();

  /**
   * Stops consuming, waits up to {@code timeout} for running endpoint calls, then closes the
   * connection. Returns whether everything finished in time.
   */
  boolean stop(Duration timeout);

  /** {@link #stop(Duration)} with 60 s. */
  @Override
  void close();
}
