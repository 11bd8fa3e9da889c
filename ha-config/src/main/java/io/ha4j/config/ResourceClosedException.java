package io.ha4j.config;

import java.util.Objects;

/**
 * A resource (connection, publisher, consumer, data source) was used after {@code close()}, or was
 * closed while a caller waited for it. Retrying the same call cannot succeed; open a new resource.
 *
 * @since 0.1
 */
public class ResourceClosedException extends HaException {

  private static final long serialVersionUID = 1L;

  private final String resource;

  /**
   * An exception for {@code resource}, e.g. {@code "AMQP connection 'orders'"}.
   *
   * @param resource what is closed; appears in the message
   * @param message the whole message, which should name {@code resource}
   */
  public ResourceClosedException(String resource, String message) {
    this(resource, message, null);
  }

  /** An exception for {@code resource} with the cause (e.g. the error that made it close). */
  public ResourceClosedException(String resource, String message, Throwable cause) {
    super(message, cause);
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  /** The closed resource, as named in the message. */
  public String resource() {
    return resource;
  }
}
