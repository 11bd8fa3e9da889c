package io.ha4j.config;

/**
 * The root of every unchecked exception ha4j throws. Subtypes exist only where callers handle them
 * differently; messages name the resource and never contain a secret.
 *
 * @since 0.1
 */
public class HaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public HaException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public HaException(String message, Throwable cause) {
    super(message, cause);
  }
}
