package io.ha4j.amqp;

/**
 * Life cycle of an {@link HaConnection}.
 *
 * @since 0.1
 */
public enum State {
  /** Connecting for the first time. */
  OPENING,
  /** Connected to a node; publishers and consumers work. */
  OPEN,
  /** The connection was lost; reconnecting on the retry schedule. */
  RECOVERING,
  /** {@link HaConnection#close()} is running. */
  CLOSING,
  /** Closed by the application, or given up after the retry budget was spent. */
  CLOSED
}
