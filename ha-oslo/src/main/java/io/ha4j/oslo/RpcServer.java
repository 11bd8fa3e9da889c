package io.ha4j.oslo;

import java.time.Duration;

/**
 * Serves RPC calls and casts of a {@link Target} (topic and server) to Java endpoints, as oslo's
 * RPC server: it consumes {@code <topic>}, {@code <topic>.<server>} and a fanout queue on a
 * connection of its own, acknowledges each request before running it (at most once), drops a
 * request whose {@code _unique_id} is among the last 16 seen, runs up to {@code
 * executor_thread_pool_size} requests at once and replies (mandatory, retried while the reply queue
 * is missing). Queues and consumers are re-declared and re-attached after a failover. Thread-safe.
 * Build with {@link OsloTransport#rpcServer(Target, Object...)}.
 *
 * @since 0.1
 */
public interface RpcServer extends AutoCloseable {

  /** The target served: topic and server name. */
  Target target();

  /** Declares the queues and starts consuming; idempotent. */
  void start();

  /**
   * Stops consuming, waits up to {@code timeout} for running requests to finish and send their
   * replies, then closes the connection. Returns whether everything finished in time.
   */
  boolean stop(Duration timeout);

  /** {@link #stop(Duration)} with 60 s. */
  @Override
  void close();
}
