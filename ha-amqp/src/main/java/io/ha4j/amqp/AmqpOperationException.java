package io.ha4j.amqp;

import io.ha4j.config.HaException;

/**
 * The broker refused an operation on a connection that is still up: a declaration, a binding or a
 * {@code basic.consume} (e.g. 404 NOT_FOUND for a missing queue, 403 ACCESS_REFUSED). Retrying the
 * same operation fails the same way. The message names the entity, the connection and the broker's
 * reply; the cause is amqp-client's exception.
 *
 * @since 0.1
 */
public class AmqpOperationException extends HaException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public AmqpOperationException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public AmqpOperationException(String message, Throwable cause) {
    super(message, cause);
  }
}
