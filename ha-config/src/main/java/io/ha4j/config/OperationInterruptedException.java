package io.ha4j.config;

import java.util.Objects;

/**
 * The calling thread was interrupted while it waited (for a connection, a recovery, a retry pause).
 * The thread's interrupt flag is set again before this is thrown, so that the caller's own
 * interruption handling still sees it. The cause is the original {@link InterruptedException}.
 *
 * @since 0.1
 */
public class OperationInterruptedException extends HaException {

  private static final long serialVersionUID = 1L;

  private final String resource;

  /**
   * An exception for an interrupted wait on {@code resource}.
   *
   * @param resource what was waited for; appears in the message
   * @param message the whole message, which should name {@code resource}
   * @param cause the {@link InterruptedException}
   */
  public OperationInterruptedException(String resource, String message, Throwable cause) {
    super(message, cause);
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  /** The resource waited for, as named in the message. */
  public String resource() {
    return resource;
  }
}
