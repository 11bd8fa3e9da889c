package io.ha4j.oslo;

import io.ha4j.config.HaException;

/**
 * No reply to an RPC call arrived within its timeout (oslo's {@code MessagingTimeout}).
 *
 * @since 0.1
 */
public class MessagingTimeoutException extends HaException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the call. */
  public MessagingTimeoutException(String message) {
    super(message);
  }
}
