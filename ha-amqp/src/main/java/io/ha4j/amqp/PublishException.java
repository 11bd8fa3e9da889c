package io.ha4j.amqp;

import io.ha4j.config.HaException;

/**
 * A message was not accepted by the broker: negatively confirmed (nack), or publishing stayed
 * blocked by a broker resource alarm longer than allowed.
 *
 * @since 0.1
 */
public class PublishException extends HaException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public PublishException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
